import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPaymentAllocations } from '../../services/receivables/receivable.repository.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  confirm,
  invoiceStatus,
  issueInvoice,
  pay,
  record,
  recorded,
  snapshotAll,
  transfer,
  treeOf,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let second: TestParty;
let third: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  second = await t.newParty(['supplier'], { custodial: true });
  third = await t.newParty(['supplier'], { custodial: true });
});

/** 300.00 held in three equal parts: the seller's root remainder and two tier-1 children. */
async function threeEqualHolders() {
  const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
  const rootId = await confirm(t, buyer, invoiceId);
  const childIds = [
    await transfer(t, seller, rootId, second, '100.00'),
    await transfer(t, seller, rootId, third, '100.00'),
  ];
  return { invoiceId, rootId, childIds: childIds.sort() };
}

describe('payment.recorded', () => {
  it('allocates 100.00 over three equal holders as 33.34 to the first in (tier, id) order, then 33.33, 33.33', async () => {
    const { invoiceId, rootId, childIds } = await threeEqualHolders();
    const paymentId = await pay(t, buyer, invoiceId, '100.00');
    const allocations = await findPaymentAllocations(t.owner.db, paymentId);
    const byReceivable = new Map(allocations.map((allocation) => [allocation.receivableId, allocation]));
    expect(byReceivable.get(rootId)).toMatchObject({ amountMinor: 3_334n, holderPartyId: seller.party.id });
    expect(byReceivable.get(childIds[0] ?? '')?.amountMinor).toBe(3_333n);
    expect(byReceivable.get(childIds[1] ?? '')?.amountMinor).toBe(3_333n);
    const payment = await t.owner.db
      .selectFrom('payment')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({
      amount_minor: 10_000n,
      payer_party_id: buyer.party.id,
      paid_on: '2025-04-10',
    });
    const tree = await treeOf(t, invoiceId);
    expect(tree.map((node) => [node.settledMinor, node.outstandingMinor, node.status])).toEqual([
      [3_334n, 6_666n, 'partially_settled'],
      [3_333n, 6_667n, 'partially_settled'],
      [3_333n, 6_667n, 'partially_settled'],
    ]);
  });

  it('gives the odd unit among equal tier-1 holders to the smaller id', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '2.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    const childIds = [
      await transfer(t, seller, rootId, second, '1.00'),
      await transfer(t, seller, rootId, third, '1.00'),
    ].sort();
    const paymentId = await pay(t, buyer, invoiceId, '0.01');
    expect(await findPaymentAllocations(t.owner.db, paymentId)).toEqual([
      expect.objectContaining({ receivableId: childIds[0], amountMinor: 1n }),
    ]);
  });

  it('settles every node of the tree, a parent that passed everything on included, with a full payment', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '1000.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    const childId = await transfer(t, seller, rootId, second, '1000.00');
    await transfer(t, second, childId, third, '333.33');
    await pay(t, buyer, invoiceId, '100.00');
    expect((await treeOf(t, invoiceId)).map((node) => node.status)).toEqual([
      'partially_settled',
      'partially_settled',
      'partially_settled',
    ]);
    await pay(t, buyer, invoiceId, '900.00', '2025-04-11');
    const tree = await treeOf(t, invoiceId);
    expect(tree.map((node) => node.status)).toEqual(['settled', 'settled', 'settled']);
    expect(tree.every((node) => node.outstandingMinor === 0n)).toBe(true);
    expect(tree.reduce((sum, node) => sum + node.settledMinor, 0n)).toBe(100_000n);
  });

  it('keeps OPEN on a parent that passed everything on until any of it is paid', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer);
    const rootId = await confirm(t, buyer, invoiceId);
    await transfer(t, seller, rootId, second, '300.00');
    expect((await treeOf(t, invoiceId)).map((node) => [node.status, node.outstandingMinor])).toEqual([
      ['open', 0n],
      ['open', 30_000n],
    ]);
  });
});

describe('receivable.defaulted', () => {
  it('defaults every receivable with something outstanding in its subtree, and a payment is then a recovery', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    const paid = await transfer(t, seller, rootId, second, '100.00');
    await transfer(t, seller, rootId, third, '200.00');
    await t.owner.db
      .updateTable('receivable')
      .set({ status: 'settled', settled_minor: 10_000n })
      .where('id', '=', paid)
      .execute();
    await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'insolvency filed' });
    const statuses = new Map((await treeOf(t, invoiceId)).map((node) => [node.id, node.status]));
    expect(statuses.get(rootId)).toBe('defaulted');
    expect(statuses.get(paid)).toBe('settled');
    await pay(t, buyer, invoiceId, '150.00');
    expect((await treeOf(t, invoiceId)).map((node) => node.status).sort()).toEqual([
      'defaulted',
      'defaulted',
      'settled',
    ]);
    await pay(t, buyer, invoiceId, '50.00');
    expect((await treeOf(t, invoiceId)).map((node) => node.status)).toEqual([
      'settled',
      'settled',
      'settled',
    ]);
  });

  it('may be declared by a platform administrator', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer);
    await confirm(t, buyer, invoiceId);
    const { event } = await recorded(t, t.admin, 'receivable.defaulted', {
      invoiceId,
      reason: 'court order',
    });
    expect(event.counterpartyPartyId).toBe(buyer.party.id);
    expect((await treeOf(t, invoiceId)).map((node) => node.status)).toEqual(['defaulted']);
  });
});

type Build = () => Promise<{ actor: TestParty; kind: string; payload: Record<string, unknown> }>;

async function confirmedInvoice(): Promise<string> {
  const invoiceId = await issueInvoice(t, seller, buyer);
  await confirm(t, buyer, invoiceId);
  return invoiceId;
}

function payment(
  fields: Record<string, unknown> = {},
  invoice = confirmedInvoice,
  actor = () => buyer,
): Build {
  return async () => ({
    actor: actor(),
    kind: 'payment.recorded',
    payload: {
      paymentId: randomUUID(),
      invoiceId: await invoice(),
      amount: '100.00',
      paidOn: '2025-04-10',
      ...fields,
    },
  });
}

function declaration(invoice = confirmedInvoice, actor = () => buyer): Build {
  return async () => ({
    actor: actor(),
    kind: 'receivable.defaulted',
    payload: { invoiceId: await invoice(), reason: 'late' },
  });
}

const failures: Array<[name: string, code: string, field: string, build: Build]> = [
  ['a payment with a malformed date', 'invalid_input', 'paidOn', payment({ paidOn: '2025-02-30' })],
  ['a payment of zero', 'invalid_input', 'amount', payment({ amount: '0' })],
  ['a payment on an unknown invoice', 'invoice_not_found', 'invoiceId', payment({ invoiceId: randomUUID() })],
  ['a payment recorded by the seller', 'forbidden', 'invoiceId', payment({}, confirmedInvoice, () => seller)],
  [
    'a payment on an unconfirmed invoice',
    'invoice_not_confirmed',
    'invoiceId',
    payment({}, () => issueInvoice(t, seller, buyer)),
  ],
  [
    'a payment on a cancelled invoice',
    'invoice_cancelled',
    'invoiceId',
    payment({}, async () => {
      const invoiceId = await issueInvoice(t, seller, buyer);
      await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'duplicate' });
      return invoiceId;
    }),
  ],
  [
    'a payment while a cancellation awaits the buyer',
    'receivable_on_hold',
    'invoiceId',
    payment({}, async () => {
      const invoiceId = await confirmedInvoice();
      await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'duplicate' });
      return invoiceId;
    }),
  ],
  ['a payment dated before the invoice', 'dates_out_of_order', 'paidOn', payment({ paidOn: '2025-01-09' })],
  [
    'a payment of more than is outstanding',
    'amount_exceeds_outstanding',
    'amount',
    payment({ amount: '300.01' }),
  ],
  [
    'a payment on a settled invoice',
    'receivable_settled',
    'invoiceId',
    payment({}, async () => {
      const invoiceId = await confirmedInvoice();
      await pay(t, buyer, invoiceId, '300.00');
      return invoiceId;
    }),
  ],
  ['a default declared by the seller', 'forbidden', 'invoiceId', declaration(confirmedInvoice, () => seller)],
  [
    'a default on an unconfirmed invoice',
    'invoice_not_confirmed',
    'invoiceId',
    declaration(() => issueInvoice(t, seller, buyer)),
  ],
  [
    'a default declared twice',
    'receivable_defaulted',
    'invoiceId',
    declaration(async () => {
      const invoiceId = await confirmedInvoice();
      await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'late' });
      return invoiceId;
    }),
  ],
];

describe('payment and default rejections', () => {
  it.each(failures)('rejects %s with %s on %s and writes nothing', async (_name, code, field, build) => {
    const { actor, kind, payload } = await build();
    const before = await snapshotAll(t);
    expect(await record(t, actor, kind, payload)).toMatchObject({ ok: false, code, field });
    expect(await snapshotAll(t)).toBe(before);
  });

  it('leaves the invoice confirmed after a rejected payment', async () => {
    const invoiceId = await confirmedInvoice();
    await record(t, buyer, 'payment.recorded', {
      paymentId: randomUUID(),
      invoiceId,
      amount: '999.00',
      paidOn: '2025-04-10',
    });
    expect(await invoiceStatus(t, invoiceId)).toBe('confirmed');
  });
});
