/**
 * traceFunds against the real ledger: L finances S's invoice on O and pays S the advance of 98,990.00;
 * S then pays two of its suppliers' invoices (A 45,000.00, B 50,000.00) and A pays its own supplier
 * C 20,000.00, so every party keeps something unexplained; a payment S made before the disbursement
 * is not traced. Then asOf, who may look, and bad inputs. The README example is this test.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TraceFundsQuery, traceFinancedFunds } from '../../services/exposure/trace-funds.service.js';
import { todayUtc } from '../../services/receivables/receivable.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  offer,
  requestFinancing,
  storeReport,
} from '../financing/support.js';
import { pay } from '../receivables/support.js';
import type { TestParty } from '../support/ledger.js';
import { useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
const named = new Map<string, TestParty>();
const p = (name: string) => named.get(name) as TestParty;
const nameOf = (partyId: string) => [...named].find(([, x]) => x.party.id === partyId)?.[0] ?? partyId;

let financingId: string;
let undisbursedId: string;
let beforeDisbursement: Date;
let betweenPayments: Date;
const paymentIds: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['S', 'A', 'B', 'C', 'U'])
    named.set(name, await t.newParty(['supplier'], { custodial: true }));
  named.set('O', await t.newParty(['core_enterprise'], { custodial: true }));
  named.set('L', await t.newParty(['lender'], { custodial: true }));
  named.set('auditor', await t.newParty(['auditor'], { custodial: true }));

  const financed = await confirmedReceivable(t, p('S'), p('O'), { total: '1000000.00', dueInDays: 90 });
  const fromA = await confirmedReceivable(t, p('A'), p('S'), { total: '60000.00' });
  const fromB = await confirmedReceivable(t, p('B'), p('S'), { total: '50000.00' });
  const fromC = await confirmedReceivable(t, p('C'), p('A'), { total: '30000.00' });
  const other = await confirmedReceivable(t, p('S'), p('O'), { total: '5000.00' });
  undisbursedId = await requestFinancing(t, p('S'), other.rootId, [p('L')], '5000.00');

  // Before the disbursement: not traced.
  paymentIds.early = await pay(t, p('S'), fromA.invoiceId, '5000.00', todayUtc());
  await sleep(20);
  beforeDisbursement = new Date();
  await sleep(20);

  // 100,000.00 at 4 % a year for 90 days on ACT/360 with a 10.00 fee: discount 1,000.00, advance 98,990.00.
  financingId = await requestFinancing(t, p('S'), financed.rootId, [p('L')], '100000.00');
  const offerId = await offer(t, p('L'), financingId, await storeReport(t, financed.rootId), {
    rate: '0.04',
    fee: '10.00',
  });
  await accept(t, p('S'), financingId, offerId);
  await disburse(t, p('L'), financingId, '100000.00');

  paymentIds.sToA = await pay(t, p('S'), fromA.invoiceId, '45000.00', todayUtc());
  paymentIds.aToC = await pay(t, p('A'), fromC.invoiceId, '20000.00', todayUtc());
  await sleep(20);
  betweenPayments = new Date();
  await sleep(20);
  paymentIds.sToB = await pay(t, p('S'), fromB.invoiceId, '50000.00', todayUtc());
}, 240_000);

const query = (overrides: Partial<TraceFundsQuery> = {}): TraceFundsQuery => ({ financingId, ...overrides });

async function trace(actor: TestParty | undefined, overrides: Partial<TraceFundsQuery> = {}) {
  const result = await traceFinancedFunds(t.ledger, actor ? actor.actor : t.admin, query(overrides));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

/** [party, depth, in, out, unexplained, followed] in minor units. */
const nodeRows = (answer: Awaited<ReturnType<typeof trace>>) =>
  answer.nodes.map((n) => [
    nameOf(n.partyId),
    n.depth,
    n.tracedInMinor,
    n.tracedOutMinor,
    n.unexplainedMinor,
    n.followed,
  ]);

describe('traceFunds on the ledger', () => {
  it('follows the advance from S to A and B, and from A to C, to the minor unit', async () => {
    const answer = await trace(p('auditor'));
    expect(answer.advanceMinor).toBe(9_899_000n);
    expect(answer.holderPartyId).toBe(p('S').party.id);
    expect(answer.lenderPartyId).toBe(p('L').party.id);
    expect(answer.maxDepth).toBe(3);
    const rows = nodeRows(answer);
    expect(rows[0]).toEqual(['S', 0, 9_899_000n, 9_500_000n, 399_000n, true]);
    expect(rows.slice(1, 3).sort()).toEqual([
      ['A', 1, 4_500_000n, 2_000_000n, 2_500_000n, true],
      ['B', 1, 5_000_000n, 0n, 5_000_000n, true],
    ]);
    expect(rows[3]).toEqual(['C', 2, 2_000_000n, 0n, 2_000_000n, true]);
    expect(rows).toHaveLength(4);
    expect(
      answer.flows.map((f) => [nameOf(f.fromPartyId), nameOf(f.toPartyId), f.amountMinor, f.paymentId]),
    ).toEqual([
      ['S', 'A', 4_500_000n, paymentIds.sToA],
      ['A', 'C', 2_000_000n, paymentIds.aToC],
      ['S', 'B', 5_000_000n, paymentIds.sToB],
    ]);
    expect(answer.totals).toEqual({
      flowedMinor: 11_500_000n,
      unexplainedMinor: 9_899_000n,
      beyondDepthMinor: 0n,
    });
  });

  it('asOf between the payments gives the smaller trace; before the disbursement, none', async () => {
    const then = await trace(p('L'), { asOf: betweenPayments });
    expect(nodeRows(then)).toEqual([
      ['S', 0, 9_899_000n, 4_500_000n, 5_399_000n, true],
      ['A', 1, 4_500_000n, 2_000_000n, 2_500_000n, true],
      ['C', 2, 2_000_000n, 0n, 2_000_000n, true],
    ]);
    const early = await traceFinancedFunds(t.ledger, t.admin, query({ asOf: beforeDisbursement }));
    expect(early).toMatchObject({ ok: false, code: 'financing_not_disbursed', field: 'financingId' });
  });

  it('maxDepth 1 stops at S’s payees', async () => {
    const answer = await trace(p('S'), { maxDepth: 1 });
    expect(nodeRows(answer).sort()).toEqual([
      ['A', 1, 4_500_000n, 0n, 4_500_000n, false],
      ['B', 1, 5_000_000n, 0n, 5_000_000n, false],
      ['S', 0, 9_899_000n, 9_500_000n, 399_000n, true],
    ]);
    expect(answer.totals).toEqual({
      flowedMinor: 9_500_000n,
      unexplainedMinor: 399_000n,
      beyondDepthMinor: 9_500_000n,
    });
  });

  it.each([
    ['the lender', 'L'],
    ['the financed holder', 'S'],
    ['an auditor', 'auditor'],
  ])('answers %s', async (_who, name) => {
    expect((await trace(p(name))).nodes).toHaveLength(4);
  });

  it.each([
    ['an unrelated supplier', 'U'],
    ['a payee of the traced money', 'A'],
    ['the obligor of the financed invoice', 'O'],
  ])('refuses %s', async (_who, name) => {
    const result = await traceFinancedFunds(t.ledger, p(name).actor, query());
    expect(result).toMatchObject({ ok: false, code: 'forbidden', field: 'financingId' });
  });

  const refusals: Array<[string, Partial<TraceFundsQuery>, string, string]> = [
    ['an unknown financing', { financingId: randomUUID() }, 'financing_not_found', 'financingId'],
    ['a financing not disbursed', { financingId: '' }, 'financing_not_disbursed', 'financingId'],
    ['a financing id that is no UUID', { financingId: 'f-1' }, 'invalid_input', 'financingId'],
    ['maxDepth 0', { maxDepth: 0 }, 'invalid_input', 'maxDepth'],
    ['maxDepth 9', { maxDepth: 9 }, 'invalid_input', 'maxDepth'],
    ['maxDepth 1.5', { maxDepth: 1.5 }, 'invalid_input', 'maxDepth'],
    ['an invalid asOf', { asOf: new Date(Number.NaN) }, 'invalid_input', 'asOf'],
    ['an asOf after now', { asOf: new Date(Date.now() + 3_600_000) }, 'invalid_input', 'asOf'],
  ];
  it.each(refusals)('refuses %s', async (_what, overrides, code, field) => {
    const fixed = overrides.financingId === '' ? { ...overrides, financingId: undisbursedId } : overrides;
    const result = await traceFinancedFunds(t.ledger, p('S').actor, query(fixed));
    expect(result).toMatchObject({ ok: false, code, field });
  });
});

const graphqlQuery = `query ($financingId: UUID!, $maxDepth: Int, $asOf: DateTime) {
  traceFunds(financingId: $financingId, maxDepth: $maxDepth, asOf: $asOf) {
    __typename
    ... on FundsTrace {
      financingId lender { id } holder { id legalName } disbursed currency disbursedAt maxDepth asOf
      nodes { party { id legalName } depth tracedIn tracedOut unexplained followed }
      flows { from { id } to { id } amount paymentId receivableId recordedAt }
      totals { flowed unexplained beyondDepth }
    }
    ... on DomainError { code field }
  }
}`;

describe('traceFunds on GraphQL', () => {
  it('answers the lender in exact decimal strings, maxDepth 3 by default', async () => {
    const answer = await t.gql(graphqlQuery, { financingId }, p('L').apiKey);
    expect(answer.errors).toBeUndefined();
    const found = answer.data.traceFunds;
    expect(found).toMatchObject({
      __typename: 'FundsTrace',
      financingId,
      lender: { id: p('L').party.id },
      holder: { id: p('S').party.id },
      disbursed: '98990.00',
      currency: 'CNY',
      maxDepth: 3,
      asOf: null,
      totals: { flowed: '115000.00', unexplained: '98990.00', beyondDepth: '0.00' },
    });
    expect(Date.parse(found.disbursedAt)).toBeLessThan(Date.parse(found.flows[0].recordedAt));
    expect(found.nodes[0]).toEqual({
      party: { id: p('S').party.id, legalName: p('S').party.legalName },
      depth: 0,
      tracedIn: '98990.00',
      tracedOut: '95000.00',
      unexplained: '3990.00',
      followed: true,
    });
    expect(found.flows[1]).toMatchObject({
      from: { id: p('A').party.id },
      to: { id: p('C').party.id },
      amount: '20000.00',
      paymentId: paymentIds.aToC,
    });
  });

  it('refuses an unrelated supplier and maxDepth 9 as domain errors', async () => {
    const refused = await t.gql(graphqlQuery, { financingId }, p('U').apiKey);
    expect(refused.data.traceFunds).toEqual({
      __typename: 'DomainError',
      code: 'FORBIDDEN',
      field: 'financingId',
    });
    const tooDeep = await t.gql(graphqlQuery, { financingId, maxDepth: 9 }, p('S').apiKey);
    expect(tooDeep.data.traceFunds).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field: 'maxDepth',
    });
  });
});
