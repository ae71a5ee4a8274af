/**
 * A party's webhooks: register, remove, list, and the deliveries (with the dead-letter view and
 * redelivery). A party acts for itself only. Webhooks are the party's own settings, not ledger
 * facts, so these mutations append no event; their idempotency lives in webhook_request.
 */
import { randomUUID } from 'node:crypto';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { canonicalBytes, open, seal, sha256 } from '../crypto/index.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import { textCharacterProblem } from '../input-rules.js';
import type { PageRequest } from '../paging.js';
import { idempotencyKeyProblem, uuidProblem } from '../parties/input-checks.js';
import type { Actor } from '../parties/party.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  countDeliveries,
  type DeliveryCursor,
  findDelivery,
  listDeliveries,
  requeueDelivery,
} from './outbox.repository.js';
import { newWebhookSecret } from './signer.js';
import { parseWebhookUrl } from './url-rules.js';
import {
  dueInDaysDefault,
  dueInDaysMax,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  webhookEventTypes,
  webhooksPerPartyMax,
} from './webhook.js';
import {
  findWebhook,
  findWebhookRequest,
  insertWebhook,
  insertWebhookRequest,
  listLiveWebhooks,
  markWebhookRemoved,
  type WebhookOperation,
} from './webhook.repository.js';

export interface RegisterWebhookInput {
  idempotencyKey: string;
  url: string;
  eventTypes: readonly string[];
  dueInDays?: number | null;
}

export interface RegisteredWebhook {
  webhook: Webhook;
  /** The HMAC key for Tradeproof-Signature: on this answer (and its replays) only. */
  secret: string;
  replayed: boolean;
}

/** Failure codes: invalid_input naming events or dueInDays. */
function subscriptionProblem(input: RegisterWebhookInput): Result<{
  eventTypes: WebhookEventType[];
  dueInDays: number | null;
}> {
  const known = new Set<string>(webhookEventTypes);
  if (input.eventTypes.length === 0)
    return fail('invalid_input', 'events must name at least one event type', 'events');
  const unknown = input.eventTypes.find((type) => !known.has(type));
  if (unknown !== undefined) return fail('invalid_input', `events: unknown event type ${unknown}`, 'events');
  if (new Set(input.eventTypes).size !== input.eventTypes.length) {
    return fail('invalid_input', 'events must not name an event type twice', 'events');
  }
  const eventTypes = webhookEventTypes.filter((type) => input.eventTypes.includes(type));
  const dueSoon = eventTypes.includes('receivable_due_soon');
  const given = input.dueInDays ?? null;
  if (given !== null && !dueSoon) {
    return fail(
      'invalid_input',
      'dueInDays applies to RECEIVABLE_DUE_SOON only: subscribe to it or leave dueInDays out',
      'dueInDays',
    );
  }
  if (given !== null && (!Number.isInteger(given) || given < 1 || given > dueInDaysMax)) {
    return fail('invalid_input', `dueInDays must be a whole number from 1 to ${dueInDaysMax}`, 'dueInDays');
  }
  return ok({ eventTypes, dueInDays: dueSoon ? (given ?? dueInDaysDefault) : null });
}

function requestHash(operation: WebhookOperation, actor: Actor, input: unknown): Buffer {
  return sha256(canonicalBytes({ operation, caller: actor.partyId, input }));
}

function keyReused(): Failure {
  return fail(
    'idempotency_key_reused',
    'the idempotency key was used before for a different request',
    'idempotencyKey',
  );
}

/**
 * The subject of an earlier identical request under this key, null for a new key.
 *
 * Failure codes: idempotency_key_reused.
 */
async function replayOf(
  trx: Trx,
  actor: Actor,
  idempotencyKey: string,
  operation: WebhookOperation,
  hash: Buffer,
): Promise<Result<string | null>> {
  const earlier = await findWebhookRequest(trx, actor.partyId, idempotencyKey);
  if (!earlier) return ok(null);
  if (earlier.operation !== operation || !earlier.requestHash.equals(hash)) return keyReused();
  return ok(earlier.subjectId);
}

function openSecret(ledger: Ledger, sealed: Buffer): string {
  assert(ledger.custody.key !== null, 'a webhook secret with no custody key to open it');
  const secret = open(ledger.custody.key, sealed);
  assert(secret !== null, 'a webhook secret that does not open with the custody key');
  return secret.toString('utf8');
}

/**
 * Registers a webhook for the caller's party and returns its signing secret.
 *
 * Failure codes, in order: invalid_input (idempotencyKey, events, dueInDays), webhook_url_invalid,
 * custody_unavailable (secrets are sealed with CUSTODY_KEY), idempotency_key_reused,
 * webhook_limit_reached.
 */
export async function registerWebhook(
  ledger: Ledger,
  actor: Actor,
  input: RegisterWebhookInput,
): Promise<Result<RegisteredWebhook>> {
  const keyProblem = idempotencyKeyProblem(input.idempotencyKey);
  if (keyProblem) return keyProblem;
  const subscription = subscriptionProblem(input);
  if (!subscription.ok) return subscription;
  const urlCharacters = textCharacterProblem(input.url, 'code');
  if (urlCharacters) return fail('webhook_url_invalid', `url ${urlCharacters}`, 'url');
  const url = parseWebhookUrl(input.url, {
    privateAddressesAllowed: ledger.policy.webhookPrivateAddressesAllowed,
  });
  if (!url.ok) return url;
  const custodyKey = ledger.custody.key;
  if (custodyKey === null) {
    return fail(
      'custody_unavailable',
      'webhook secrets are sealed with CUSTODY_KEY, which is not configured',
    );
  }
  const { eventTypes, dueInDays } = subscription.value;
  const hash = requestHash('register', actor, {
    url: input.url,
    eventTypes,
    dueInDays: input.dueInDays ?? null,
  });
  return inTransactionResult(ledger.db, async (trx): Promise<Result<RegisteredWebhook>> => {
    const replay = await replayOf(trx, actor, input.idempotencyKey, 'register', hash);
    if (!replay.ok) return replay;
    if (replay.value !== null) {
      const found = await findWebhook(trx, replay.value);
      assert(found, 'a webhook registration without its webhook');
      return ok({ webhook: found.webhook, secret: openSecret(ledger, found.sealedSecret), replayed: true });
    }
    const live = await listLiveWebhooks(trx, actor.partyId);
    if (live.length >= webhooksPerPartyMax) {
      return fail(
        'webhook_limit_reached',
        `a party may have ${webhooksPerPartyMax} webhooks at once: remove one first`,
      );
    }
    const secret = newWebhookSecret();
    const webhook = await insertWebhook(trx, {
      id: randomUUID(),
      partyId: actor.partyId,
      url: url.value,
      eventTypes,
      dueInDays,
      sealedSecret: seal(custodyKey, Buffer.from(secret, 'utf8')),
    });
    await insertWebhookRequest(trx, actor.partyId, input.idempotencyKey, {
      operation: 'register',
      requestHash: hash,
      subjectId: webhook.id,
    });
    return ok({ webhook, secret, replayed: false });
  });
}

/**
 * Removes one of the caller's webhooks: nothing more is enqueued for it, and what is still pending
 * for it goes to the dead-letter view unsent.
 *
 * Failure codes: invalid_input, idempotency_key_reused, webhook_not_found (not the caller's, or
 * removed already).
 */
export async function removeWebhook(
  ledger: Ledger,
  actor: Actor,
  input: { webhookId: string; idempotencyKey: string },
): Promise<Result<{ webhook: Webhook; replayed: boolean }>> {
  const problem = uuidProblem(input.webhookId, 'webhookId') ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  const hash = requestHash('remove', actor, { webhookId: input.webhookId });
  return inTransactionResult(
    ledger.db,
    async (trx): Promise<Result<{ webhook: Webhook; replayed: boolean }>> => {
      const replay = await replayOf(trx, actor, input.idempotencyKey, 'remove', hash);
      if (!replay.ok) return replay;
      const found = await findWebhook(trx, input.webhookId);
      // Another party's webhook is reported as missing, so that ids cannot be probed.
      if (!found || found.webhook.partyId !== actor.partyId) {
        return fail('webhook_not_found', 'no webhook of yours with that id', 'webhookId');
      }
      if (replay.value !== null) return ok({ webhook: found.webhook, replayed: true });
      if (found.webhook.removedAt !== null) {
        return fail('webhook_not_found', 'that webhook was removed already', 'webhookId');
      }
      const webhook = await markWebhookRemoved(trx, found.webhook.id);
      await insertWebhookRequest(trx, actor.partyId, input.idempotencyKey, {
        operation: 'remove',
        requestHash: hash,
        subjectId: webhook.id,
      });
      return ok({ webhook, replayed: false });
    },
  );
}

/**
 * Puts a dead delivery back in the queue, due now, with a fresh round of attempts. Same id, same
 * body: a receiver that did get it before can tell.
 *
 * Failure codes: invalid_input, idempotency_key_reused, webhook_delivery_not_found,
 * webhook_delivery_not_dead, webhook_not_found (its webhook was removed).
 */
export async function redeliverWebhook(
  ledger: Ledger,
  actor: Actor,
  input: { deliveryId: string; idempotencyKey: string },
): Promise<Result<{ delivery: WebhookDelivery; replayed: boolean }>> {
  const problem = uuidProblem(input.deliveryId, 'deliveryId') ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  const hash = requestHash('redeliver', actor, { deliveryId: input.deliveryId });
  type Answer = { delivery: WebhookDelivery; replayed: boolean };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<Answer>> => {
    const replay = await replayOf(trx, actor, input.idempotencyKey, 'redeliver', hash);
    if (!replay.ok) return replay;
    const delivery = await findDelivery(trx, input.deliveryId);
    if (!delivery || delivery.partyId !== actor.partyId) {
      return fail('webhook_delivery_not_found', 'no webhook delivery of yours with that id', 'deliveryId');
    }
    if (replay.value !== null) return ok({ delivery, replayed: true });
    if (delivery.status !== 'dead') {
      return fail(
        'webhook_delivery_not_dead',
        `the delivery is ${delivery.status}: only a dead one is sent again`,
        'deliveryId',
      );
    }
    const webhook = await findWebhook(trx, delivery.webhookId);
    if (!webhook || webhook.webhook.removedAt !== null) {
      return fail('webhook_not_found', "the delivery's webhook was removed", 'deliveryId');
    }
    const requeued = await requeueDelivery(trx, delivery.id);
    await insertWebhookRequest(trx, actor.partyId, input.idempotencyKey, {
      operation: 'redeliver',
      requestHash: hash,
      subjectId: delivery.id,
    });
    return ok({ delivery: requeued, replayed: false });
  });
}

/** The caller's live webhooks, oldest first (at most webhooksPerPartyMax). */
export function webhooksOf(ledger: Ledger, actor: Actor): Promise<Webhook[]> {
  return inTransaction(ledger.db, (trx) => listLiveWebhooks(trx, actor.partyId));
}

/** The caller's deliveries, oldest first; status DEAD is the dead-letter view. */
export function webhookDeliveriesOf(
  ledger: Ledger,
  actor: Actor,
  filter: { status: WebhookDeliveryStatus | null; webhookId: string | null },
  page: PageRequest<DeliveryCursor>,
): Promise<WebhookDelivery[]> {
  return inTransaction(ledger.db, (trx) => listDeliveries(trx, { partyId: actor.partyId, ...filter }, page));
}

/** How many of the caller's deliveries match the filter. */
export function countWebhookDeliveriesOf(
  ledger: Ledger,
  actor: Actor,
  filter: { status: WebhookDeliveryStatus | null; webhookId: string | null },
): Promise<number> {
  return inTransaction(ledger.db, (trx) => countDeliveries(trx, { partyId: actor.partyId, ...filter }));
}
