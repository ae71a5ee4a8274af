/**
 * Leadership by a lease row with an expiry, taken in a transaction: CockroachDB has no advisory locks,
 * and a row lease survives any one process dying (it simply expires). Used by the migrator and by
 * the anchoring worker.
 */
import { sql } from 'kysely';
import type { Db, Trx } from './transaction.js';

export const createLeaseTableSql = sql`CREATE TABLE IF NOT EXISTS lease (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
)`;

/** Ensures the lease table exists; it must exist before migrations, whose lock it holds. */
export async function ensureLeaseTable(db: Db): Promise<void> {
  try {
    await createLeaseTableSql.execute(db);
  } catch (error) {
    // Two concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog (23505 on
    // pg_type): the loser finds the table the winner made. Migrators start concurrently by design.
    const { rows } = await sql`SELECT 1 FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_name = 'lease'`.execute(db);
    if (rows.length === 0) throw error;
  }
}

/**
 * Takes or renews the lease `name` for `holder` until `ttlMs` from now. True when `holder` holds it
 * afterwards; false when another holder's lease has not yet expired.
 */
export async function tryAcquireLease(
  trx: Trx,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const row = await trx
    .insertInto('lease')
    .values({ name, holder, expires_at: sql<Date>`now() + (${ttlMs}::INT8 * INTERVAL '1 millisecond')` })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet({
          holder: (eb) => eb.ref('excluded.holder'),
          expires_at: (eb) => eb.ref('excluded.expires_at'),
        })
        .where((eb) =>
          eb.or([eb('lease.expires_at', '<', sql<Date>`now()`), eb('lease.holder', '=', holder)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** True unless a holder other than `holder` has the lease and it has not yet expired. Writes nothing. */
export async function leaseFree(trx: Trx, name: string, holder: string): Promise<boolean> {
  const row = await trx
    .selectFrom('lease')
    .select('holder')
    .where('name', '=', name)
    .where('holder', '<>', holder)
    .where('expires_at', '>=', sql<Date>`now()`)
    .executeTakeFirst();
  return row === undefined;
}

/** Gives the lease up early; a no-op when `holder` no longer holds it. */
export async function releaseLease(trx: Trx, name: string, holder: string): Promise<void> {
  await trx.deleteFrom('lease').where('name', '=', name).where('holder', '=', holder).execute();
}
