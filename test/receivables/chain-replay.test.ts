/**
 * Every fact about an invoice forms one chain: each names the one before it in refs[0], at
 * consecutive positions. Replaying the chain's statements by the pure rules (tree-replay.ts, what
 * the offline verifier proves a bundle's state with) gives, node by node, the receivables the
 * projections wrote, over random sequences of transfers, payments, credit notes (accepted or
 * rejected, before or after confirmation), cancellations and defaults.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findEventsByIds } from '../../services/events/event.repository.js';
import { findChainLinks } from '../../services/events/fact-chain.repository.js';
import { formatAmount } from '../../services/money/money.js';
import type { Receivable } from '../../services/receivables/receivable.js';
import { type ChainFact, replayChain } from '../../services/receivables/tree-replay.js';
import { invoiceKind } from '../../services/trade/index.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';
import { creditNote, record, treeOf } from './support.js';

const t = useTestLedger();
let buyer: TestParty;
const pool: TestParty[] = [];
const seen = { transfers: 0, payments: 0, credits: 0, defaults: 0, cancellations: 0 };

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  for (let index = 0; index < 4; index++) pool.push(await t.newParty(['supplier'], { custodial: true }));
});

type Step =
  | { kind: 'transfer'; from: number; to: number; permille: number }
  | { kind: 'pay'; permille: number }
  | { kind: 'credit'; permille: number; accept: boolean }
  | { kind: 'cancel'; accept: boolean }
  | { kind: 'default' };

const permille = fc.integer({ min: 1, max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(), to: fc.nat(), permille }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), permille }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('credit' as const), permille, accept: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), accept: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'default' as const }) },
);

function portion(whole: bigint, share: number): bigint {
  const part = (whole * BigInt(share)) / 1000n;
  return part < 1n ? 1n : part;
}

/** A step as the ledger takes it; one the rules refuse (nothing to pay, already defaulted) is skipped. */
async function apply(invoiceId: string, seller: TestParty, next: Step): Promise<void> {
  const tree = await treeOf(t, invoiceId);
  const outstanding = tree.reduce((sum, node) => sum + node.outstandingMinor, 0n);
  const amount = (share: number) => formatAmount(portion(outstanding, share), 'CNY');
  if (next.kind === 'transfer') {
    const holding = tree.filter((node) => node.outstandingMinor > 0n);
    const from = holding[next.from % Math.max(1, holding.length)];
    const holder = pool.find((party) => party.party.id === from?.holderPartyId);
    const others = pool.filter((party) => party !== holder);
    const to = others[next.to % others.length];
    if (!from || !holder || !to) return;
    const moved = await record(t, holder, 'receivable.transferred', {
      receivableId: from.id,
      toPartyId: to.party.id,
      amount: formatAmount(portion(from.outstandingMinor, next.permille), 'CNY'),
      childReceivableId: randomUUID(),
    });
    if (moved.ok) seen.transfers++;
    return;
  }
  if (next.kind === 'pay') {
    const paid = await record(t, buyer, 'payment.recorded', {
      paymentId: randomUUID(),
      invoiceId,
      amount: amount(next.permille),
      paidOn: '2025-09-06',
    });
    if (paid.ok) seen.payments++;
    return;
  }
  if (next.kind === 'default') {
    if ((await record(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'unpaid at maturity' })).ok)
      seen.defaults++;
    return;
  }
  const pending =
    next.kind === 'credit'
      ? await record(
          t,
          seller,
          'credit_note.issued',
          creditNote(invoiceId, amount(next.permille), { issueDate: '2025-03-12' }),
        )
      : await record(t, seller, 'invoice.cancelled', { invoiceId, reason: 'goods returned' });
  if (!pending.ok) return;
  if (next.kind === 'credit') seen.credits++;
  else seen.cancellations++;
  await record(t, buyer, 'invoice.hold_resolved', {
    invoiceId,
    outcome: next.accept ? 'accepted' : 'rejected',
  });
}

/** The invoice's chain read back: positions 0..n-1, each naming the one before it in refs[0]. */
async function chainFacts(invoiceId: string): Promise<ChainFact[]> {
  const links = await findChainLinks(t.owner.db, invoiceId);
  expect(links.map((link) => link.position)).toEqual(links.map((_, index) => index));
  const events = new Map(
    (
      await findEventsByIds(
        t.owner.db,
        links.map((link) => link.eventId),
      )
    ).map((event) => [event.id, event]),
  );
  return links.map((link, index) => {
    const event = events.get(link.eventId);
    if (!event) throw new Error(`link ${index} has no event`);
    const envelope = JSON.parse(event.statement.toString('utf8'));
    if (index > 0) expect(envelope.refs[0]).toBe(links[index - 1]?.eventHash.toString('hex'));
    expect(event.eventHash.equals(link.eventHash)).toBe(true);
    return {
      eventId: event.id,
      kind: envelope.kind,
      actor: envelope.actor,
      counterparty: envelope.counterparty,
      payload: envelope.payload,
    };
  });
}

async function run(steps: Step[], creditBefore: boolean): Promise<void> {
  const [seller] = pool;
  if (!seller) throw new Error('no seller');
  const lines = [{ itemCode: 'A', quantity: '7', unitPrice: '1234.57' }];
  const chain = await recordChain(t, buyer, seller, lines);
  const invoice = invoicePayload(chain, lines, '8641.99');
  await recorded(t, seller, invoiceKind, invoice);
  const invoiceId = String(invoice.documentId);
  if (creditBefore)
    await recorded(
      t,
      seller,
      'credit_note.issued',
      creditNote(invoiceId, '641.99', { issueDate: '2025-03-11' }),
    );
  await recorded(t, buyer, 'invoice.confirmed', { invoiceId, receivableId: randomUUID() });
  for (const next of steps) await apply(invoiceId, seller, next);
  const replay = replayChain(await chainFacts(invoiceId));
  if (!replay.ok) throw new Error(`fact ${replay.position}: ${replay.reason}`);
  const fields = (node: Receivable) => ({
    id: node.id,
    parentId: node.parentId,
    tier: node.tier,
    holderPartyId: node.holderPartyId,
    obligorPartyId: node.obligorPartyId,
    faceMinor: node.faceMinor,
    transferredMinor: node.transferredMinor,
    settledMinor: node.settledMinor,
    creditedMinor: node.creditedMinor,
    outstandingMinor: node.outstandingMinor,
    status: node.status,
    onHold: node.onHold,
    dueDate: node.dueDate,
  });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
  expect([...replay.state.tree].sort(byId).map(fields)).toEqual(
    (await treeOf(t, invoiceId)).sort(byId).map(fields),
  );
}

describe('the fact chain of an invoice', () => {
  it('replays to exactly the receivables the projections hold', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), fc.boolean(), run), {
      numRuns: 20,
    });
    expect(seen.transfers).toBeGreaterThan(10);
    expect(seen.payments).toBeGreaterThan(3);
    expect(seen.credits + seen.cancellations).toBeGreaterThan(2);
  }, 180_000);
});
