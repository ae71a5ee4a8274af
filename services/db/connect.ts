/**
 * Opens a kysely instance over a pg pool. Each new connection gets SERIALIZABLE as its default, a
 * statement timeout and an idle-in-transaction timeout, so that even a statement issued outside
 * inTransaction keeps the guarantees, and a transaction its process forgot (or a process that
 * stalled) is ended by the server: no transaction outlives a minute (see transaction.ts). Both
 * servers know both session variables.
 */
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../schema/database.js';
import { detectFlavor, type Flavor } from './flavor.js';
import { LedgerDialect } from './migration-lock.js';
import { type Db, setRetryPolicy } from './transaction.js';
import { typeParsers } from './type-parsers.js';

export interface DatabaseHandle {
  db: Db;
  flavor: Flavor;
  close(): Promise<void>;
}

export interface ConnectOptions {
  poolMax?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** How long a transaction keeps retrying while the server cannot be reached (DB_RECONNECT_WAIT_MS). */
  connectionRetryMs?: number;
  /** The server ends a session idle this long inside a transaction (IDLE_IN_TRANSACTION_TIMEOUT_MS). */
  idleInTransactionTimeoutMs?: number;
  /** How long one transaction attempt may run (TRANSACTION_AGE_MAX_MS); see transaction.ts. */
  transactionAgeMaxMs?: number;
}

/** Longer than any pause between two statements of one transaction; far under the minute. */
export const idleInTransactionTimeoutMsDefault = 10_000;

export async function openDatabase(url: string, options: ConnectOptions = {}): Promise<DatabaseHandle> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const idleInTransactionTimeoutMs = options.idleInTransactionTimeoutMs ?? idleInTransactionTimeoutMsDefault;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    types: typeParsers,
    application_name: options.applicationName ?? 'tradeproof',
    connectionTimeoutMillis: 10_000,
    // Notice a server that vanished without closing the socket (a dead node, a cut network).
    keepAlive: true,
  });
  // A client that loses its server emits 'error'. pg-pool listens only while the client is idle (and
  // re-emits it on the pool); while a request holds it nobody does, and an unheard 'error' event ends
  // the process. So every client gets a listener of its own for life: the request that holds it sees
  // its next query fail, the retry helper runs it again on a fresh connection, and the pool drops the
  // broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => console.error(`database connection lost: ${error.message}`));
  });
  pool.on('error', () => {
    // Already reported by the client's own listener above.
  });
  const db: Db = new Kysely<Database>({
    dialect: new LedgerDialect(
      {
        pool,
        onCreateConnection: async (connection) => {
          await connection.executeQuery(sql`SET default_transaction_isolation = 'serializable'`.compile(db));
          await connection.executeQuery(
            sql`SET statement_timeout = ${sql.lit(`${statementTimeoutMs}ms`)}`.compile(db),
          );
          await connection.executeQuery(
            sql`SET idle_in_transaction_session_timeout = ${sql.lit(`${idleInTransactionTimeoutMs}ms`)}`.compile(
              db,
            ),
          );
        },
      },
      () => db,
    ),
  });
  const { connectionRetryMs, transactionAgeMaxMs } = options;
  setRetryPolicy(db, {
    ...(connectionRetryMs === undefined ? {} : { connectionRetryMs }),
    ...(transactionAgeMaxMs === undefined ? {} : { attemptAgeMaxMs: transactionAgeMaxMs }),
  });
  try {
    const flavor = await detectFlavor(db);
    return { db, flavor, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
