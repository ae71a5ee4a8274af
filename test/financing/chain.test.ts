/**
 * Financing facts join the chain of the invoice they finance, so a proof bundle carries them; the
 * replay of that chain by the pure rules (receivables/tree-replay.ts) rebuilds the tree the
 * projections hold, the lender's part included, and refuses a disbursement by a lender whose offer
 * was not accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findEventsByIds } from '../../services/events/event.repository.js';
import { findChainLinks } from '../../services/events/fact-chain.repository.js';
import type { Receivable } from '../../services/receivables/receivable.js';
import { type ChainFact, replayChain } from '../../services/receivables/tree-replay.js';
import { pay, treeOf } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  offer,
  recorded,
  requestFinancing,
  storeReport,
  today,
  transfer,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let tier1: TestParty;
let lender: TestParty;
let other: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tier1 = await t.newParty(['supplier'], { custodial: true });
  lender = await t.newParty(['lender'], { custodial: true });
  other = await t.newParty(['lender'], { custodial: true });
});

async function chainFacts(invoiceId: string): Promise<ChainFact[]> {
  const links = await findChainLinks(t.owner.db, invoiceId);
  const events = new Map(
    (
      await findEventsByIds(
        t.owner.db,
        links.map((link) => link.eventId),
      )
    ).map((event) => [event.id, event]),
  );
  return links.map((link) => {
    const event = events.get(link.eventId);
    if (!event) throw new Error('a link without its event');
    const envelope = JSON.parse(event.statement.toString('utf8'));
    // The tests' invoice fact stands for invoice.issued, which states what the replay reads of it.
    const stand = envelope.kind === 'test_invoice.issued';
    const { documentId, currency } = envelope.payload;
    return {
      eventId: event.id,
      kind: stand ? 'invoice.issued' : envelope.kind,
      actor: envelope.actor,
      counterparty: envelope.counterparty,
      payload: stand ? { documentId, currency } : envelope.payload,
    };
  });
}

const fields = (node: Receivable) => ({
  id: node.id,
  parentId: node.parentId,
  tier: node.tier,
  holderPartyId: node.holderPartyId,
  faceMinor: node.faceMinor,
  transferredMinor: node.transferredMinor,
  settledMinor: node.settledMinor,
  outstandingMinor: node.outstandingMinor,
  status: node.status,
  financingId: node.financingId,
});
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

describe("an invoice's chain with financing", () => {
  it('replays to the tree the projections hold, and refuses a forged disbursement', async () => {
    const { invoiceId, rootId } = await confirmedReceivable(t, seller, buyer, { total: '1000.00' });
    const partId = await transfer(t, seller, rootId, tier1, '600.00');
    const withdrawn = await requestFinancing(t, tier1, partId, [lender], '600.00');
    await recorded(t, tier1, 'financing.withdrawn', { financingId: withdrawn });
    const financingId = await requestFinancing(t, tier1, partId, [lender, other], '500.00');
    const reportHash = await storeReport(t, partId);
    const offerId = await offer(t, lender, financingId, reportHash);
    await recorded(t, other, 'financing.declined', { financingId, reason: 'no appetite' });
    await accept(t, tier1, financingId, offerId);
    await disburse(t, lender, financingId, '500.00');
    await requestFinancing(t, seller, rootId, [other], '400.00');
    await pay(t, buyer, invoiceId, '250.00', today());

    const facts = await chainFacts(invoiceId);
    expect(facts.map((fact) => fact.kind).filter((kind) => kind.startsWith('financing.'))).toEqual([
      'financing.requested',
      'financing.withdrawn',
      'financing.requested',
      'financing.offered',
      'financing.declined',
      'financing.offer_accepted',
      'financing.disbursed',
      'financing.requested',
    ]);
    const replay = replayChain(facts);
    if (!replay.ok) throw new Error(`fact ${replay.position}: ${replay.reason}`);
    expect([...replay.state.tree].sort(byId).map(fields)).toEqual(
      (await treeOf(t, invoiceId)).sort(byId).map(fields),
    );

    const disbursal = facts.findIndex((fact) => fact.kind === 'financing.disbursed');
    const forged = facts.map((fact, index) =>
      index === disbursal ? { ...fact, actor: other.party.id } : fact,
    );
    expect(replayChain(forged)).toMatchObject({
      ok: false,
      position: disbursal,
      reason: 'it is stated by a lender whose offer was not accepted',
    });
  });
});
