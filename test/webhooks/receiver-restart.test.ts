/**
 * Nothing is lost when the receiver dies: a burst of facts is delivered to a receiver on loopback,
 * the receiver is killed mid-burst (its server closed and every socket destroyed, requests in flight
 * included), more facts are recorded while it is down, and it is started again on the same port.
 * Every delivery the outbox holds arrives at least once; repeats carry the same id and body, so the
 * receiver can drop them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDispatcher } from '../../services/webhooks/dispatcher.js';
import { confirm, issueInvoice, pay, transfer } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  outboxOf,
  type RegisteredHook,
  register,
  signedBy,
  startDispatcher,
  TestReceiver,
  waitFor,
  waitUntilSettled,
} from './support.js';

const t = useTestLedger();
const receiver = new TestReceiver();
let dispatcher: WebhookDispatcher | null = null;
let seller: TestParty;
let buyer: TestParty;
let holder: TestParty;
let hook: RegisteredHook;

const transfersPerBurst = 12;

beforeAll(async () => {
  await receiver.start();
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  holder = await t.newParty(['supplier'], { custodial: true });
  hook = await register(t, holder, `${receiver.url}/hooks`, ['receivable_received', 'payment_allocated']);
  // A short pause before each answer, so that the kill finds requests in flight.
  receiver.answer = async () => {
    await new Promise((resolve) => setTimeout(resolve, 15));
    return { status: 200 };
  };
  dispatcher = startDispatcher(t, { attemptsMax: 100, baseMs: 20, capMs: 250, concurrency: 4 });
});

afterAll(async () => {
  await dispatcher?.stop();
  await receiver.kill();
});

describe('a receiver killed mid-burst and started again', () => {
  it('receives every delivery at least once', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '10000.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    for (let index = 0; index < transfersPerBurst; index++)
      await transfer(t, seller, rootId, holder, '10.00');
    await waitFor('some deliveries of the first burst', () => receiver.received.length >= 4);
    await receiver.kill();
    const receivedBeforeKill = receiver.received.length;

    // While it is down: more transfers, and a payment shared among all 24 parts the holder holds.
    for (let index = 0; index < transfersPerBurst; index++)
      await transfer(t, seller, rootId, holder, '10.00');
    await pay(t, buyer, invoiceId, '250.00', '2025-04-10');
    await waitFor('an attempt to fail while the receiver is down', async () =>
      (await outboxOf(t, hook.id)).some((row) => row.status === 'pending' && row.last_error !== null),
    );
    expect(receiver.received.length).toBe(receivedBeforeKill);

    await receiver.start();
    await waitUntilSettled(t, hook.id);
    const outbox = await outboxOf(t, hook.id);
    expect(outbox).toHaveLength(2 * transfersPerBurst + 2 * transfersPerBurst);
    expect(outbox.map((row) => row.status)).toEqual(outbox.map(() => 'delivered'));
    expect(outbox.filter((row) => row.event_type === 'payment_allocated')).toHaveLength(
      2 * transfersPerBurst,
    );

    // Nothing lost: the ids that arrived are exactly the outbox's.
    const arrived = new Set(receiver.received.map((request) => request.deliveryId));
    expect(arrived).toEqual(new Set(outbox.map((row) => row.id)));
    // Repeats allowed, and harmless: same id, same body, signed like the first.
    expect(receiver.received.length).toBeGreaterThanOrEqual(outbox.length);
    const bodyOf = new Map(outbox.map((row) => [row.id, row.body]));
    for (const request of receiver.received) {
      expect(request.body).toBe(bodyOf.get(request.deliveryId));
      expect(request.payload.id).toBe(request.deliveryId);
      expect(signedBy(hook.secret, request)).toBe(true);
    }
    const retried = outbox.filter((row) => row.attempts > 1n);
    expect(retried.length).toBeGreaterThan(0);
  });
});
