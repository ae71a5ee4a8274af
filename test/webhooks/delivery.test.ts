/**
 * The dispatcher against a receiver on loopback: retries on the schedule, DEAD after the last
 * attempt, the dead-letter view and redelivery, no redirect followed, a receiver that hangs holding
 * one slot only, two dispatchers sharing the outbox, a clean stop, and the private-address rule.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../services/db/transaction.js';
import type { WebhookDispatcher } from '../../services/webhooks/dispatcher.js';
import { enqueueNotices } from '../../services/webhooks/outbox.js';
import { publicOnlyLookup } from '../../services/webhooks/sender.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  outboxOf,
  type RegisteredHook,
  register,
  signedBy,
  startDispatcher,
  TestReceiver,
  uniquePath,
  waitFor,
  waitUntilSettled,
} from './support.js';

const t = useTestLedger();
const receiver = new TestReceiver();
const running: WebhookDispatcher[] = [];
let stranger: TestParty;

beforeAll(async () => {
  await receiver.start();
  stranger = await t.newParty(['supplier'], { custodial: true });
});

afterAll(async () => {
  await Promise.all(running.map((dispatcher) => dispatcher.stop()));
  await receiver.kill();
});

function run(changes: Parameters<typeof startDispatcher>[1] = {}): WebhookDispatcher {
  const dispatcher = startDispatcher(t, changes);
  running.push(dispatcher);
  return dispatcher;
}

async function stop(dispatcher: WebhookDispatcher) {
  running.splice(running.indexOf(dispatcher), 1);
  await dispatcher.stop();
}

interface Hook extends RegisteredHook {
  path: string;
  owner: TestParty;
}

/** A webhook of a fresh party at a path of its own, answered by `answer`. */
async function hookAt(answer: typeof receiver.answer = () => ({ status: 200 })): Promise<Hook> {
  const path = uniquePath();
  const previous = receiver.answer;
  receiver.answer = (request) => (request.path === path ? answer(request) : previous(request));
  const owner = await t.newParty(['supplier'], { custodial: true });
  const hook = await register(t, owner, `${receiver.url}${path}`, ['payment_allocated']);
  return { ...hook, path, owner };
}

/** `count` notices for the hook's party, enqueued as a fact's transaction would. */
async function enqueue(hook: Hook, count: number): Promise<void> {
  const notices = Array.from({ length: count }, (_, index) => ({
    partyId: hook.owner.party.id,
    type: 'payment_allocated' as const,
    key: randomUUID(),
    occurredAt: new Date(),
    data: { index },
  }));
  await inTransaction(t.app.db, (trx) => enqueueNotices(trx, notices));
}

const at = (path: string) => receiver.received.filter((request) => request.path === path);

const deliveriesQuery = `query ($status: WebhookDeliveryStatus, $webhookId: UUID, $first: Int, $after: String) {
  webhookDeliveries(status: $status, webhookId: $webhookId, first: $first, after: $after) {
    totalCount
    edges { node { id webhookId type status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError deliveredAt body } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const redeliverMutation = `mutation ($deliveryId: UUID!, $idempotencyKey: String!) {
  redeliverWebhook(deliveryId: $deliveryId, idempotencyKey: $idempotencyKey) {
    ... on RedeliverWebhookPayload { replayed delivery { id status attempts } }
    ... on DomainError { code field message }
  }
}`;

describe('delivery', () => {
  it('waits after a failed attempt as the schedule says, in the database’s own times', async () => {
    const hook = await hookAt(() => ({ status: 503 }));
    await enqueue(hook, 1);
    const dispatcher = run({ attemptsMax: 5, baseMs: 60_000, capMs: 600_000 });
    await waitFor(
      'the first attempt to be settled',
      async () => (await outboxOf(t, hook.id))[0]?.last_error !== null,
    );
    await stop(dispatcher);
    const [row] = await outboxOf(t, hook.id);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1n,
      last_status_code: 503n,
      last_error: 'answered 503',
    });
    const waited = (row?.next_attempt_at.getTime() ?? 0) - (row?.last_attempt_at?.getTime() ?? 0);
    // Jittered within [30 s, 60 s] after the attempt was settled, which came after it started.
    expect(waited).toBeGreaterThanOrEqual(30_000);
    expect(waited).toBeLessThan(60_000 + 30_000);
  });

  it('makes every attempt with the same id and body, signed, until the last: then DEAD, in the dead-letter view', async () => {
    let failing = true;
    const hook = await hookAt(() => ({ status: failing ? 500 : 204 }));
    await enqueue(hook, 1);
    const dispatcher = run({ attemptsMax: 4 });
    await waitUntilSettled(t, hook.id);
    const [row] = await outboxOf(t, hook.id);
    expect(row).toMatchObject({
      status: 'dead',
      attempts: 4n,
      last_status_code: 500n,
      last_error: 'answered 500',
    });
    const requests = at(hook.path);
    expect(requests.map((request) => request.attempt)).toEqual([1, 2, 3, 4]);
    expect(new Set(requests.map((request) => request.deliveryId))).toEqual(new Set([row?.id]));
    expect(new Set(requests.map((request) => request.body))).toEqual(new Set([row?.body]));
    for (const request of requests) expect(signedBy(hook.secret, request)).toBe(true);

    const dead = await t.gql(deliveriesQuery, { status: 'DEAD', webhookId: hook.id }, hook.owner.apiKey);
    expect(dead.data.webhookDeliveries.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      expect.objectContaining({
        id: row?.id,
        status: 'DEAD',
        attempts: 4,
        lastStatusCode: 500,
        nextAttemptAt: null,
      }),
    ]);
    expect(dead.data.webhookDeliveries.totalCount).toBe(1);
    const none = await t.gql(deliveriesQuery, { status: 'DEAD', webhookId: hook.id }, stranger.apiKey);
    expect(none.data.webhookDeliveries).toMatchObject({ edges: [], totalCount: 0 });

    failing = false;
    const idempotencyKey = freshKey('redeliver');
    const redelivered = await t.gql(
      redeliverMutation,
      { deliveryId: row?.id, idempotencyKey },
      hook.owner.apiKey,
    );
    expect(redelivered.data.redeliverWebhook).toMatchObject({
      replayed: false,
      delivery: { id: row?.id, status: 'PENDING', attempts: 0 },
    });
    await waitUntilSettled(t, hook.id);
    expect((await outboxOf(t, hook.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 1n,
      last_status_code: 204n,
    });
    const last = at(hook.path).at(-1);
    expect(last).toMatchObject({ deliveryId: row?.id, body: row?.body, attempt: 1 });
    await stop(dispatcher);

    const replay = await t.gql(redeliverMutation, { deliveryId: row?.id, idempotencyKey }, hook.owner.apiKey);
    expect(replay.data.redeliverWebhook).toMatchObject({ replayed: true, delivery: { status: 'DELIVERED' } });
    const notDead = await t.gql(
      redeliverMutation,
      { deliveryId: row?.id, idempotencyKey: freshKey('r') },
      hook.owner.apiKey,
    );
    expect(notDead.data.redeliverWebhook).toMatchObject({
      code: 'WEBHOOK_DELIVERY_NOT_DEAD',
      field: 'deliveryId',
    });
    for (const [deliveryId, apiKey] of [
      [row?.id, stranger.apiKey],
      [randomUUID(), hook.owner.apiKey],
    ]) {
      const before = await t.snapshot();
      const missing = await t.gql(redeliverMutation, { deliveryId, idempotencyKey: freshKey('r') }, apiKey);
      expect(missing.data.redeliverWebhook).toMatchObject({ code: 'WEBHOOK_DELIVERY_NOT_FOUND' });
      expect(await t.snapshot()).toBe(before);
    }
  });

  it('follows no redirect: a 3xx is a failed attempt', async () => {
    const hook = await hookAt(() => ({ status: 302, headers: { location: `${receiver.url}/elsewhere` } }));
    await enqueue(hook, 1);
    const dispatcher = run({ attemptsMax: 2 });
    await waitUntilSettled(t, hook.id);
    await stop(dispatcher);
    expect((await outboxOf(t, hook.id))[0]).toMatchObject({ status: 'dead', last_status_code: 302n });
    expect((await outboxOf(t, hook.id))[0]?.last_error).toMatch(/redirects are not followed/);
    expect(receiver.received.filter((request) => request.path === '/elsewhere')).toEqual([]);
  });

  it('cuts a request off at its timeout', async () => {
    const hook = await hookAt(() => 'hang');
    await enqueue(hook, 1);
    const dispatcher = run({ attemptsMax: 1, timeoutMs: 200 });
    await waitUntilSettled(t, hook.id);
    await stop(dispatcher);
    expect((await outboxOf(t, hook.id))[0]).toMatchObject({
      status: 'dead',
      last_status_code: null,
      last_error: 'no answer within 200 ms',
    });
  });

  it('lets a receiver that hangs hold one slot only: the others’ deliveries go through; a stop leaves it due again', async () => {
    // More rows wait for the hanging receiver than the loop reads at once, all due before the others'.
    const slow = await hookAt(() => 'hang');
    await enqueue(slow, 12);
    const dispatcher = run({ concurrency: 2, timeoutMs: 120_000 });
    await waitFor('the hanging request to arrive', () => at(slow.path).length === 1);
    const fast = await hookAt();
    await enqueue(fast, 10);
    await waitUntilSettled(t, fast.id);
    expect((await outboxOf(t, fast.id)).map((row) => row.status)).toEqual(Array(10).fill('delivered'));
    expect(at(slow.path)).toHaveLength(1);
    const tried = (await outboxOf(t, slow.id)).filter((row) => row.attempts > 0n);
    expect(tried).toEqual([expect.objectContaining({ status: 'pending', attempts: 1n, last_error: null })]);
    await stop(dispatcher);
    const abandoned = (await outboxOf(t, slow.id)).find((row) => row.id === tried[0]?.id);
    expect(abandoned).toMatchObject({ status: 'pending', last_error: 'the server stopped while sending' });
    expect(abandoned?.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    receiver.answer = () => ({ status: 200 });
    const next = run();
    await waitUntilSettled(t, slow.id);
    await stop(next);
    const after = await outboxOf(t, slow.id);
    expect(after.map((row) => row.status)).toEqual(Array(12).fill('delivered'));
    expect(after.find((row) => row.id === abandoned?.id)).toMatchObject({ attempts: 2n });
  });

  it('shares the outbox between two dispatchers (two API processes) without sending a delivery twice', async () => {
    const hook = await hookAt();
    await enqueue(hook, 40);
    const first = run({ concurrency: 3 });
    const second = run({ concurrency: 3 });
    await waitUntilSettled(t, hook.id);
    await Promise.all([stop(first), stop(second)]);
    const ids = at(hook.path).map((request) => request.deliveryId);
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set((await outboxOf(t, hook.id)).map((row) => row.id)));
  });

  it('sends nothing more to a removed webhook: what was pending goes DEAD unsent', async () => {
    const hook = await hookAt();
    await enqueue(hook, 2);
    const removed = await t.gql(
      `mutation ($id: UUID!, $key: String!) { removeWebhook(webhookId: $id, idempotencyKey: $key) { __typename } }`,
      { id: hook.id, key: freshKey('remove') },
      hook.owner.apiKey,
    );
    expect(removed.data.removeWebhook.__typename).toBe('RemoveWebhookPayload');
    await enqueue(hook, 1);
    const dispatcher = run();
    await waitUntilSettled(t, hook.id);
    await stop(dispatcher);
    const rows = await outboxOf(t, hook.id);
    expect(rows.map((row) => [row.status, row.last_error])).toEqual([
      ['dead', 'the webhook was removed'],
      ['dead', 'the webhook was removed'],
    ]);
    expect(at(hook.path)).toEqual([]);
    const redeliver = await t.gql(
      redeliverMutation,
      { deliveryId: rows[0]?.id, idempotencyKey: freshKey('r') },
      hook.owner.apiKey,
    );
    expect(redeliver.data.redeliverWebhook).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });

  it('pages the deliveries with keyset cursors', async () => {
    const hook = await hookAt();
    await enqueue(hook, 5);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const answer = await t.gql(deliveriesQuery, { webhookId: hook.id, first: 2, after }, hook.owner.apiKey);
      const connection = answer.data.webhookDeliveries;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual((await outboxOf(t, hook.id)).map((row) => row.id));
  });
});

describe('private addresses', () => {
  it('are not called at delivery where the operator refuses them', async () => {
    const hook = await hookAt();
    await enqueue(hook, 1);
    const dispatcher = run({ attemptsMax: 1, privateAddressesAllowed: false });
    await waitUntilSettled(t, hook.id);
    await stop(dispatcher);
    expect((await outboxOf(t, hook.id))[0]).toMatchObject({
      status: 'dead',
      last_error: '127.0.0.1 is a private address this server does not call',
    });
    expect(at(hook.path)).toEqual([]);
  });

  it('are refused when a name resolves to one, before any connection', async () => {
    const resolveTo =
      (address: string) =>
      (
        _host: string,
        _options: unknown,
        callback: (error: null, addresses: { address: string; family: number }[]) => void,
      ) =>
        callback(null, [{ address, family: 4 }]);
    const outcome = (address: string) =>
      new Promise<{ error: Error | null; address?: unknown }>((resolve) =>
        publicOnlyLookup(resolveTo(address))(
          'hooks.example.com',
          { family: 0 },
          (error: Error | null, result: unknown) => resolve({ error, address: result }),
        ),
      );
    expect((await outcome('10.0.0.7')).error?.message).toBe(
      'hooks.example.com resolves to 10.0.0.7, a private address this server does not call',
    );
    expect(await outcome('93.184.216.34')).toEqual({ error: null, address: '93.184.216.34' });
  });
});
