/**
 * The statement last prepared for each (actor, idempotency key). Not ledger state: nothing refers to
 * it and it proves nothing; it lets prepare hand out the same statement for the same input until one
 * is recorded. Rows are replaced with a compare-and-set on their event hash, never deleted.
 */
import type { Db, Trx } from '../db/transaction.js';

export interface StoredPreparation {
  actorPartyId: string;
  idempotencyKey: string;
  statement: Buffer;
  eventHash: Buffer;
  preparedAt: Date;
}

export async function findPreparedStatement(
  trx: Trx,
  actorPartyId: string,
  idempotencyKey: string,
): Promise<StoredPreparation | undefined> {
  const row = await trx
    .selectFrom('prepared_statement')
    .selectAll()
    .where('actor_party_id', '=', actorPartyId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return (
    row && {
      actorPartyId: row.actor_party_id,
      idempotencyKey: row.idempotency_key,
      statement: row.statement,
      eventHash: row.event_hash,
      preparedAt: row.prepared_at,
    }
  );
}

/**
 * Stores `preparation` where none is stored yet, or in place of the one whose hash is `replacing`.
 * False when another prepare got there first (the row is not what the caller read): nothing written.
 */
export async function keepPreparedStatement(
  trx: Db | Trx,
  preparation: StoredPreparation,
  replacing: Buffer | null,
): Promise<boolean> {
  if (replacing === null) {
    const inserted = await trx
      .insertInto('prepared_statement')
      .values({
        actor_party_id: preparation.actorPartyId,
        idempotency_key: preparation.idempotencyKey,
        statement: preparation.statement,
        event_hash: preparation.eventHash,
        prepared_at: preparation.preparedAt,
      })
      .onConflict((conflict) => conflict.columns(['actor_party_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n;
  }
  const updated = await trx
    .updateTable('prepared_statement')
    .set({
      statement: preparation.statement,
      event_hash: preparation.eventHash,
      prepared_at: preparation.preparedAt,
    })
    .where('actor_party_id', '=', preparation.actorPartyId)
    .where('idempotency_key', '=', preparation.idempotencyKey)
    .where('event_hash', '=', replacing)
    .executeTakeFirst();
  return updated.numUpdatedRows === 1n;
}
