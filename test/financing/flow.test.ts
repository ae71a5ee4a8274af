/**
 * The financing flow through the services: a request to several lenders, offers with the discount
 * computed by the server, a decline, the acceptance of one offer, the disbursement that splits the
 * financed part off to the lender, and repayment through the ordinary settlement. Also withdrawal,
 * a request every lender declines, and credit limits.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareFact } from '../../services/events/fact.service.js';
import {
  creditLimits,
  findFinancing,
  listFinancings,
  totalFinancings,
} from '../../services/financing/index.js';
import { pay, receivableById, treeOf } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  dueIn,
  financingRow,
  offer,
  record,
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
const lenders: TestParty[] = [];
let auditor: TestParty;

const page = { after: null, before: null, limit: 50, inverted: false };

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tier1 = await t.newParty(['supplier'], { custodial: true });
  for (let index = 0; index < 3; index++) lenders.push(await t.newParty(['lender'], { custodial: true }));
  auditor = await t.newParty(['auditor'], { custodial: true });
});

describe('a tier-1 supplier finances part of its receivable', () => {
  it('runs from request to repayment', async () => {
    const [first, second, third] = lenders as [TestParty, TestParty, TestParty];
    const { invoiceId, rootId } = await confirmedReceivable(t, seller, buyer);
    const partId = await transfer(t, seller, rootId, tier1, '400000.00');
    const financingId = await requestFinancing(t, tier1, partId, lenders, '300000.00');
    expect(await financingRow(t, financingId)).toMatchObject({
      status: 'requested',
      amount_minor: 30_000_000n,
    });
    expect((await receivableById(t, partId)).financingId).toBe(financingId);

    const reportHash = await storeReport(t, partId);
    const prepared = await prepareFact(
      t.ledger,
      first.actor,
      'financing.offered',
      {
        financingId,
        offerId: randomUUID(),
        rate: '0.0450',
        dayCount: 'act_360',
        fee: '500.00',
        advanceDate: today(),
        reportHash,
      },
      freshKey('offer'),
    );
    if (!prepared.ok) throw new Error(prepared.message);
    // The server states the days, discount and advance; the rate in its normal form.
    expect(prepared.value.envelope.payload).toMatchObject({
      rate: '0.045',
      days: 90,
      discount: '3375.00',
      advance: '296125.00',
    });
    const firstOffer = await offer(t, first, financingId, reportHash);
    const secondOffer = await offer(t, second, financingId, reportHash, { rate: '0.05', fee: '0.00' });
    await recorded(t, third, 'financing.declined', { financingId, reason: 'sector limit reached' });
    expect((await financingRow(t, financingId)).status).toBe('offered');

    // Each lender sees its own answer; the holder sees all of them.
    const asFirst = await findFinancing(t.ledger, first.actor, financingId);
    expect(asFirst.ok && asFirst.value.responses.map((response) => response.id)).toEqual([firstOffer]);
    const asHolder = await findFinancing(t.ledger, tier1.actor, financingId);
    expect(asHolder.ok && asHolder.value.responses).toHaveLength(3);
    expect(asHolder.ok && asHolder.value.effectiveStatus).toBe('offered');

    await accept(t, tier1, financingId, secondOffer);
    const responses = await t.owner.db
      .selectFrom('financing_response')
      .select(['id', 'status'])
      .where('financing_id', '=', financingId)
      .execute();
    expect(new Map(responses.map((row) => [row.id, row.status]))).toEqual(
      new Map([
        [firstOffer, 'closed'],
        [secondOffer, 'accepted'],
        [responses.find((row) => row.status === 'declined')?.id, 'declined'],
      ]),
    );
    expect(await financingRow(t, financingId)).toMatchObject({
      status: 'accepted',
      accepted_offer_id: secondOffer,
      lender_party_id: second.party.id,
    });

    const childId = await disburse(t, second, financingId, '300000.00');
    const child = await receivableById(t, childId);
    expect(child).toMatchObject({
      parentId: partId,
      tier: 2,
      holderPartyId: second.party.id,
      faceMinor: 30_000_000n,
      financingId: null,
    });
    expect(await receivableById(t, partId)).toMatchObject({
      transferredMinor: 30_000_000n,
      outstandingMinor: 10_000_000n,
      financingId: null,
    });
    const financedRoot = await t.owner.db
      .selectFrom('financed_root')
      .selectAll()
      .where('root_id', '=', rootId)
      .executeTakeFirstOrThrow();
    expect(financedRoot).toMatchObject({ face_minor: 100_000_000n, financed_minor: 30_000_000n });
    const row = await t.owner.db
      .selectFrom('receivable')
      .select('financed_by')
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(row.financed_by).toBe(financingId);

    // The obligor pays in full at maturity: the lender's part is settled, and the financing is REPAID.
    await pay(t, buyer, invoiceId, '1000000.00', today());
    const tree = await treeOf(t, invoiceId);
    expect(tree.every((node) => node.status === 'settled')).toBe(true);
    const repaid = await findFinancing(t.ledger, second.actor, financingId);
    expect(repaid.ok && repaid.value.effectiveStatus).toBe('repaid');
    const listed = await listFinancings(t.ledger, second.actor, page, { statuses: ['repaid'] });
    expect(listed.map((financing) => financing.id)).toContain(financingId);
  });

  it('reads DEFAULTED when the obligor defaults on the financed part', async () => {
    const [first] = lenders as [TestParty];
    const { invoiceId, rootId } = await confirmedReceivable(t, seller, buyer, { total: '500.00' });
    const financingId = await requestFinancing(t, seller, rootId, [first], '200.00');
    await accept(t, seller, financingId, await offer(t, first, financingId, await storeReport(t, rootId)));
    await disburse(t, first, financingId, '200.00');
    await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'insolvent' });
    const found = await findFinancing(t.ledger, first.actor, financingId);
    expect(found.ok && found.value.effectiveStatus).toBe('defaulted');
  });
});

describe('a request that ends without financing', () => {
  it('is WITHDRAWN by the holder, which frees the receivable and closes the offers', async () => {
    const [first, second] = lenders as [TestParty, TestParty];
    const { rootId } = await confirmedReceivable(t, seller, buyer, { total: '800.00' });
    const financingId = await requestFinancing(t, seller, rootId, [first, second], '800.00');
    const offerId = await offer(t, first, financingId, await storeReport(t, rootId));
    const blocked = await record(t, seller, 'receivable.transferred', {
      receivableId: rootId,
      toPartyId: tier1.party.id,
      amount: '100.00',
      childReceivableId: randomUUID(),
    });
    expect(blocked).toMatchObject({ ok: false, code: 'receivable_under_financing' });
    await recorded(t, seller, 'financing.withdrawn', { financingId });
    expect((await financingRow(t, financingId)).status).toBe('withdrawn');
    const offerRow = await t.owner.db
      .selectFrom('financing_response')
      .select('status')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(offerRow.status).toBe('closed');
    expect((await receivableById(t, rootId)).financingId).toBeNull();
    await transfer(t, seller, rootId, tier1, '100.00');
  });

  it('is DECLINED when every lender asked declines, and the receivable may be asked about again', async () => {
    const [first, second] = lenders as [TestParty, TestParty];
    const { rootId } = await confirmedReceivable(t, seller, buyer, { total: '900.00' });
    const financingId = await requestFinancing(t, seller, rootId, [first, second], '900.00');
    await recorded(t, first, 'financing.declined', { financingId, reason: 'no appetite' });
    expect((await financingRow(t, financingId)).status).toBe('requested');
    await recorded(t, second, 'financing.declined', { financingId, reason: 'tenor too long' });
    expect((await financingRow(t, financingId)).status).toBe('declined');
    expect((await receivableById(t, rootId)).financingId).toBeNull();
    await requestFinancing(t, seller, rootId, [first], '900.00');
  });
});

describe('preparing a request again under the same idempotency key', () => {
  it('states the same expiry, so it is the same statement and no key reuse', async () => {
    const [first] = lenders as [TestParty];
    const { rootId } = await confirmedReceivable(t, seller, buyer, { total: '300.00' });
    const input = {
      financingId: randomUUID(),
      receivableId: rootId,
      lenderPartyIds: [first.party.id],
      amount: '300.00',
    };
    const key = freshKey('request');
    const once = await prepareFact(t.ledger, seller.actor, 'financing.requested', input, key);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const twice = await prepareFact(t.ledger, seller.actor, 'financing.requested', input, key);
    if (!once.ok || !twice.ok) throw new Error('prepare failed');
    expect(twice.value.eventHash).toBe(once.value.eventHash);
  });
});

describe('credit limits', () => {
  it('cap offers per obligor and per group, and utilisation moves with disbursement and repayment', async () => {
    const [, , lender] = lenders as [TestParty, TestParty, TestParty];
    const parent = await t.newParty(['core_enterprise'], { custodial: true });
    const subsidiary = await t.newParty(['core_enterprise'], {
      custodial: true,
      parentPartyId: parent.party.id,
    });
    await recorded(t, lender, 'credit_limit.set', {
      scope: 'group',
      subjectPartyId: parent.party.id,
      currency: 'CNY',
      limit: '1000.00',
    });
    await recorded(t, lender, 'credit_limit.set', {
      scope: 'obligor',
      subjectPartyId: subsidiary.party.id,
      currency: 'CNY',
      limit: '700.00',
    });
    const first = await confirmedReceivable(t, seller, subsidiary, { total: '600.00' });
    const financingId = await requestFinancing(t, seller, first.rootId, [lender], '600.00');
    await accept(
      t,
      seller,
      financingId,
      await offer(t, lender, financingId, await storeReport(t, first.rootId)),
    );
    await disburse(t, lender, financingId, '600.00');
    const limits = await creditLimits(t.ledger, lender.actor, lender.party.id);
    expect(
      limits.ok &&
        limits.value.map((use) => [use.scope, use.limitMinor, use.utilisedMinor, use.availableMinor]),
    ).toEqual([
      ['group', 100_000n, 60_000n, 40_000n],
      ['obligor', 70_000n, 60_000n, 10_000n],
    ]);

    // 200.00 more on the subsidiary passes its own limit (100.00 left); on the parent, the group's (400.00 left) holds.
    const second = await confirmedReceivable(t, seller, subsidiary, { total: '200.00' });
    const overSubsidiary = await requestFinancing(t, seller, second.rootId, [lender], '200.00');
    const refused = await record(t, lender, 'financing.offered', {
      financingId: overSubsidiary,
      offerId: randomUUID(),
      rate: '0.05',
      dayCount: 'act_365f',
      fee: '0.00',
      advanceDate: today(),
      reportHash: await storeReport(t, second.rootId),
    });
    expect(refused).toMatchObject({ ok: false, code: 'credit_limit_exceeded' });
    const third = await confirmedReceivable(t, seller, parent, { total: '500.00' });
    const overGroup = await requestFinancing(t, seller, third.rootId, [lender], '500.00');
    const refusedGroup = await record(t, lender, 'financing.offered', {
      financingId: overGroup,
      offerId: randomUUID(),
      rate: '0.05',
      dayCount: 'act_365f',
      fee: '0.00',
      advanceDate: today(),
      reportHash: await storeReport(t, third.rootId),
    });
    expect(refusedGroup).toMatchObject({ ok: false, code: 'credit_limit_exceeded' });

    // Repayment frees the limit in the same transaction as the payment.
    await pay(t, subsidiary, first.invoiceId, '600.00', today());
    const after = await creditLimits(t.ledger, lender.actor, lender.party.id);
    expect(after.ok && after.value.map((use) => use.utilisedMinor)).toEqual([0n, 0n]);
    await offer(t, lender, overGroup, await storeReport(t, third.rootId));
    expect(await creditLimits(t.ledger, seller.actor, lender.party.id)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect((await creditLimits(t.ledger, auditor.actor, lender.party.id)).ok).toBe(true);
  });
});

describe('listing financings', () => {
  it('pages a holder, a lender and an auditor through what each may see', async () => {
    const [first, second] = lenders as [TestParty, TestParty];
    const holder = await t.newParty(['supplier'], { custodial: true });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { rootId } = await confirmedReceivable(t, holder, buyer, {
        total: '100.00',
        dueInDays: 30 + index,
      });
      ids.push(await requestFinancing(t, holder, rootId, index === 0 ? [first, second] : [second], '100.00'));
    }
    const firstPage = await listFinancings(t.ledger, holder.actor, { ...page, limit: 2 }, { side: 'holder' });
    expect(firstPage.map((financing) => financing.id)).toEqual(ids.slice(0, 2));
    const last = firstPage[1];
    if (!last) throw new Error('no second row');
    const next = await listFinancings(
      t.ledger,
      holder.actor,
      { ...page, after: { createdAt: last.createdAt, id: last.id } },
      { side: 'holder' },
    );
    expect(next.map((financing) => financing.id)).toEqual(ids.slice(2));
    expect(await totalFinancings(t.ledger, holder.actor, { side: 'holder' })).toEqual([
      { currency: 'CNY', count: 3, amountMinor: 30000n },
    ]);
    const asFirst = await listFinancings(t.ledger, first.actor, page, { side: 'lender' });
    expect(asFirst.map((financing) => financing.id).filter((id) => ids.includes(id))).toEqual([ids[0]]);
    const asAuditor = await listFinancings(t.ledger, auditor.actor, page);
    expect(asAuditor.length).toBeGreaterThanOrEqual(3);
    expect(await totalFinancings(t.ledger, tier1.actor, { side: 'holder', statuses: ['requested'] })).toEqual(
      [],
    );
    expect((await findFinancing(t.ledger, buyer.actor, ids[0] ?? '')).ok).toBe(false);
    expect(dueIn(0)).toBe(today());
  });
});
