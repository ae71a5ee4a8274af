import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { releaseLease, tryAcquireLease } from '../../services/db/lease.js';
import { loadMigrations, migrateToLatest, singleStatement } from '../../services/db/migrator.js';
import { inTransaction } from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = path.join(root, 'schema', 'migrations');

async function migrationFiles(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort();
}

async function appliedMigrations(db: DatabaseHandle['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((row) => row.name);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('migrateToLatest', () => {
  it('applies nothing to an already migrated database', async () => {
    const before = await appliedMigrations(database.owner.db);
    expect(await migrateToLatest(database.owner.db)).toEqual([]);
    expect(await appliedMigrations(database.owner.db)).toEqual(before);
  });

  it('applies every migration exactly once when three connections migrate a fresh database at once', async () => {
    const name = `tp_fresh_${randomBytes(6).toString('hex')}`;
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(database.owner.db);
    const url = new URL(database.ownerUrl);
    url.pathname = `/${name}`;
    const handles: DatabaseHandle[] = [];
    try {
      for (let index = 0; index < 3; index++) {
        // Two connections each: the Migrator holds one while the lease lock is taken on another.
        handles.push(await openDatabase(url.toString(), { poolMax: 2 }));
      }
      const applied = await Promise.all(handles.map((handle) => migrateToLatest(handle.db)));
      const files = (await migrationFiles()).map((file) => file.replace(/\.sql$/, ''));
      expect(applied.flat().sort()).toEqual(files);
      const [first] = handles;
      if (!first) throw new Error('no handle');
      expect(await appliedMigrations(first.db)).toEqual(files);
      const leases = await first.db.selectFrom('lease').selectAll().execute();
      expect(leases).toEqual([]);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      const force = database.owner.flavor === 'postgres' ? sql` WITH (FORCE)` : sql` CASCADE`;
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}${force}`.execute(database.owner.db);
    }
  });
});

describe('singleStatement', () => {
  it('returns one statement without its final semicolon and surrounding space', () => {
    expect(singleStatement('0099_x.sql', '\n  CREATE INDEX x ON t (a);\n')).toBe('CREATE INDEX x ON t (a)');
  });

  it.each([
    ['two statements', 'CREATE TABLE a (x INT8);\nCREATE TABLE b (y INT8);'],
    ['DDL mixed with a data write', 'CREATE TABLE a (x INT8); INSERT INTO a VALUES (1)'],
    ['a doubled final semicolon', 'CREATE TABLE a (x INT8);;'],
  ])('rejects %s', (_name, text) => {
    expect(() => singleStatement('0099_x.sql', text)).toThrow(
      'migration 0099_x.sql holds more than one statement',
    );
  });
});

describe('schema/migrations', () => {
  // Parallel branches take disjoint ranges of numbers, so the sequence may have gaps; it may not
  // repeat a number, which would leave the order of two migrations to their names.
  it('names every file NNNN_name.sql with distinct numbers from 0001', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
    const numbers = files.map((file) => Number(file.slice(0, 4)));
    expect(numbers[0]).toBe(1);
    expect(new Set(numbers).size).toBe(numbers.length);
    const others = (await readdir(migrationsDir)).filter((file) => !file.endsWith('.sql'));
    expect(others).toEqual([]);
  });

  it('holds exactly one statement in every file, and loadMigrations offers each of them', async () => {
    const files = await migrationFiles();
    for (const file of files) {
      const text = await readFile(path.join(migrationsDir, file), 'utf8');
      expect(() => singleStatement(file, text), file).not.toThrow();
      expect(singleStatement(file, text).length, file).toBeGreaterThan(0);
    }
    expect(Object.keys(await loadMigrations())).toEqual(files.map((file) => file.replace(/\.sql$/, '')));
  });

  it('uses no advisory locks anywhere in services/ or schema/ (comments aside)', async () => {
    const files = [
      ...(await filesUnder(path.join(root, 'services'))),
      ...(await filesUnder(path.join(root, 'schema'))),
    ];
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      const code = (await readFile(file, 'utf8'))
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*(\/\/|--).*$/gm, '');
      if (/pg_advisory/i.test(code)) offenders.push(path.relative(root, file));
    }
    expect(offenders).toEqual([]);
  });
});

describe('the schema_migration lease', () => {
  const leaseName = 'schema_migration';
  const take = (holder: string, ttlMs: number) =>
    inTransaction(database.app.db, (trx) => tryAcquireLease(trx, leaseName, holder, ttlMs));
  const release = (holder: string) =>
    inTransaction(database.app.db, (trx) => releaseLease(trx, leaseName, holder));
  const heldBy = async () =>
    (
      await database.owner.db
        .selectFrom('lease')
        .select('holder')
        .where('name', '=', leaseName)
        .executeTakeFirst()
    )?.holder;

  afterEach(async () => {
    await database.owner.db.deleteFrom('lease').where('name', '=', leaseName).execute();
  });

  it('is refused to a second holder while the first holds it unexpired', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await take(first, 60_000)).toBe(true);
    expect(await take(second, 60_000)).toBe(false);
    expect(await heldBy()).toBe(first);
  });

  it('is renewed by its holder, moving the expiry later', async () => {
    const holder = randomUUID();
    expect(await take(holder, 1_000)).toBe(true);
    const expiresAt = async () =>
      (
        await database.owner.db
          .selectFrom('lease')
          .select('expires_at')
          .where('name', '=', leaseName)
          .executeTakeFirst()
      )?.expires_at;
    const before = await expiresAt();
    expect(await take(holder, 60_000)).toBe(true);
    expect((await expiresAt())?.getTime()).toBeGreaterThan((before?.getTime() ?? 0) + 50_000);
  });

  it('can be taken by another holder once it has expired', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await take(first, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await take(second, 60_000)).toBe(true);
    expect(await heldBy()).toBe(second);
  });

  it('is not released by a holder that does not hold it', async () => {
    const [holder, stranger] = [randomUUID(), randomUUID()];
    expect(await take(holder, 60_000)).toBe(true);
    await release(stranger);
    expect(await heldBy()).toBe(holder);
    await release(holder);
    expect(await heldBy()).toBeUndefined();
  });
});
