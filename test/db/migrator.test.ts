import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { releaseLease, tryAcquireLease } from '../../services/db/lease.js';
import {
  loadMigrations,
  migrateToLatest,
  migrationFilesFor,
  singleStatement,
} from '../../services/db/migrator.js';
import { inTransaction } from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const root = fileURLToPath(new URL('../../', import.meta.url));
const migrationsDir = path.join(root, 'schema', 'migrations');

async function migrationFiles(): Promise<string[]> {
  return (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort();
}

async function migrationNames(): Promise<string[]> {
  return [...migrationFilesFor(await migrationFiles(), database.owner.flavor).keys()];
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
      const files = await migrationNames();
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
  // Parallel branches get separate number ranges, so numbers may skip but never repeat.
  it('names every file NNNN_name.sql or NNNN_name.<flavor>.sql, numbers increasing from 0001', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\d{4}_[a-z0-9_]+(\.(postgres|cockroach))?\.sql$/);
    const numbers = (await migrationNames()).map((name) => Number(name.slice(0, 4)));
    expect(numbers[0]).toBe(1);
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
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
    for (const flavor of ['postgres', 'cockroach'] as const) {
      expect(Object.keys(await loadMigrations(flavor))).toEqual([...migrationFilesFor(files, flavor).keys()]);
    }
  });

  it('runs the file of its own flavor where a migration comes as a pair', () => {
    const files = ['0001_a.sql', '0002_b.cockroach.sql', '0002_b.postgres.sql', '0003_c.sql'];
    expect([...migrationFilesFor(files, 'postgres')]).toEqual([
      ['0001_a', '0001_a.sql'],
      ['0002_b', '0002_b.postgres.sql'],
      ['0003_c', '0003_c.sql'],
    ]);
    expect(migrationFilesFor(files, 'cockroach').get('0002_b')).toBe('0002_b.cockroach.sql');
  });

  it('records one migration history on both servers: every pair under one name, in one order', async () => {
    const files = await migrationFiles();
    const names = (flavor: 'postgres' | 'cockroach') => [...migrationFilesFor(files, flavor).keys()];
    expect(names('cockroach')).toEqual(names('postgres'));
    const pairs = files.filter((file) => file.endsWith('.cockroach.sql'));
    expect(pairs.length).toBeGreaterThan(0);
    for (const file of pairs) {
      const name = file.replace(/\.cockroach\.sql$/, '');
      expect(migrationFilesFor(files, 'postgres').get(name), name).toBe(`${name}.postgres.sql`);
      expect(migrationFilesFor(files, 'cockroach').get(name), name).toBe(file);
    }
  });

  it.each([
    ['a postgres file without its pair', ['0002_b.postgres.sql'], 'migration 0002_b has no cockroach file'],
    ['a cockroach file without its pair', ['0002_b.cockroach.sql'], 'migration 0002_b has no postgres file'],
    [
      'a plain file beside per-flavor ones',
      ['0002_b.sql', '0002_b.postgres.sql', '0002_b.cockroach.sql'],
      'migration 0002_b has both a plain and a per-flavor file',
    ],
    [
      'a plain file beside one flavor file',
      ['0002_b.sql', '0002_b.cockroach.sql'],
      'migration 0002_b has both a plain and a per-flavor file',
    ],
  ])('refuses %s, on either server', (_name, files, message) => {
    expect(() => migrationFilesFor(files, 'postgres')).toThrow(message);
    expect(() => migrationFilesFor(files, 'cockroach')).toThrow(message);
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
