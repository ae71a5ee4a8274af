/**
 * Each of the five event types reaches the party it concerns and no other, with only what that party
 * may read: an invoice issued to its buyer, a receivable received by its new holder, each holder's
 * own share of a payment, and the due-date scan's notices to holders and obligors, once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDueNotices } from '../../services/receivables/index.js';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { invoiceKind } from '../../services/trade/index.js';
import type { WebhookDispatcher } from '../../services/webhooks/dispatcher.js';
import { webhookEventTypes } from '../../services/webhooks/webhook.js';
import { confirm, issueInvoice, pay, transfer } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';
import {
  outboxOf,
  type Received,
  type RegisteredHook,
  register,
  signedBy,
  startDispatcher,
  TestReceiver,
  waitUntilSettled,
} from './support.js';

const t = useTestLedger();
const receiver = new TestReceiver();
let dispatcher: WebhookDispatcher | null = null;

beforeAll(async () => {
  await receiver.start();
});

afterAll(async () => {
  await dispatcher?.stop();
  await receiver.kill();
});

const allTypes = [...webhookEventTypes];

/** A party with a webhook to its own path on the receiver, subscribed to every type. */
interface Listener extends TestParty {
  hook: RegisteredHook;
  path: string;
}

async function listener(roles: Parameters<typeof t.newParty>[0], name: string): Promise<Listener> {
  const party = await t.newParty(roles, { custodial: true });
  const path = `/${name}`;
  return { ...party, path, hook: await register(t, party, `${receiver.url}${path}`, allTypes) };
}

function receivedAt(path: string): Received[] {
  return receiver.received.filter((each) => each.path === path);
}

describe('notices of facts', () => {
  let buyer: Listener;
  let seller: Listener;
  let tier1: Listener;
  let bystander: Listener;
  let invoiceId: string;
  let rootId: string;
  let childId: string;
  let paymentId: string;

  beforeAll(async () => {
    buyer = await listener(['core_enterprise'], 'buyer');
    seller = await listener(['supplier'], 'seller');
    tier1 = await listener(['supplier'], 'tier1');
    bystander = await listener(['supplier'], 'bystander');
    const lines = [{ itemCode: 'STEEL-1', quantity: '10', unitPrice: '100.00' }];
    const chain = await recordChain(t, buyer, seller, lines);
    const invoice = invoicePayload(chain, lines, '1000.00');
    invoiceId = String(invoice.documentId);
    await recorded(t, seller, invoiceKind, invoice);
    rootId = await confirm(t, buyer, invoiceId);
    childId = await transfer(t, seller, rootId, tier1, '400.00');
    paymentId = await pay(t, buyer, invoiceId, '100.00', '2025-09-01');
    dispatcher = startDispatcher(t);
    for (const each of [buyer, seller, tier1, bystander]) await waitUntilSettled(t, each.hook.id);
  });

  afterAll(async () => {
    await dispatcher?.stop();
    dispatcher = null;
  });

  it('tell the buyer, and only the buyer, that an invoice awaits its confirmation', () => {
    const [notice, ...more] = receivedAt(buyer.path);
    expect(more).toEqual([]);
    expect(notice?.eventType).toBe('INVOICE_AWAITING_CONFIRMATION');
    expect(notice?.payload.type).toBe('INVOICE_AWAITING_CONFIRMATION');
    expect(Object.keys(notice?.payload.data).sort()).toEqual(
      [
        'invoiceId',
        'sellerPartyId',
        'buyerPartyId',
        'taxInvoiceNumber',
        'currency',
        'total',
        'issueDate',
        'dueDate',
        'eventId',
        'eventKind',
        'eventHash',
      ].sort(),
    );
    expect(notice?.payload.data).toMatchObject({
      invoiceId,
      sellerPartyId: seller.party.id,
      buyerPartyId: buyer.party.id,
      total: '1000.00',
      currency: 'CNY',
      eventKind: 'invoice.issued',
    });
  });

  it('tell the seller it holds the receivable its confirmation created, and its share of the payment', () => {
    const notices = receivedAt(seller.path);
    expect(notices.map((each) => each.eventType).sort()).toEqual([
      'PAYMENT_ALLOCATED',
      'RECEIVABLE_RECEIVED',
    ]);
    const received = notices.find((each) => each.eventType === 'RECEIVABLE_RECEIVED');
    expect(received?.payload.data).toMatchObject({
      receivableId: rootId,
      invoiceId,
      via: 'CONFIRMATION',
      fromPartyId: buyer.party.id,
      holderPartyId: seller.party.id,
      face: '1000.00',
      outstanding: '1000.00',
      tier: 0,
      eventKind: 'invoice.confirmed',
    });
    const allocated = notices.find((each) => each.eventType === 'PAYMENT_ALLOCATED');
    expect(allocated?.payload.data).toMatchObject({ paymentId, receivableId: rootId, amount: '60.00' });
  });

  it('tell the receiver of a transfer it holds the part passed on, and its own share of the payment', () => {
    const notices = receivedAt(tier1.path);
    expect(notices.map((each) => each.eventType).sort()).toEqual([
      'PAYMENT_ALLOCATED',
      'RECEIVABLE_RECEIVED',
    ]);
    expect(notices.find((each) => each.eventType === 'RECEIVABLE_RECEIVED')?.payload.data).toMatchObject({
      receivableId: childId,
      parentReceivableId: rootId,
      via: 'TRANSFER',
      fromPartyId: seller.party.id,
      face: '400.00',
      tier: 1,
    });
    expect(notices.find((each) => each.eventType === 'PAYMENT_ALLOCATED')?.payload.data).toMatchObject({
      paymentId,
      receivableId: childId,
      amount: '40.00',
      paymentAmount: '100.00',
      obligorPartyId: buyer.party.id,
    });
  });

  it('tell a party with no part in it nothing', () => {
    expect(receivedAt(bystander.path)).toEqual([]);
  });

  it('send each delivery signed with its own webhook’s secret, the body the outbox holds, its id in the header', async () => {
    for (const each of [buyer, seller, tier1]) {
      const outbox = await outboxOf(t, each.hook.id);
      const received = receivedAt(each.path);
      expect(received.map((request) => request.deliveryId).sort()).toEqual(
        outbox.map((row) => row.id).sort(),
      );
      for (const request of received) {
        expect(signedBy(each.hook.secret, request)).toBe(true);
        expect(signedBy(bystander.hook.secret, request)).toBe(false);
        expect(request.payload.id).toBe(request.deliveryId);
        expect(request.body).toBe(outbox.find((row) => row.id === request.deliveryId)?.body);
      }
    }
  });
});

describe('notices of due dates', () => {
  const now = new Date();
  const today = todayUtc(now);
  let buyer: Listener;
  let seller: Listener;
  let tier1: Listener;
  let sellerLongHorizon: RegisteredHook;
  const ids: Record<string, { invoiceId: string; rootId: string; childId?: string }> = {};

  async function confirmedInvoice(dueInDays: number) {
    const invoiceId = await issueInvoice(t, seller, buyer, {
      total: '500.00',
      issueDate: addDays(today, -20),
      dueDate: addDays(today, dueInDays),
    });
    return { invoiceId, rootId: await confirm(t, buyer, invoiceId) };
  }

  beforeAll(async () => {
    buyer = await listener(['core_enterprise'], 'due-buyer');
    seller = await listener(['supplier'], 'due-seller');
    tier1 = await listener(['supplier'], 'due-tier1');
    sellerLongHorizon = await register(
      t,
      seller,
      `${receiver.url}/due-seller-40`,
      ['receivable_due_soon'],
      40,
    );
    ids.soon = await confirmedInvoice(3);
    ids.soon.childId = await transfer(t, seller, ids.soon.rootId, tier1, '200.00');
    ids.later = await confirmedInvoice(30);
    ids.overdue = await confirmedInvoice(-5);
    ids.paid = await confirmedInvoice(2);
    await pay(t, buyer, ids.paid.invoiceId, '500.00', today);
  });

  /** The due-date notices in the webhook's outbox (the facts above it enqueued others too). */
  async function noticesOf(hook: RegisteredHook) {
    return (await outboxOf(t, hook.id))
      .filter((row) => row.event_type === 'receivable_due_soon' || row.event_type === 'receivable_overdue')
      .map((row) => {
        const body = JSON.parse(row.body);
        return {
          type: body.type,
          receivableId: body.data.receivableId,
          role: body.data.role,
          data: body.data,
        };
      });
  }

  it('enqueue DUE_SOON within each webhook’s horizon and OVERDUE, to holders and obligors, once each', async () => {
    expect(await enqueueDueNotices(t.ledger, now)).toBeGreaterThan(0);
    const byType = (list: Awaited<ReturnType<typeof noticesOf>>) =>
      list.map(({ type, receivableId, role }) => `${type} ${receivableId} ${role}`).sort();
    const soon = ids.soon as { rootId: string; childId: string };
    expect(byType(await noticesOf(seller.hook))).toEqual(
      [
        `RECEIVABLE_DUE_SOON ${soon.rootId} HOLDER`,
        `RECEIVABLE_OVERDUE ${ids.overdue?.rootId} HOLDER`,
      ].sort(),
    );
    expect(byType(await noticesOf(sellerLongHorizon))).toEqual(
      [`RECEIVABLE_DUE_SOON ${soon.rootId} HOLDER`, `RECEIVABLE_DUE_SOON ${ids.later?.rootId} HOLDER`].sort(),
    );
    expect(byType(await noticesOf(tier1.hook))).toEqual([`RECEIVABLE_DUE_SOON ${soon.childId} HOLDER`]);
    expect(byType(await noticesOf(buyer.hook))).toEqual(
      [
        `RECEIVABLE_DUE_SOON ${soon.rootId} OBLIGOR`,
        `RECEIVABLE_OVERDUE ${ids.overdue?.rootId} OBLIGOR`,
      ].sort(),
    );
  });

  it('state what is outstanding: the holder’s own part, the obligor’s whole invoice', async () => {
    const soon = ids.soon as { rootId: string; childId: string };
    const sellerSoon = (await noticesOf(seller.hook)).find((each) => each.type === 'RECEIVABLE_DUE_SOON');
    expect(sellerSoon?.data).toMatchObject({ outstanding: '300.00', daysUntilDue: 3, currency: 'CNY' });
    const buyerSoon = (await noticesOf(buyer.hook)).find((each) => each.type === 'RECEIVABLE_DUE_SOON');
    expect(buyerSoon?.data).toMatchObject({
      receivableId: soon.rootId,
      outstanding: '500.00',
      daysUntilDue: 3,
    });
    expect(buyerSoon?.data).not.toHaveProperty('holderPartyId');
    const overdue = (await noticesOf(buyer.hook)).find((each) => each.type === 'RECEIVABLE_OVERDUE');
    expect(overdue?.data).toMatchObject({ daysOverdue: 5, outstanding: '500.00' });
  });

  it('enqueue nothing again on the next scan', async () => {
    const before = await t.snapshot();
    expect(await enqueueDueNotices(t.ledger, now)).toBe(0);
    expect(await t.snapshot()).toBe(before);
  });

  it('enqueue OVERDUE for a receivable that was due soon, once it is overdue', async () => {
    const later = new Date(now.getTime() + 5 * 86_400_000);
    await enqueueDueNotices(t.ledger, later);
    const soon = ids.soon as { rootId: string; childId: string };
    expect((await noticesOf(tier1.hook)).map((each) => `${each.type} ${each.receivableId}`).sort()).toEqual([
      `RECEIVABLE_DUE_SOON ${soon.childId}`,
      `RECEIVABLE_OVERDUE ${soon.childId}`,
    ]);
  });
});
