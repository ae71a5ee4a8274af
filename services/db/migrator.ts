/**
 * Applies schema/migrations/NNNN_name.sql in order with kysely's Migrator. One DDL statement per
 * migration and no wrapping transaction (see migration-lock.ts); every statement is re-runnable
 * (IF NOT EXISTS, GRANT) in case a crash lands between the DDL and kysely's bookkeeping row.
 * Where the servers differ, a migration is a pair NNNN_name.postgres.sql / NNNN_name.cockroach.sql
 * under one name, and each server runs its own file.
 * The lease table and the application role come first: the lock needs the one, grants the other.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { ensureAppRole } from './app-role.js';
import { detectFlavor, type Flavor } from './flavor.js';
import { ensureLeaseTable } from './lease.js';
import type { Db } from './transaction.js';

const flavors: readonly Flavor[] = ['postgres', 'cockroach'];
const migrationFile = /^(\d{4}_[a-z0-9_]+)(?:\.(postgres|cockroach))?\.sql$/;

const migrationsDir = new URL('../../schema/migrations/', import.meta.url);

/** One statement: no semicolon except an optional final one. */
export function singleStatement(name: string, text: string): string {
  const statement = text.trim().replace(/;$/, '');
  if (statement.includes(';')) throw new Error(`migration ${name} holds more than one statement`);
  return statement;
}

/**
 * Migration name -> the file this flavor runs. A per-flavor migration must have both files and no
 * plain one beside them, or one server would silently skip it.
 */
export function migrationFilesFor(files: readonly string[], flavor: Flavor): Map<string, string> {
  const plain = new Map<string, string>();
  const flavored = new Map<string, Map<string, string>>();
  for (const file of files) {
    const match = migrationFile.exec(file);
    const name = match?.[1];
    if (!match || !name) continue;
    const fileFlavor = match[2];
    if (fileFlavor === undefined) plain.set(name, file);
    else flavored.set(name, (flavored.get(name) ?? new Map()).set(fileFlavor, file));
  }
  const chosen = new Map(plain);
  for (const [name, byFlavor] of flavored) {
    if (plain.has(name)) throw new Error(`migration ${name} has both a plain and a per-flavor file`);
    const missing = flavors.filter((each) => !byFlavor.has(each));
    const file = byFlavor.get(flavor);
    if (missing.length > 0 || !file) throw new Error(`migration ${name} has no ${missing.join(' or ')} file`);
    chosen.set(name, file);
  }
  return new Map([...chosen].sort(([a], [b]) => a.localeCompare(b)));
}

export async function loadMigrations(flavor: Flavor): Promise<Record<string, Migration>> {
  const files = migrationFilesFor(await readdir(migrationsDir), flavor);
  const migrations: Record<string, Migration> = {};
  for (const [name, file] of files) {
    const statement = singleStatement(file, await readFile(new URL(file, migrationsDir), 'utf8'));
    migrations[name] = {
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
  const migrations = await loadMigrations(await detectFlavor(db));
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
