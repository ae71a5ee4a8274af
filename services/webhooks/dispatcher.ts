/**
 * The delivery loop that runs beside the API (scripts/runtime.ts). Every process may run one: a
 * delivery is claimed in a short transaction that pushes its next_attempt_at a lease ahead, so two
 * processes do not send it at the same moment, and a process that dies mid-send leaves it to be
 * claimed again when the lease lapses. The contract is at least once: a receiver dedupes by the
 * delivery id, which is the same on every attempt.
 *
 * Sends run concurrently up to `concurrency`, at most one per webhook at a time, each cut at
 * `timeoutMs`: a slow or dead receiver holds one slot at most and never the others' deliveries. A
 * failed attempt waits retryDelayMs (exponential, jittered, capped); after attemptsMax the delivery
 * is DEAD, listed by webhookDeliveries(status: DEAD), and redeliverWebhook queues it again.
 */

import type { Custody } from '../context.js';
import { open } from '../crypto/index.js';
import { type Db, defaultRetryPolicy, inTransaction, type RetryPolicy, type Trx } from '../db/transaction.js';
import { type RetrySchedule, retryDelayMs } from './backoff.js';
import { type AttemptOutcome, claimDeliveries, dueDeliveries, settleAttempt } from './outbox.repository.js';
import { postDelivery, type SendResult } from './sender.js';
import { signatureValue } from './signer.js';
import { apiEventType, type WebhookDelivery } from './webhook.js';
import { findWebhooksByIds } from './webhook.repository.js';

export interface DispatcherOptions extends RetrySchedule {
  /** One request's limit, connect to last byte. */
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Pause when nothing is due. */
  pollIntervalMs: number;
  /** How often the periodic scans (due dates) run. */
  scanIntervalMs: number;
  privateAddressesAllowed: boolean;
  /**
   * Enqueue time-based notices (RECEIVABLE_DUE_SOON, RECEIVABLE_OVERDUE); each returns rows written
   * and runs its transactions with the retry policy it is given.
   */
  scans: ReadonlyArray<(retry: RetryPolicy) => Promise<number>>;
  log: (line: string) => void;
}

export interface WebhookDispatcher {
  /** Finishes or abandons what is in flight (abandoned sends are claimed again later), then stops. */
  stop(): Promise<void>;
}

/** The headers of one attempt. The signature covers the timestamp and the exact body. */
export function deliveryHeaders(
  delivery: WebhookDelivery,
  secret: string,
  nowMs: number,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'tradeproof-webhooks/1',
    'tradeproof-delivery': delivery.id,
    'tradeproof-event': apiEventType(delivery.eventType),
    'tradeproof-attempt': String(delivery.attempts),
    'tradeproof-signature': signatureValue(secret, delivery.body, Math.floor(nowMs / 1000)),
  };
}

/** What a finished attempt leaves: delivered, another try after a delay, or dead. */
export function outcomeOf(result: SendResult, attempt: number, schedule: RetrySchedule): AttemptOutcome {
  if (result.ok) return { kind: 'delivered', statusCode: result.statusCode };
  const error = result.error.slice(0, 500);
  if (attempt >= schedule.attemptsMax) return { kind: 'dead', statusCode: result.statusCode, error };
  return { kind: 'retry', statusCode: result.statusCode, error, delayMs: retryDelayMs(schedule, attempt) };
}

/**
 * The loop's transactions give up at the first lost connection rather than after DB_RECONNECT_WAIT_MS:
 * the loop retries by itself with its own (wakeable) backoff, and a stop must not wait for a database
 * that is gone. A delivery whose outcome could not be recorded keeps its lease and is sent again
 * when it lapses (at least once).
 */
export const dispatcherRetryPolicy: RetryPolicy = { ...defaultRetryPolicy, connectionRetryMs: 0 };

export function startWebhookDispatcher(
  db: Db,
  custody: Custody,
  options: DispatcherOptions,
): WebhookDispatcher {
  let stopped = false;
  let wake: (() => void) | null = null;
  const aborter = new AbortController();
  const inFlight = new Map<string, Promise<void>>();
  const busyWebhooks = new Set<string>();
  // A claimed row is left alone for this long: the request's own limit, then time to record it.
  const leaseMs = options.timeoutMs * 2 + 10_000;
  let lastScanAt = 0;
  const transaction = <T>(body: (trx: Trx) => Promise<T>) => inTransaction(db, body, dispatcherRetryPolicy);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const wakeUp = () => wake?.();

  const settle = (delivery: WebhookDelivery, outcome: AttemptOutcome) =>
    transaction((trx) => settleAttempt(trx, delivery.id, delivery.attempts, outcome));

  const send = async (delivery: WebhookDelivery, url: string, sealedSecret: Buffer): Promise<void> => {
    const secret = custody.key === null ? null : open(custody.key, sealedSecret);
    const result: SendResult =
      secret === null
        ? {
            ok: false,
            statusCode: null,
            error: 'the webhook secret cannot be opened: is CUSTODY_KEY the one it was sealed with?',
          }
        : await postDelivery(
            url,
            deliveryHeaders(delivery, secret.toString('utf8'), Date.now()),
            delivery.body,
            {
              timeoutMs: options.timeoutMs,
              privateAddressesAllowed: options.privateAddressesAllowed,
              signal: aborter.signal,
            },
          );
    // Cut short by a stop: due again at once, for this process's successor or another one.
    const outcome: AttemptOutcome =
      !result.ok && aborter.signal.aborted
        ? { kind: 'retry', statusCode: null, error: result.error, delayMs: 0 }
        : outcomeOf(result, delivery.attempts, options);
    await settle(delivery, outcome);
  };

  /** Claims what is due (one per idle webhook, up to the free slots) and starts sending it. */
  const claimAndStart = async (): Promise<number> => {
    const free = options.concurrency - inFlight.size;
    if (free <= 0) return 0;
    // Read in its own transaction, apart from the claim, and retried: under SERIALIZABLE even a
    // read may be chosen to fail.
    const busy = [...busyWebhooks];
    const due = await transaction((trx) => dueDeliveries(trx, free * 4, busy));
    const picked: string[] = [];
    const webhooks = new Set<string>();
    for (const candidate of due) {
      if (picked.length >= free) break;
      if (webhooks.has(candidate.webhookId)) continue;
      webhooks.add(candidate.webhookId);
      picked.push(candidate.id);
    }
    if (picked.length === 0) return 0;
    const claimed = await transaction((trx) => claimDeliveries(trx, picked, leaseMs));
    const webhookIds = [...new Set(claimed.map((delivery) => delivery.webhookId))];
    const hooks = await transaction((trx) => findWebhooksByIds(trx, webhookIds));
    for (const delivery of claimed) {
      const hook = hooks.get(delivery.webhookId);
      busyWebhooks.add(delivery.webhookId);
      const work =
        !hook || hook.webhook.removedAt !== null
          ? settle(delivery, { kind: 'dead', statusCode: null, error: 'the webhook was removed' }).then(
              () => undefined,
            )
          : send(delivery, hook.webhook.url, hook.sealedSecret);
      const tracked = work
        .catch((error: unknown) => {
          // The row keeps its lease and is claimed again when it lapses.
          options.log(
            `webhook delivery ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`,
          );
        })
        .finally(() => {
          inFlight.delete(delivery.id);
          busyWebhooks.delete(delivery.webhookId);
          wakeUp();
        });
      inFlight.set(delivery.id, tracked);
    }
    return claimed.length;
  };

  const runScans = async () => {
    if (Date.now() - lastScanAt < options.scanIntervalMs) return;
    lastScanAt = Date.now();
    for (const scan of options.scans) {
      try {
        await scan(dispatcherRetryPolicy);
      } catch (error) {
        options.log(
          `webhook scan failed (will run again): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        await runScans();
        const started = await claimAndStart();
        failures = 0;
        if (started === 0 || inFlight.size >= options.concurrency) await sleep(options.pollIntervalMs);
      } catch (error) {
        failures += 1;
        options.log(
          `webhook dispatch failed (attempt ${failures}): ${error instanceof Error ? error.message : String(error)}`,
        );
        await sleep(Math.min(30_000, options.pollIntervalMs * 2 ** failures));
      }
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      aborter.abort();
      wakeUp();
      await running;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
