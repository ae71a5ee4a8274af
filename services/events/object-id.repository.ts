/**
 * Object ids are UUIDs unique across the kinds the API can fetch by id (`node(id)`): parties, trade
 * documents, receivables, events and financings. The server draws most of them at random; documents and
 * receivables may carry a client-chosen id, which is refused when any other kind already has it.
 *
 * A SERIALIZABLE read of an id that does not exist locks, on PostgreSQL, the index pages where it
 * would be, and every event insert lands in those of `event`: done inside each write it made every
 * two concurrent writes conflict. So the fact pipeline reads the new id in a snapshot before its
 * write (fact.service.ts) and tells the write's first attempt which ids it found free; the write
 * then reads nothing for them. Two writers taking the same id of one kind still cannot both commit:
 * the table's primary key refuses the second, whose retry reads the id inside its transaction. (Two
 * objects of different kinds could only share an id created between the snapshot and the commit,
 * and ids the server draws are random: nobody can name one before it exists.)
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';

export const objectKinds = ['party', 'trade_document', 'receivable', 'event', 'financing'] as const;
export type ObjectKind = (typeof objectKinds)[number];

const knownFree = new WeakMap<Db | Trx, ReadonlySet<string>>();

/** Tells `trx` that a snapshot read just before it found these ids free (see above). */
export function trustFreeIds(trx: Trx, ids: readonly string[]): void {
  knownFree.set(trx, new Set(ids));
}

/** The kinds that hold `id` (normally one; none when unknown). One round trip. */
export async function kindsOfId(db: Db | Trx, id: string): Promise<ObjectKind[]> {
  if (knownFree.get(db)?.has(id)) return [];
  const result = await sql<{ kind: ObjectKind }>`
    SELECT 'party' AS kind FROM party WHERE id = ${id}::UUID
    UNION ALL SELECT 'trade_document' FROM trade_document WHERE id = ${id}::UUID
    UNION ALL SELECT 'receivable' FROM receivable WHERE id = ${id}::UUID
    UNION ALL SELECT 'event' FROM event WHERE id = ${id}::UUID
    UNION ALL SELECT 'financing' FROM financing WHERE id = ${id}::UUID`.execute(db);
  return result.rows.map((row) => row.kind);
}

/** Which of `ids` some object holds already: one round trip for a batch. */
export async function takenIds(db: Db | Trx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = await sql<{ id: string }>`
    SELECT id FROM party WHERE id = ANY(${ids}::UUID[])
    UNION ALL SELECT id FROM trade_document WHERE id = ANY(${ids}::UUID[])
    UNION ALL SELECT id FROM receivable WHERE id = ANY(${ids}::UUID[])
    UNION ALL SELECT id FROM event WHERE id = ANY(${ids}::UUID[])
    UNION ALL SELECT id FROM financing WHERE id = ANY(${ids}::UUID[])`.execute(db);
  return new Set(result.rows.map((row) => row.id));
}
