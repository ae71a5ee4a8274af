/**
 * The proof bundle a lender keeps: built by the API for a tier-2 receivable, checked by the offline
 * verifier with nothing but the log's verifier key, and caught out by any edit of the database.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { proofBundle } from '../../services/ledger/proof.service.js';
import { invoiceConfirmedKind, receivableTransferredKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import { eventLabel } from '../../services/verify/key-binding.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { anchorAll } from '../support/anchor.js';
import { testLogOrigin, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';

const ledger = useTestLedger();

const anchor = () => anchorAll(ledger);

describe('the proof bundle behind a receivable', () => {
  it('holds the whole chain and lineage, verifies offline, and fails on a changed row', async () => {
    const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const seller = await ledger.newParty(['supplier'], { custodial: true });
    const tier2 = await ledger.newParty(['supplier'], { custodial: true });
    const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '100' }];
    const chain = await recordChain(ledger, buyer, seller, lines);
    const invoice = invoicePayload(chain, lines, '1000.00');
    await recorded(ledger, seller, invoiceKind, invoice);
    const rootId = randomUUID();
    await recorded(ledger, buyer, invoiceConfirmedKind, {
      invoiceId: invoice.documentId,
      receivableId: rootId,
    });
    const childId = randomUUID();
    await recorded(ledger, seller, receivableTransferredKind, {
      receivableId: rootId,
      toPartyId: tier2.party.id,
      amount: '400.00',
      childReceivableId: childId,
    });
    const early = await proofBundle(ledger.ledger, tier2.actor, childId);
    expect(early.ok ? 'ok' : early.code).toBe('event_not_anchored');
    await anchor();

    const bundle = await proofBundle(ledger.ledger, tier2.actor, childId);
    if (!bundle.ok) throw new Error(bundle.message);
    // The registry events binding each signer key to its party come first: the platform's own
    // registration, then the buyer's and the seller's (the two parties that signed the chain).
    expect(bundle.value.events.map((event) => event.kind)).toEqual([
      'party.registered',
      'party.registered',
      'party.registered',
      'purchase_order.recorded',
      'shipment.recorded',
      'goods_receipt.recorded',
      'invoice.issued',
      'invoice.confirmed',
      'receivable.transferred',
    ]);
    const options = { logKey: ledger.logSigner.verifierKey, origin: testLogOrigin };
    const verified = verifyBundle(JSON.parse(JSON.stringify(bundle.value)), options);
    expect(verified).toMatchObject({ valid: true });
    const registered = bundle.value.events
      .slice(0, 3)
      .map((event) => JSON.parse(event.statement).payload.partyId);
    expect(registered).toEqual(
      expect.arrayContaining([ledger.ledger.platformPartyId, buyer.party.id, seller.party.id]),
    );
    expect(verified.checks).toContain(
      `key binding: ${eventLabel(bundle.value.events[0] ?? expect.fail('an event'), 0)} is the self-registration of the platform ${ledger.ledger.platformPartyId}`,
    );

    const stranger = await ledger.newParty(['supplier']);
    const refused = await proofBundle(ledger.ledger, stranger.actor, childId);
    expect(refused.ok ? 'ok' : refused.code).toBe('receivable_not_found');

    const invoiceEvent = bundle.value.events.find((event) => event.kind === 'invoice.issued');
    await sql`UPDATE event SET statement = convert_to(replace(convert_from(statement, 'UTF8'), '1000.00', '9000.00'), 'UTF8')
      WHERE id = ${invoiceEvent?.eventId}::UUID`.execute(ledger.owner.db);
    const tampered = await proofBundle(ledger.ledger, tier2.actor, childId);
    if (!tampered.ok) throw new Error(tampered.message);
    const result = verifyBundle(JSON.parse(JSON.stringify(tampered.value)), options);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.failed).toMatch(
      /^events\[6\] \(invoice\.issued [0-9a-f]{8}…\): statement does not hash to eventHash$/,
    );
  });
});
