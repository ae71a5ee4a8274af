/** Rows of webhook (a party's receivers) and webhook_request (the idempotency of their mutations). */
import type { Selectable } from 'kysely';
import type { WebhookRequestTable, WebhookTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { Webhook, WebhookEventType } from './webhook.js';

export function toWebhook(row: Selectable<WebhookTable>): Webhook {
  return {
    id: row.id,
    partyId: row.party_id,
    url: row.url,
    eventTypes: row.event_types,
    dueInDays: row.due_in_days === null ? null : Number(row.due_in_days),
    createdAt: row.created_at,
    removedAt: row.removed_at,
  };
}

export interface NewWebhook {
  id: string;
  partyId: string;
  url: string;
  eventTypes: WebhookEventType[];
  dueInDays: number | null;
  sealedSecret: Buffer;
}

export async function insertWebhook(trx: Trx, webhook: NewWebhook): Promise<Webhook> {
  const row = await trx
    .insertInto('webhook')
    .values({
      id: webhook.id,
      party_id: webhook.partyId,
      url: webhook.url,
      event_types: webhook.eventTypes,
      due_in_days: webhook.dueInDays === null ? null : BigInt(webhook.dueInDays),
      sealed_secret: webhook.sealedSecret,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWebhook(row);
}

export async function findWebhook(
  db: Db | Trx,
  id: string,
): Promise<{ webhook: Webhook; sealedSecret: Buffer } | undefined> {
  const row = await db.selectFrom('webhook').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { webhook: toWebhook(row), sealedSecret: row.sealed_secret };
}

export async function findWebhooksByIds(
  db: Db | Trx,
  ids: readonly string[],
): Promise<Map<string, { webhook: Webhook; sealedSecret: Buffer }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('webhook').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, { webhook: toWebhook(row), sealedSecret: row.sealed_secret }]));
}

/** The party's live webhooks, oldest first. */
export async function listLiveWebhooks(db: Db | Trx, partyId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhook')
    .selectAll()
    .where('party_id', '=', partyId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toWebhook);
}

/** The live webhooks of these parties, for the outbox to match notices against. */
export async function liveWebhooksOfParties(trx: Trx, partyIds: readonly string[]): Promise<Webhook[]> {
  if (partyIds.length === 0) return [];
  const rows = await trx
    .selectFrom('webhook')
    .selectAll()
    .where('party_id', 'in', partyIds)
    .where('removed_at', 'is', null)
    .execute();
  return rows.map(toWebhook);
}

export async function markWebhookRemoved(trx: Trx, id: string): Promise<Webhook> {
  const row = await trx
    .updateTable('webhook')
    .set({ removed_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWebhook(row);
}

export type WebhookOperation = Selectable<WebhookRequestTable>['operation'];

export interface WebhookRequestRecord {
  operation: WebhookOperation;
  requestHash: Buffer;
  subjectId: string;
}

export async function findWebhookRequest(
  trx: Trx,
  partyId: string,
  idempotencyKey: string,
): Promise<WebhookRequestRecord | undefined> {
  const row = await trx
    .selectFrom('webhook_request')
    .select(['operation', 'request_hash', 'subject_id'])
    .where('party_id', '=', partyId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row && { operation: row.operation, requestHash: row.request_hash, subjectId: row.subject_id };
}

export async function insertWebhookRequest(
  trx: Trx,
  partyId: string,
  idempotencyKey: string,
  record: WebhookRequestRecord,
): Promise<void> {
  await trx
    .insertInto('webhook_request')
    .values({
      party_id: partyId,
      idempotency_key: idempotencyKey,
      operation: record.operation,
      request_hash: record.requestHash,
      subject_id: record.subjectId,
    })
    .execute();
}
