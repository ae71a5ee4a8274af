/**
 * Property: over random sequences of splits, transfers among 4 to 6 parties and partial payments,
 * amounts always conserve, read back from the database after every step.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAmount } from '../../services/money/money.js';
import type { Receivable } from '../../services/receivables/receivable.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirm, issueInvoice, pay, transfer, treeOf } from './support.js';

const t = useTestLedger();
let buyer: TestParty;
let pool: TestParty[] = [];
const done = { transfers: 0, payments: 0, deepestTier: 0 };

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  pool = [];
  for (let index = 0; index < 6; index++) pool.push(await t.newParty(['supplier'], { custodial: true }));
});

type Step =
  | { kind: 'transfer'; from: number; to: number; permille: number }
  | { kind: 'pay'; permille: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      from: fc.nat(),
      to: fc.nat(),
      permille: fc.integer({ min: 1, max: 1000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('pay' as const), permille: fc.integer({ min: 1, max: 1000 }) }),
  },
);

/** A share of `whole` in minor units, at least one: integer arithmetic only. */
function portion(whole: bigint, permille: number): bigint {
  const part = (whole * BigInt(permille)) / 1000n;
  return part < 1n ? 1n : part;
}

function expectConserved(tree: Receivable[], totalMinor: bigint): void {
  let outstanding = 0n;
  let settled = 0n;
  for (const node of tree) {
    for (const amount of [
      node.faceMinor,
      node.transferredMinor,
      node.settledMinor,
      node.creditedMinor,
      node.outstandingMinor,
    ]) {
      expect(amount >= 0n).toBe(true);
    }
    expect(node.faceMinor).toBe(
      node.transferredMinor + node.settledMinor + node.creditedMinor + node.outstandingMinor,
    );
    const childFaces = tree
      .filter((child) => child.parentId === node.id)
      .reduce((sum, child) => sum + child.faceMinor, 0n);
    expect(childFaces).toBe(node.transferredMinor);
    outstanding += node.outstandingMinor;
    settled += node.settledMinor;
  }
  expect(outstanding + settled).toBe(totalMinor);
}

async function run(parties: TestParty[], steps: Step[], totalMinor: bigint): Promise<void> {
  const [seller] = parties;
  if (!seller) throw new Error('no seller');
  const invoiceId = await issueInvoice(t, seller, buyer, { total: formatAmount(totalMinor, 'CNY') });
  await confirm(t, buyer, invoiceId);
  for (const next of steps) {
    const tree = await treeOf(t, invoiceId);
    const holding = tree.filter((node) => node.outstandingMinor > 0n);
    if (holding.length === 0) break;
    if (next.kind === 'pay') {
      const outstanding = holding.reduce((sum, node) => sum + node.outstandingMinor, 0n);
      await pay(t, buyer, invoiceId, formatAmount(portion(outstanding, next.permille), 'CNY'));
      done.payments++;
    } else {
      const from = holding[next.from % holding.length];
      const holder = parties.find((party) => party.party.id === from?.holderPartyId);
      const others = parties.filter((party) => party !== holder);
      const to = others[next.to % others.length];
      if (!from || !holder || !to) throw new Error('test setup: no holder');
      await transfer(
        t,
        holder,
        from.id,
        to,
        formatAmount(portion(from.outstandingMinor, next.permille), 'CNY'),
      );
      done.transfers++;
      done.deepestTier = Math.max(done.deepestTier, from.tier + 1);
    }
    expectConserved(await treeOf(t, invoiceId), totalMinor);
  }
}

describe('conservation over split, transfer and payment sequences', () => {
  it('keeps every node and the whole tree adding up after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 4, max: 6 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        async (partyCount, steps, totalMinor) => run(pool.slice(0, partyCount), steps, totalMinor),
      ),
      { numRuns: 25 },
    );
    expect(done.transfers).toBeGreaterThan(20);
    expect(done.payments).toBeGreaterThan(5);
    expect(done.deepestTier).toBeGreaterThan(2);
  }, 120_000);
});
