import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../services/context.js';
import {
  effectiveStatus,
  type Receivable,
  type ReceivableStatus,
  statusFromTotals,
  treeStatuses,
} from '../../services/receivables/receivable.js';
import { allocateAcrossHolders, applyAllocations } from '../../services/receivables/settlement.js';

const ids = {
  root: '00000000-0000-4000-8000-000000000001',
  a: '00000000-0000-4000-8000-00000000000a',
  b: '00000000-0000-4000-8000-00000000000b',
};

function node(fields: Partial<Receivable> & Pick<Receivable, 'id'>): Receivable {
  const faceMinor = fields.faceMinor ?? 10_000n;
  return {
    invoiceId: 'invoice',
    parentId: null,
    rootId: ids.root,
    tier: 0,
    obligorPartyId: 'obligor',
    holderPartyId: `holder-${fields.id}`,
    currency: 'CNY',
    faceMinor,
    transferredMinor: 0n,
    settledMinor: 0n,
    creditedMinor: 0n,
    outstandingMinor: faceMinor,
    dueDate: '2025-03-10',
    status: 'open',
    onHold: false,
    financingId: null,
    createdEventId: 'event',
    createdAt: new Date(0),
    ...fields,
  };
}

describe('effectiveStatus', () => {
  const unpaid = node({ id: ids.root });
  const graceFive = { ...defaultPolicy, overdueGraceDays: 5 };

  it.each([
    ['on the due date', '2025-03-10', defaultPolicy, 'open'],
    ['the day after the due date without grace', '2025-03-11', defaultPolicy, 'overdue'],
    ['on the last day of five grace days', '2025-03-15', graceFive, 'open'],
    ['the day after five grace days', '2025-03-16', graceFive, 'overdue'],
    ['across a year end', '2026-01-01', graceFive, 'overdue'],
  ])('reads an unpaid receivable %s as %s', (_name, today, policy, expected) => {
    expect(effectiveStatus(unpaid, today, policy)).toBe(expected);
  });

  it.each<[string, Partial<Receivable>, string]>([
    ['a partially settled one', { status: 'partially_settled', outstandingMinor: 1n }, 'overdue'],
    ['a defaulted one', { status: 'defaulted' }, 'defaulted'],
    ['a settled one', { status: 'settled', outstandingMinor: 0n, settledMinor: 10_000n }, 'settled'],
    ['a parent that passed its whole face on', { outstandingMinor: 0n, transferredMinor: 10_000n }, 'open'],
  ])('after the grace days reads %s as %s', (_name, fields, expected) => {
    expect(effectiveStatus(node({ id: ids.root, ...fields }), '2025-06-01', defaultPolicy)).toBe(expected);
  });
});

describe('stored status from the subtree', () => {
  it.each<[ReceivableStatus, bigint, bigint, ReceivableStatus]>([
    ['open', 5n, 0n, 'open'],
    ['open', 5n, 1n, 'partially_settled'],
    ['partially_settled', 0n, 1n, 'settled'],
    ['open', 0n, 0n, 'cancelled'],
    ['defaulted', 5n, 1n, 'defaulted'],
    ['defaulted', 0n, 1n, 'settled'],
    ['cancelled', 0n, 0n, 'cancelled'],
  ])('reads %s with %d outstanding and %d settled as %s', (current, outstanding, settled, expected) => {
    expect(
      statusFromTotals(current, { outstandingMinor: outstanding, settledMinor: settled, creditedMinor: 0n }),
    ).toBe(expected);
  });

  it('makes a parent that passed its whole face on read like the parts it passed on', () => {
    const tree = [
      node({ id: ids.root, transferredMinor: 10_000n, outstandingMinor: 0n }),
      node({
        id: ids.a,
        parentId: ids.root,
        tier: 1,
        faceMinor: 6_000n,
        settledMinor: 6_000n,
        outstandingMinor: 0n,
      }),
      node({
        id: ids.b,
        parentId: ids.root,
        tier: 1,
        faceMinor: 4_000n,
        settledMinor: 1n,
        outstandingMinor: 3_999n,
      }),
    ];
    expect(Object.fromEntries(treeStatuses(tree))).toEqual({
      [ids.root]: 'partially_settled',
      [ids.a]: 'settled',
      [ids.b]: 'partially_settled',
    });
  });
});

describe('allocateAcrossHolders', () => {
  const equalThirds = [
    node({ id: ids.b, parentId: ids.root, tier: 1 }),
    node({ id: ids.root, faceMinor: 30_000n, transferredMinor: 20_000n, outstandingMinor: 10_000n }),
    node({ id: ids.a, parentId: ids.root, tier: 1 }),
  ];

  it('gives the odd unit of 100.00 over three equal holders to the first in (tier, id) order', () => {
    const allocations = allocateAcrossHolders(equalThirds, 10_000n);
    expect(allocations.map((allocation) => [allocation.receivableId, allocation.amountMinor])).toEqual([
      [ids.root, 3_334n],
      [ids.a, 3_333n],
      [ids.b, 3_333n],
    ]);
  });

  it('skips holders with nothing outstanding and shares of zero', () => {
    const tree = [
      node({ id: ids.root, faceMinor: 10_001n, transferredMinor: 10_000n, outstandingMinor: 1n }),
      node({ id: ids.a, parentId: ids.root, tier: 1, faceMinor: 10_000n }),
      node({ id: ids.b, parentId: ids.root, tier: 1, faceMinor: 1n, settledMinor: 1n, outstandingMinor: 0n }),
    ];
    expect(allocateAcrossHolders(tree, 2n).map((allocation) => allocation.receivableId)).toEqual([ids.a]);
  });

  it('conserves every minor unit and never pays a holder more than it is owed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (outstandings, seed) => {
          const tree = outstandings.map((outstanding, index) =>
            node({
              id: `00000000-0000-4000-8000-${index.toString().padStart(12, '0')}`,
              faceMinor: outstanding + 1n,
              settledMinor: 1n,
              outstandingMinor: outstanding,
            }),
          );
          const total = outstandings.reduce((sum, outstanding) => sum + outstanding, 0n);
          fc.pre(total > 0n);
          const amount = 1n + (seed % total);
          const allocations = allocateAcrossHolders(tree, amount);
          expect(allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n)).toBe(amount);
          const { tree: after } = applyAllocations(tree, allocations, 'settled');
          for (const receivable of after) expect(receivable.outstandingMinor >= 0n).toBe(true);
        },
      ),
    );
  });
});
