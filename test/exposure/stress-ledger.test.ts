/**
 * stressTest and lenderExposure against the database: the README example built from confirmed
 * invoices (settled, cancelled and USD paper beside it that must not count), a lender's financed
 * parts of an ownership group's paper, and who may ask.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lenderExposure } from '../../services/exposure/lender-exposure.service.js';
import { type StressRequest, stressTest } from '../../services/exposure/stress.service.js';
import { todayUtc } from '../../services/receivables/receivable.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  offer,
  recorded,
  requestFinancing,
  storeReport,
} from '../financing/support.js';
import { pay } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { exampleClaims, exampleLosses, exampleTotalLossMinor } from './stress-example.js';

const t = useTestLedger();
const named = new Map<string, TestParty>();
const nameOf = (partyId: string) => [...named].find(([, p]) => p.party.id === partyId)?.[0];
let auditor: TestParty;
let otherLender: TestParty;
/** Instants between the setup's steps, for the asOf cases. */
const instants: Record<'beforeSettling' | 'afterFirstFinancing' | 'beforeLimits', Date> = {
  beforeSettling: new Date(0),
  afterFirstFinancing: new Date(0),
  beforeLimits: new Date(0),
};
/** Now, a moment after everything before it committed (history stamps are milliseconds). */
async function instant(): Promise<Date> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const now = new Date();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return now;
}

async function party(name: string, roles: Parameters<typeof t.newParty>[0], parent?: string) {
  const created = await t.newParty(roles, {
    custodial: true,
    ...(parent ? { parentPartyId: named.get(parent)?.party.id ?? '' } : {}),
  });
  named.set(name, created);
  return created;
}
const p = (name: string) => named.get(name) as TestParty;

async function financed(seller: string, obligor: string, total: string, lender: string, amount: string) {
  const { rootId } = await confirmedReceivable(t, p(seller), p(obligor), { total });
  const financingId = await requestFinancing(t, p(seller), rootId, [p(lender)], amount);
  const offerId = await offer(t, p(lender), financingId, await storeReport(t, rootId));
  await accept(t, p(seller), financingId, offerId);
  await disburse(t, p(lender), financingId, amount);
}

beforeAll(async () => {
  for (const name of ['O', 'Q', 'A', 'B', 'C', 'D', 'E', 'F']) await party(name, ['supplier']);
  for (const [holder, obligor, total] of exampleClaims)
    await confirmedReceivable(t, p(holder), p(obligor), { total });
  // Paper that is no claim: settled in full, cancelled; and a claim in another currency.
  const settled = await confirmedReceivable(t, p('A'), p('O'), { total: '999.00' });
  instants.beforeSettling = await instant();
  await pay(t, p('O'), settled.invoiceId, '999.00', todayUtc());
  const cancelled = await confirmedReceivable(t, p('B'), p('O'), { total: '777.00' });
  await recorded(t, p('B'), 'invoice.cancelled', {
    invoiceId: cancelled.invoiceId,
    reason: 'goods returned',
  });
  await recorded(t, p('O'), 'invoice.hold_resolved', { invoiceId: cancelled.invoiceId, outcome: 'accepted' });
  const { rootId: usdRootId } = await confirmedReceivable(t, p('A'), p('O'), { total: '5000.00' });
  await t.owner.db.updateTable('receivable').set({ currency: 'USD' }).where('id', '=', usdRootId).execute();

  // An ownership group T with subsidiaries T1 and T2, a solo obligor U, a lender L financing S's paper.
  await party('T', ['core_enterprise']);
  await party('T1', ['core_enterprise'], 'T');
  await party('T2', ['core_enterprise'], 'T');
  await party('U', ['core_enterprise']);
  await party('S', ['supplier']);
  await party('L', ['lender']);
  await financed('S', 'T1', '1000.00', 'L', '600.00');
  instants.afterFirstFinancing = await instant();
  await financed('S', 'T2', '1000.00', 'L', '300.00');
  await financed('S', 'U', '1000.00', 'L', '100.00');
  instants.beforeLimits = await instant();
  await recorded(t, p('L'), 'credit_limit.set', {
    scope: 'obligor',
    subjectPartyId: p('T1').party.id,
    currency: 'CNY',
    limit: '500.00',
  });
  await recorded(t, p('L'), 'credit_limit.set', {
    scope: 'group',
    subjectPartyId: p('T').party.id,
    currency: 'CNY',
    limit: '1000.00',
  });
  // K was asked to finance S's paper on T2 and has not answered.
  await party('K', ['lender']);
  const { rootId: askedRootId } = await confirmedReceivable(t, p('S'), p('T2'), { total: '10.00' });
  await requestFinancing(t, p('S'), askedRootId, [p('K')], '10.00');
  // A cycle: G holds on X and on H, H holds on G.
  for (const name of ['X', 'G', 'H']) await party(name, ['supplier']);
  await confirmedReceivable(t, p('G'), p('X'), { total: '1000.00' });
  await confirmedReceivable(t, p('G'), p('H'), { total: '500.00' });
  await confirmedReceivable(t, p('H'), p('G'), { total: '300.00' });
  auditor = await t.newParty(['auditor']);
  otherLender = await t.newParty(['lender'], { custodial: true });
}, 240_000);

const request = (obligor: string, overrides: Partial<StressRequest> = {}): StressRequest => ({
  obligorPartyId: p(obligor).party.id,
  lossGivenDefault: '0.4',
  maxDepth: 3,
  currency: 'CNY',
  ...overrides,
});

describe('stressTest', () => {
  it('answers as of a past instant: paper settled since still counts then, and asOf now is today', async () => {
    const at = async (asOf: Date | null) => {
      const result = await stressTest(t.ledger, auditor.actor, request('O', { asOf }));
      if (!result.ok) throw new Error(result.message);
      return result.value;
    };
    const exposedOfA = (answer: { parties: { partyId: string; level: number; exposedMinor: bigint }[] }) =>
      answer.parties.find((x) => x.level === 1 && x.partyId === p('A').party.id)?.exposedMinor;
    const before = await at(instants.beforeSettling);
    const current = await at(null);
    expect(exposedOfA(before)).toBe((exposedOfA(current) ?? 0n) + 99_900n);
    const { asOf: _asOf, ...now } = await at(new Date());
    const { asOf: _none, ...today } = current;
    expect(now).toEqual(today);
  });

  it('computes the README example from the ledger, leaving settled, cancelled and USD paper out', async () => {
    const result = await stressTest(t.ledger, auditor.actor, request('O'));
    if (!result.ok) throw new Error(result.message);
    const rows = result.value.parties.map((x) => [
      nameOf(x.partyId) ?? '',
      x.level,
      x.lossMinor,
      `${x.share.numerator}/${x.share.denominator}`,
    ]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
      exampleLosses.map((row) => [...row]),
    );
    expect(result.value.totalLossMinor).toBe(exampleTotalLossMinor);
  });

  it('follows a cycle once', async () => {
    const result = await stressTest(t.ledger, auditor.actor, request('X', { maxDepth: 8 }));
    if (!result.ok) throw new Error(result.message);
    // G: floor(0.4 x 100000) = 40000 of 150000 held; H: floor(4/15 x 30000) = 8000 of 30000; then G again: no.
    expect(
      result.value.parties.map((x) => [
        nameOf(x.partyId),
        x.level,
        x.lossMinor,
        `${x.share.numerator}/${x.share.denominator}`,
      ]),
    ).toEqual([
      ['G', 1, 40_000n, '4/15'],
      ['H', 2, 8_000n, '4/15'],
    ]);
  });

  it('keeps currencies apart', async () => {
    const result = await stressTest(t.ledger, auditor.actor, request('O', { currency: 'USD' }));
    if (!result.ok) throw new Error(result.message);
    expect(result.value.parties.map((x) => [nameOf(x.partyId), x.level, x.lossMinor])).toEqual([
      ['A', 1, 200_000n],
    ]);
  });

  it("reports a lender's financed claims lost", async () => {
    const result = await stressTest(t.ledger, p('L').actor, request('T1', { lossGivenDefault: '0.5' }));
    if (!result.ok) throw new Error(result.message);
    // S keeps 400.00 of T1's invoice and holds 2010.00 in all; L holds 1000.00, 600.00 of it on T1.
    expect(
      result.value.parties
        .map((x) => [nameOf(x.partyId), x.level, x.lossMinor, `${x.share.numerator}/${x.share.denominator}`])
        .sort(),
    ).toEqual([
      ['L', 1, 30_000n, '3/10'],
      ['S', 1, 20_000n, '20/201'],
    ]);
    expect(result.value.lenders).toEqual([
      { lenderPartyId: p('L').party.id, level: 1, financedExposedMinor: 60_000n, financedLossMinor: 30_000n },
    ]);
  });

  it.each([
    ['lossGivenDefault', { lossGivenDefault: '1.5' }],
    ['lossGivenDefault', { lossGivenDefault: '0.1234567' }],
    ['maxDepth', { maxDepth: 0 }],
    ['maxDepth', { maxDepth: 9 }],
    ['currency', { currency: 'XYZ' }],
  ] as const)('refuses a bad %s as invalid_input', async (field, overrides) => {
    const result = await stressTest(t.ledger, auditor.actor, request('O', overrides));
    expect(result.ok ? null : [result.code, result.field]).toEqual(['invalid_input', field]);
  });

  it('is for auditors, administrators, the obligor and its lenders; others are forbidden', async () => {
    const code = async (actor: TestParty['actor'], obligor: string) => {
      const result = await stressTest(t.ledger, actor, request(obligor));
      return result.ok ? 'ok' : result.code;
    };
    expect(await code(auditor.actor, 'T1')).toBe('ok');
    expect(await code(t.admin, 'T1')).toBe('ok');
    expect(await code(p('T1').actor, 'T1')).toBe('ok');
    expect(await code(p('L').actor, 'T1')).toBe('ok');
    expect(await code(p('L').actor, 'O')).toBe('forbidden');
    expect(await code(p('K').actor, 'T2')).toBe('ok');
    expect(await code(p('K').actor, 'T1')).toBe('forbidden');
    expect(await code(otherLender.actor, 'T1')).toBe('forbidden');
    expect(await code(p('S').actor, 'T1')).toBe('forbidden');
  });
});

describe('lenderExposure', () => {
  it('sums financed parts per obligor and group against the limits, with HHI', async () => {
    const result = await lenderExposure(t.ledger, p('L').actor, p('L').party.id);
    if (!result.ok) throw new Error(result.message);
    const [cny] = result.value.portfolios;
    expect(cny?.totalMinor).toBe(100_000n);
    expect(cny?.obligors.map((x) => [nameOf(x.partyId), x.outstandingMinor, x.shareBasisPoints])).toEqual([
      ['T1', 60_000n, 6_000n],
      ['T2', 30_000n, 3_000n],
      ['U', 10_000n, 1_000n],
    ]);
    expect(cny?.groups.map((x) => [nameOf(x.partyId), x.outstandingMinor, x.shareBasisPoints])).toEqual([
      ['T', 90_000n, 9_000n],
      ['U', 10_000n, 1_000n],
    ]);
    expect(cny?.herfindahlBasisPoints).toBe(4_600n);
    expect(
      result.value.limits.map((x) => [
        x.scope,
        nameOf(x.subjectPartyId),
        x.limitMinor,
        x.utilisedMinor,
        x.breached,
      ]),
    ).toEqual([
      ['group', 'T', 100_000n, 90_000n, false],
      ['obligor', 'T1', 50_000n, 60_000n, true],
    ]);
    expect(result.value.breaches.map((x) => x.scope)).toEqual(['obligor']);
  });

  it('answers as of a past instant: the parts financed by then, the limits set by then', async () => {
    const at = async (asOf: Date | null) => {
      const result = await lenderExposure(t.ledger, p('L').actor, p('L').party.id, asOf);
      if (!result.ok) throw new Error(result.message);
      return result.value;
    };
    const first = await at(instants.afterFirstFinancing);
    expect(first.asOf).toEqual(instants.afterFirstFinancing);
    expect(first.portfolios.map((x) => [x.currency, x.totalMinor, x.herfindahlBasisPoints])).toEqual([
      ['CNY', 60_000n, 10_000n],
    ]);
    expect(first.limits).toEqual([]);
    const beforeLimits = await at(instants.beforeLimits);
    expect(beforeLimits.portfolios[0]?.totalMinor).toBe(100_000n);
    expect(beforeLimits.limits).toEqual([]);
    const { asOf: _now, ...now } = await at(new Date());
    const { asOf: _current, ...current } = await at(null);
    expect(now).toEqual(current);
  });

  it('refuses an asOf in the future', async () => {
    const result = await lenderExposure(
      t.ledger,
      p('L').actor,
      p('L').party.id,
      new Date(Date.now() + 60_000),
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', field: 'asOf' });
  });

  it("is the lender's own, an auditor's or an administrator's", async () => {
    const code = async (actor: TestParty['actor']) => {
      const result = await lenderExposure(t.ledger, actor, p('L').party.id);
      return result.ok ? 'ok' : result.code;
    };
    expect(await code(auditor.actor)).toBe('ok');
    expect(await code(t.admin)).toBe('ok');
    expect(await code(otherLender.actor)).toBe('forbidden');
    expect(await code(p('T1').actor)).toBe('forbidden');
  });
});
