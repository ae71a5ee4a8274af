/**
 * The outbox, webhook_delivery: rows inserted in the transaction of what they report, then claimed,
 * sent and settled by the dispatcher. Times are the database's (now()), so that processes with
 * different clocks agree on what is due.
 */
import { type Selectable, sql } from 'kysely';
import type { WebhookDeliveryTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEventType } from './webhook.js';

export function toDelivery(row: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    partyId: row.party_id,
    eventType: row.event_type,
    body: row.body,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  partyId: string;
  eventType: WebhookEventType;
  dedupeKey: string;
  body: string;
}

/** Inserts what is not there yet; a (webhook, dedupe key) already enqueued is left as it is. */
export async function insertDeliveries(trx: Trx, deliveries: readonly NewDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = await trx
    .insertInto('webhook_delivery')
    .values(
      deliveries.map((delivery) => ({
        id: delivery.id,
        webhook_id: delivery.webhookId,
        party_id: delivery.partyId,
        event_type: delivery.eventType,
        dedupe_key: delivery.dedupeKey,
        body: delivery.body,
        status: 'pending' as const,
        next_attempt_at: sql<Date>`now()`,
      })),
    )
    .onConflict((conflict) => conflict.columns(['webhook_id', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Pending deliveries whose time has come, soonest first, but none of `busyWebhookIds` (those with a
 * request in flight): however many rows a slow receiver has waiting, the others' come up too. Read
 * apart from any write (a claim then takes them by id).
 */
export async function dueDeliveries(
  db: Db | Trx,
  limit: number,
  busyWebhookIds: readonly string[],
): Promise<Array<{ id: string; webhookId: string }>> {
  let query = db
    .selectFrom('webhook_delivery')
    .select(['id', 'webhook_id'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<Date>`now()`)
    .orderBy('next_attempt_at')
    .limit(limit);
  if (busyWebhookIds.length > 0) query = query.where('webhook_id', 'not in', busyWebhookIds);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, webhookId: row.webhook_id }));
}

/**
 * Takes the deliveries that are still pending and due: counts the attempt and pushes next_attempt_at
 * a lease ahead, so that no other process sends them meanwhile. If this process dies mid-send the
 * lease lapses and another sends them again (at least once).
 */
export async function claimDeliveries(
  trx: Trx,
  ids: readonly string[],
  leaseMs: number,
): Promise<WebhookDelivery[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable('webhook_delivery')
    .set({
      attempts: sql<bigint>`attempts + 1`,
      last_attempt_at: sql<Date>`now()`,
      next_attempt_at: sql<Date>`now() + (${leaseMs}::INT8 * INTERVAL '1 millisecond')`,
    })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<Date>`now()`)
    .returningAll()
    .execute();
  return rows.map(toDelivery);
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { kind: 'dead'; statusCode: number | null; error: string };

/**
 * Settles attempt number `attempt` of a delivery. Only while the row is still that attempt's: if the
 * lease lapsed and another process claimed it again, that one settles it.
 */
export async function settleAttempt(
  trx: Trx,
  id: string,
  attempt: number,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const base = trx
    .updateTable('webhook_delivery')
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', BigInt(attempt));
  const statusCode = outcome.statusCode === null ? null : BigInt(outcome.statusCode);
  const updated =
    outcome.kind === 'delivered'
      ? await base
          .set({
            status: 'delivered',
            delivered_at: sql<Date>`now()`,
            last_status_code: statusCode,
            last_error: null,
          })
          .executeTakeFirst()
      : outcome.kind === 'dead'
        ? await base
            .set({ status: 'dead', last_status_code: statusCode, last_error: outcome.error })
            .executeTakeFirst()
        : await base
            .set({
              last_status_code: statusCode,
              last_error: outcome.error,
              next_attempt_at: sql<Date>`now() + (${outcome.delayMs}::INT8 * INTERVAL '1 millisecond')`,
            })
            .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function findDelivery(db: Db | Trx, id: string): Promise<WebhookDelivery | undefined> {
  const row = await db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDelivery(row);
}

/** A dead delivery back in the queue, due now, with its attempts counted afresh. */
export async function requeueDelivery(trx: Trx, id: string): Promise<WebhookDelivery> {
  const row = await trx
    .updateTable('webhook_delivery')
    .set({ status: 'pending', attempts: 0n, next_attempt_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDelivery(row);
}

export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

export interface DeliveryFilter {
  partyId: string;
  status: WebhookDeliveryStatus | null;
  webhookId: string | null;
}

/** How many deliveries match the filter (the connection's totalCount). */
export async function countDeliveries(db: Db | Trx, filter: DeliveryFilter): Promise<number> {
  let query = db
    .selectFrom('webhook_delivery')
    .select(sql<bigint>`count(*)::INT8`.as('count'))
    .where('party_id', '=', filter.partyId);
  if (filter.status !== null) query = query.where('status', '=', filter.status);
  if (filter.webhookId !== null) query = query.where('webhook_id', '=', filter.webhookId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Keyset page in (created_at, id) order, oldest first. created_at has millisecond precision (see the
 * migration), so a cursor carried through a JavaScript Date is exact.
 */
export async function listDeliveries(
  db: Db | Trx,
  filter: DeliveryFilter,
  page: PageRequest<DeliveryCursor>,
): Promise<WebhookDelivery[]> {
  const direction = page.inverted ? 'desc' : 'asc';
  let query = db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('party_id', '=', filter.partyId)
    .orderBy('created_at', direction)
    .orderBy('id', direction)
    .limit(page.limit);
  if (filter.status !== null) query = query.where('status', '=', filter.status);
  if (filter.webhookId !== null) query = query.where('webhook_id', '=', filter.webhookId);
  const { after, before } = page;
  if (after !== null)
    query = query.where(
      sql<boolean>`(created_at, id) > (${after.createdAt}::TIMESTAMPTZ, ${after.id}::UUID)`,
    );
  if (before !== null)
    query = query.where(
      sql<boolean>`(created_at, id) < (${before.createdAt}::TIMESTAMPTZ, ${before.id}::UUID)`,
    );
  return (await query.execute()).map(toDelivery);
}
