/**
 * Opens a kysely instance over a pg pool. Each new connection gets SERIALIZABLE as its default and a
 * statement timeout, so that even a statement issued outside inTransaction keeps the guarantees.
 */
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../schema/database.js';
import { detectFlavor, type Flavor } from './flavor.js';
import { LedgerDialect } from './migration-lock.js';
import type { Db } from './transaction.js';
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
}

export async function openDatabase(url: string, options: ConnectOptions = {}): Promise<DatabaseHandle> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    types: typeParsers,
    application_name: options.applicationName ?? 'tradeproof',
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node exits.
  pool.on('error', (error) => console.error(`database pool: idle connection failed: ${error.message}`));
  const db: Db = new Kysely<Database>({
    dialect: new LedgerDialect(
      {
        pool,
        onCreateConnection: async (connection) => {
          await connection.executeQuery(sql`SET default_transaction_isolation = 'serializable'`.compile(db));
          await connection.executeQuery(
            sql`SET statement_timeout = ${sql.lit(`${statementTimeoutMs}ms`)}`.compile(db),
          );
        },
      },
      () => db,
    ),
  });
  try {
    const flavor = await detectFlavor(db);
    return { db, flavor, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
