/**
 * Rows held back and written as one multi-row INSERT per table, for a bulk write (a submitStatements
 * group) in which each fact would otherwise cost a round trip per row: at a few hundred facts per call,
 * round trips, not the server's work, bound ingest (README, Ingest).
 *
 * Only a transaction that asked for it buffers (bufferInserts), and only while `active`: the writer
 * turns it on for facts whose checks read nothing an earlier fact of the transaction writes, and
 * flushes before any other fact, so every read in the transaction still sees every earlier write. A
 * buffered row's database defaults are computed here the way the server would have (`now` is the
 * transaction's own timestamp, read once), so the caller gets the row it would have got back.
 */
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Trx } from './transaction.js';

type Table = keyof Database & string;

export interface InsertBuffer {
  /** Buffer inserts now; when false they run at once (after flushInserts). */
  active: boolean;
  /** date_trunc('millisecond', now()) of the transaction: what the timestamp defaults would give. */
  now: Date;
  rows: Map<Table, Insertable<Database[Table]>[]>;
}

const buffers = new WeakMap<Trx, InsertBuffer>();

/** Starts buffering for this transaction (inactive until the writer sets `active`). */
export async function bufferInserts(trx: Trx): Promise<InsertBuffer> {
  const { rows } = await sql<{ now: Date }>`SELECT date_trunc('millisecond', now()) AS now`.execute(trx);
  const buffer: InsertBuffer = { active: false, now: (rows[0] as { now: Date }).now, rows: new Map() };
  buffers.set(trx, buffer);
  return buffer;
}

/**
 * The transaction's buffer when it is taking rows now: the caller then hands its row to
 * bufferRow instead of inserting it.
 */
export function activeBuffer(trx: Trx): InsertBuffer | undefined {
  const buffer = buffers.get(trx);
  return buffer?.active ? buffer : undefined;
}

export function bufferRow<T extends Table>(buffer: InsertBuffer, table: T, row: Insertable<Database[T]>) {
  let rows = buffer.rows.get(table);
  if (rows === undefined) {
    rows = [];
    buffer.rows.set(table, rows);
  }
  rows.push(row as Insertable<Database[Table]>);
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
const parametersMax = 65_535;

/** Writes every held row, table by table in the order each table was first buffered. */
export async function flushInserts(trx: Trx): Promise<void> {
  const buffer = buffers.get(trx);
  if (buffer === undefined || buffer.rows.size === 0) return;
  for (const [table, rows] of buffer.rows) {
    const columns = Object.keys(rows[0] ?? {}).length || 1;
    const chunk = Math.max(1, Math.floor(parametersMax / columns));
    for (let at = 0; at < rows.length; at += chunk) {
      const slice = rows.slice(at, at + chunk);
      await trx
        .insertInto(table)
        // biome-ignore lint/suspicious/noExplicitAny: the rows were typed by table when buffered
        .values(slice as any)
        .execute();
    }
  }
  buffer.rows.clear();
}
