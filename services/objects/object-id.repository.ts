/**
 * Object ids are UUIDs unique across the kinds the API can fetch by id (`node(id)`): parties, trade
 * documents, receivables and events. The server draws most of them at random; documents and
 * receivables may carry a client-chosen id, which is refused when any other kind already has it.
 * Under SERIALIZABLE the lookup below conflicts with a concurrent insert of the same id, so two
 * racing writers cannot both take it.
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';

export const objectKinds = ['party', 'trade_document', 'receivable', 'event'] as const;
export type ObjectKind = (typeof objectKinds)[number];

/** The kinds that hold `id` (normally one; none when unknown). One round trip. */
export async function kindsOfId(db: Db | Trx, id: string): Promise<ObjectKind[]> {
  const result = await sql<{ kind: ObjectKind }>`
    SELECT 'party' AS kind FROM party WHERE id = ${id}::UUID
    UNION ALL SELECT 'trade_document' FROM trade_document WHERE id = ${id}::UUID
    UNION ALL SELECT 'receivable' FROM receivable WHERE id = ${id}::UUID
    UNION ALL SELECT 'event' FROM event WHERE id = ${id}::UUID`.execute(db);
  return result.rows.map((row) => row.kind);
}
