/**
 * The pure replay of an invoice's chain (what the offline verifier proves a bundle's state with).
 * Its agreement with the database projections is a property test in chain-replay.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type ChainFact, replayChain } from '../../services/receivables/tree-replay.js';

const buyer = '00000000-0000-4000-8000-00000000000b';
const seller = '00000000-0000-4000-8000-000000000005';
const tier1 = '00000000-0000-4000-8000-000000000001';
const tier2 = '00000000-0000-4000-8000-000000000002';
const invoiceId = '00000000-0000-4000-8000-0000000000a1';
const rootId = '00000000-0000-4000-8000-0000000000f0';
const childId = '00000000-0000-4000-8000-0000000000f1';
const grandchildId = '00000000-0000-4000-8000-0000000000f2';

let sequence = 0;
const fact = (
  kind: string,
  actor: string,
  counterparty: string | null,
  payload: Record<string, unknown>,
): ChainFact => ({
  eventId: `event-${++sequence}`,
  kind,
  actor,
  counterparty,
  payload,
});

const issued = fact('invoice.issued', seller, buyer, { documentId: invoiceId, currency: 'CNY' });
const confirmed = (amount = '100.00') =>
  fact('invoice.confirmed', buyer, seller, {
    invoiceId,
    receivableId: rootId,
    amount,
    currency: 'CNY',
    dueDate: '2026-06-30',
  });
const transferred = (from: string, receivableId: string, to: string, amount: string, child: string) =>
  fact('receivable.transferred', from, to, { receivableId, toPartyId: to, amount, childReceivableId: child });

describe('replayChain', () => {
  it('splits, pays by largest remainder and settles, as the projections do', () => {
    const replay = replayChain([
      issued,
      confirmed('100.00'),
      transferred(seller, rootId, tier1, '33.33', childId),
      transferred(tier1, childId, tier2, '33.33', grandchildId),
      fact('payment.recorded', buyer, seller, { invoiceId, amount: '10.00', paidOn: '2026-06-30' }),
    ]);
    if (!replay.ok) throw new Error(replay.reason);
    const byId = new Map(replay.state.tree.map((node) => [node.id, node]));
    // Outstanding 66.67 (root) and 33.33 (grandchild): 10.00 -> 6.67 + 3.33, remainders decide the cent.
    expect(byId.get(rootId)).toMatchObject({
      faceMinor: 10_000n,
      transferredMinor: 3_333n,
      settledMinor: 667n,
      outstandingMinor: 6_000n,
      status: 'partially_settled',
    });
    expect(byId.get(childId)).toMatchObject({
      tier: 1,
      faceMinor: 3_333n,
      transferredMinor: 3_333n,
      outstandingMinor: 0n,
      holderPartyId: tier1,
    });
    expect(byId.get(grandchildId)).toMatchObject({
      tier: 2,
      faceMinor: 3_333n,
      settledMinor: 333n,
      outstandingMinor: 3_000n,
      holderPartyId: tier2,
    });
  });

  it('starts the receivable credited by a credit note issued before the confirmation', () => {
    const replay = replayChain([
      issued,
      fact('credit_note.issued', seller, buyer, { invoiceId, amount: '25.00' }),
      confirmed('100.00'),
    ]);
    if (!replay.ok) throw new Error(replay.reason);
    expect(replay.state.tree[0]).toMatchObject({
      faceMinor: 10_000n,
      creditedMinor: 2_500n,
      outstandingMinor: 7_500n,
    });
  });

  it('holds the tree for a credit note after the confirmation and spreads it once accepted', () => {
    const replay = replayChain([
      issued,
      confirmed('100.00'),
      transferred(seller, rootId, tier1, '50.00', childId),
      fact('credit_note.issued', seller, buyer, { invoiceId, amount: '10.00' }),
    ]);
    if (!replay.ok) throw new Error(replay.reason);
    expect(replay.state.tree.every((node) => node.onHold)).toBe(true);
    const resolved = replayChain([
      issued,
      confirmed('100.00'),
      transferred(seller, rootId, tier1, '50.00', childId),
      fact('credit_note.issued', seller, buyer, { invoiceId, amount: '10.00' }),
      fact('invoice.hold_resolved', buyer, seller, { invoiceId, outcome: 'accepted' }),
    ]);
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.state.tree.map((node) => [node.creditedMinor, node.onHold])).toEqual([
      [500n, false],
      [500n, false],
    ]);
  });

  it.each([
    [
      'a transfer by a party that does not hold the receivable',
      [issued, confirmed(), transferred(tier1, rootId, tier2, '1.00', childId)],
      2,
      'does not hold',
    ],
    [
      'a transfer of more than is outstanding',
      [issued, confirmed('10.00'), transferred(seller, rootId, tier1, '10.01', childId)],
      2,
      'more than is outstanding',
    ],
    [
      'a payment before the confirmation',
      [issued, fact('payment.recorded', buyer, seller, { invoiceId, amount: '1.00' })],
      1,
      'not confirmed',
    ],
    [
      'a payment while a credit note awaits the buyer',
      [
        issued,
        confirmed(),
        fact('credit_note.issued', seller, buyer, { invoiceId, amount: '1.00' }),
        fact('payment.recorded', buyer, seller, { invoiceId, amount: '1.00' }),
      ],
      3,
      'on hold',
    ],
    ['a second confirmation', [issued, confirmed(), confirmed()], 2, 'not open to confirmation'],
    ['an amount with more decimals than the currency has', [issued, confirmed('10.001')], 1, 'amount'],
    ['a fact of another kind', [issued, fact('party.registered', buyer, null, {})], 1, 'does not belong'],
  ])('refuses %s, naming the fact', (_label, facts, position, reason) => {
    const replay = replayChain(facts);
    expect(replay.ok).toBe(false);
    if (replay.ok) return;
    expect(replay.position).toBe(position);
    expect(replay.reason).toContain(reason);
  });
});
