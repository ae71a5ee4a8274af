/**
 * Writing notices to the outbox, inside the caller's transaction: a rolled-back fact leaves no row,
 * and a committed one has its rows. The body (with the delivery id) is fixed here, once, so every
 * attempt sends the same bytes.
 */
import { randomUUID } from 'node:crypto';
import type { Trx } from '../db/transaction.js';
import { insertDeliveries, type NewDelivery } from './outbox.repository.js';
import { deliveryBody, type Notice } from './webhook.js';
import { liveWebhooksOfParties } from './webhook.repository.js';

function delivery(webhookId: string, notice: Notice): NewDelivery {
  const id = randomUUID();
  return {
    id,
    webhookId,
    partyId: notice.partyId,
    eventType: notice.type,
    dedupeKey: dedupeKeyOf(notice.type, notice.key),
    body: deliveryBody(id, notice),
  };
}

/**
 * Enqueues each notice for every live webhook of its party that subscribes to its type. Returns the
 * number of rows written. Reads the webhooks of the parties concerned only, by index.
 */
export async function enqueueNotices(trx: Trx, notices: readonly Notice[]): Promise<number> {
  if (notices.length === 0) return 0;
  const parties = [...new Set(notices.map((notice) => notice.partyId))];
  const webhooks = await liveWebhooksOfParties(trx, parties);
  const rows = notices.flatMap((notice) =>
    webhooks
      .filter((webhook) => webhook.partyId === notice.partyId && webhook.eventTypes.includes(notice.type))
      .map((webhook) => delivery(webhook.id, notice)),
  );
  return insertDeliveries(trx, rows);
}

/** Enqueues notices already matched to one webhook each (the due-date scan matches in SQL). */
export function enqueueForWebhooks(
  trx: Trx,
  matched: ReadonlyArray<{ webhookId: string; notice: Notice }>,
): Promise<number> {
  return insertDeliveries(
    trx,
    matched.map(({ webhookId, notice }) => delivery(webhookId, notice)),
  );
}

/** The dedupe key a notice of `type` about `key` has in the outbox (for scans that skip those enqueued). */
export function dedupeKeyOf(type: Notice['type'], key: string): string {
  return `${type}:${key}`;
}
