/**
 * Applies schema/migrations/NNNN_name.sql in order with kysely's Migrator. One DDL statement per
 * migration and no wrapping transaction (see migration-lock.ts); every statement is re-runnable
 * (IF NOT EXISTS, GRANT) in case a crash lands between the DDL and kysely's bookkeeping row.
 * The lease table and the application role come first: the lock needs the one, grants the other.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { ensureAppRole } from './app-role.js';
import { ensureLeaseTable } from './lease.js';
import type { Db } from './transaction.js';

const migrationsDir = new URL('../../schema/migrations/', import.meta.url);

/** One statement: no semicolon except an optional final one. */
export function singleStatement(name: string, text: string): string {
  const statement = text.trim().replace(/;$/, '');
  if (statement.includes(';')) throw new Error(`migration ${name} holds more than one statement`);
  return statement;
}

export async function loadMigrations(): Promise<Record<string, Migration>> {
  const files = (await readdir(migrationsDir)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  const migrations: Record<string, Migration> = {};
  for (const file of files) {
    const statement = singleStatement(file, await readFile(new URL(file, migrationsDir), 'utf8'));
    migrations[file.replace(/\.sql$/, '')] = {
      up: async (db: Kysely<unknown>) => {
        await sql.raw(statement).execute(db);
      },
    };
  }
  return migrations;
}

/**
 * Brings the database to the latest schema; returns the migrations it applied. Safe to run from
 * several processes at once. The pool needs two connections: the Migrator holds one while the
 * lease lock renews through another.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  await ensureLeaseTable(db);
  await ensureAppRole(db);
  const migrations = await loadMigrations();
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    disableTransactions: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const where = failed ? ` in ${failed.migrationName}` : '';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration failed${where}: ${reason}`, { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}
