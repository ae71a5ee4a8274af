/**
 * The proof bundle a lender keeps, built by the ledger and checked offline with nothing but the log
 * key: it proves the receivable's state in business terms, shows a tier-2 holder no trade terms it
 * is not party to, and fails on every edit the issue names: a payment left out, another receivable
 * id, a custodial mark flipped, an edited row.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceConfirmedKind, receivableTransferredKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import { proofBundle } from '../../services/verify/bundle.service.js';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, testLogOrigin, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded, stated } from '../trade/trade-fixtures.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let tier2: TestParty;
let rootId: string;
let childId: string;
let invoiceId: string;

const options = () => ({ logKey: ledger.logSigner.verifierKey, origin: testLogOrigin });
const copy = (bundle: ProofBundle): ProofBundle => JSON.parse(JSON.stringify(bundle));

async function bundleFor(party: TestParty, receivableId: string): Promise<ProofBundle> {
  const bundle = await proofBundle(ledger.ledger, ledger.logSigner, party.actor, receivableId);
  if (!bundle.ok) throw new Error(`${bundle.code}: ${bundle.message}`);
  return bundle.value;
}

function failure(bundle: unknown): string {
  const result = verifyBundle(bundle, options());
  return result.valid ? 'VALID' : result.failed;
}

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  seller = await ledger.newParty(['supplier']);
  tier2 = await ledger.newParty(['supplier'], { custodial: true });
  const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '100' }];
  const chain = await recordChain(ledger, buyer, seller, lines);
  const invoice = invoicePayload(chain, lines, '1000.00');
  await stated(ledger, seller, invoiceKind, invoice);
  invoiceId = String(invoice.documentId);
  rootId = randomUUID();
  await stated(ledger, buyer, invoiceConfirmedKind, { invoiceId, receivableId: rootId });
  childId = randomUUID();
  await stated(ledger, seller, receivableTransferredKind, {
    receivableId: rootId,
    toPartyId: tier2.party.id,
    amount: '400.00',
    childReceivableId: childId,
  });
  await recorded(ledger, buyer, 'payment.recorded', {
    paymentId: randomUUID(),
    invoiceId,
    amount: '100.00',
    paidOn: '2025-09-06',
  });
});

describe('the proof bundle behind a receivable', () => {
  it('waits for the anchoring of every fact, then proves the state in business terms', async () => {
    const early = await proofBundle(ledger.ledger, ledger.logSigner, tier2.actor, childId);
    expect(early.ok ? 'ok' : early.code).toBe('event_not_anchored');
    await anchorAll(ledger);
    const verified = verifyBundle(copy(await bundleFor(tier2, childId)), options());
    if (!verified.valid) throw new Error(verified.failed);
    // Outstanding 600.00 (root) and 400.00 (child): 100.00 is 60.00 + 40.00.
    expect(verified.proven).toMatchObject({
      receivableId: childId,
      invoiceId,
      tier: 1,
      currency: 'CNY',
      face: '400.00',
      transferred: '0.00',
      settled: '40.00',
      credited: '0.00',
      outstanding: '360.00',
      dueDate: '2025-09-06',
      status: 'partially_settled',
      onHold: false,
      chainLength: 4,
    });
    expect(verified.proven?.holder).toContain(tier2.party.id);
    expect(verified.proven?.obligor).toContain(buyer.party.id);
    expect(verified.proven?.custodialFacts.map((fact) => fact.split(' (')[1]?.split(' ')[0])).toEqual([
      'invoice.confirmed',
      'payment.recorded',
    ]);
  });

  it('shows a holder that is not party to the trade the documents by hash only, never their lines', async () => {
    const bundle = await bundleFor(tier2, childId);
    const withheld = bundle.events.filter((event) => event.statement === null).map((event) => event.kind);
    expect(withheld.sort()).toEqual(
      ['goods_receipt.recorded', 'invoice.issued', 'purchase_order.recorded', 'shipment.recorded'].sort(),
    );
    expect(JSON.stringify(bundle)).not.toContain('unitPrice');
    const seen = await bundleFor(seller, rootId);
    expect(seen.events.every((event) => event.statement !== null)).toBe(true);
    expect(JSON.stringify(seen)).toContain('unitPrice');
  });

  it("carries the holder's outgoing transfers: the seller's root shows what it passed on", async () => {
    const verified = verifyBundle(copy(await bundleFor(seller, rootId)), options());
    if (!verified.valid) throw new Error(verified.failed);
    expect(verified.proven).toMatchObject({
      face: '1000.00',
      transferred: '400.00',
      settled: '60.00',
      outstanding: '540.00',
      custodialFacts: expect.any(Array),
    });
  });

  it('is INVALID with the payment left out', async () => {
    const bundle = copy(await bundleFor(tier2, childId));
    bundle.events = bundle.events.filter((event) => event.kind !== 'payment.recorded');
    expect(failure(bundle)).toMatch(
      /^chain: link 4 of 4 of the chain of invoice .* is not in the bundle: a fact was left out$/,
    );
  });

  it('is INVALID for another receivable id than the chain created', async () => {
    const bundle = copy(await bundleFor(tier2, childId));
    bundle.receivableId = randomUUID();
    expect(failure(bundle)).toBe(
      `receivable: ${bundle.receivableId} is not created by any fact of the chain of invoice ${invoiceId}`,
    );
  });

  it('is INVALID with a custodial mark flipped', async () => {
    const bundle = copy(await bundleFor(tier2, childId));
    const confirmation = bundle.events.findIndex((event) => event.kind === 'invoice.confirmed');
    const event = bundle.events[confirmation];
    if (!event) throw new Error('no confirmation');
    event.custodial = false;
    expect(failure(bundle)).toMatch(
      new RegExp(
        `^events\\[${confirmation}\\] \\(invoice\\.confirmed [0-9a-f]{8}…\\): marked custodial: false, but signer key [0-9a-f]{8}… was registered by events\\[\\d+\\] as a custodial key`,
      ),
    );
  });

  it('is INVALID with a chain head whose signature was altered', async () => {
    const bundle = copy(await bundleFor(tier2, childId));
    const signature = Buffer.from(bundle.chainHead.signature, 'hex');
    signature[63] = (signature[63] ?? 0) ^ 1;
    bundle.chainHead.signature = signature.toString('hex');
    expect(failure(bundle)).toBe('chain head: its signature does not verify with the log key');
  });

  it("is INVALID under another invoice's chain head, even one the log signed for this checkpoint", async () => {
    const otherChain = await recordChain(ledger, buyer, seller, [
      { itemCode: 'B', quantity: '1', unitPrice: '5' },
    ]);
    const otherInvoice = invoicePayload(otherChain, otherChain.lines, '5.00');
    await stated(ledger, seller, invoiceKind, otherInvoice);
    const otherRoot = randomUUID();
    await stated(ledger, buyer, invoiceConfirmedKind, {
      invoiceId: otherInvoice.documentId,
      receivableId: otherRoot,
    });
    await anchorAll(ledger);
    const bundle = copy(await bundleFor(tier2, childId));
    const other = copy(await bundleFor(seller, otherRoot));
    expect(other.checkpoint).toBe(bundle.checkpoint);
    expect(failure({ ...bundle, chainHead: other.chainHead })).toMatch(
      /^chain: link \d+ of \d+ of the chain of invoice .* is not in the bundle: a fact was left out$/,
    );
  });

  it('is INVALID once a row is edited behind the ledger', async () => {
    const confirmation = (await bundleFor(tier2, childId)).events.find(
      (event) => event.kind === 'invoice.confirmed',
    );
    await sql`UPDATE event SET statement = convert_to(replace(convert_from(statement, 'UTF8'), '"1000.00"', '"9000.00"'), 'UTF8')
      WHERE id = ${confirmation?.eventId}::UUID`.execute(ledger.owner.db);
    expect(failure(copy(await bundleFor(tier2, childId)))).toMatch(
      /^events\[\d+\] \(invoice\.confirmed [0-9a-f]{8}…\): statement does not hash to eventHash$/,
    );
  });

  it('is refused to a party that sees nothing of the receivable', async () => {
    const stranger = await ledger.newParty(['supplier']);
    const refused = await proofBundle(ledger.ledger, ledger.logSigner, stranger.actor, childId);
    expect(refused.ok ? 'ok' : refused.code).toBe('receivable_not_found');
  });
});
