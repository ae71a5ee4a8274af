/** Stored verification reports, addressed by the SHA-256 of their canonical JSON. */
import type { Db, Trx } from '../db/transaction.js';

/** Stores the report once: a report with the same bytes is the same report. */
export async function insertReport(
  db: Db | Trx,
  report: { hash: string; receivableId: string; json: string },
): Promise<void> {
  await db
    .insertInto('verification_report')
    .values({ hash: report.hash, receivable_id: report.receivableId, body: report.json })
    .onConflict((conflict) => conflict.column('hash').doNothing())
    .execute();
}

export async function findReport(
  db: Db | Trx,
  hash: string,
): Promise<{ receivableId: string; json: string } | undefined> {
  const row = await db
    .selectFrom('verification_report')
    .select(['receivable_id', 'body'])
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row && { receivableId: row.receivable_id, json: row.body };
}
