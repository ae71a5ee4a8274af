/**
 * A database of its own for each test file: created on the run's server, migrated, and dropped after.
 * `owner` holds the schema (as a superuser would); `app` connects as the restricted application role.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, inject } from 'vitest';
import { appRoleUrl } from '../../services/db/app-role.js';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { migrateToLatest } from '../../services/db/migrator.js';

export interface TestDatabase {
  owner: DatabaseHandle;
  app: DatabaseHandle;
  ownerUrl: string;
  appUrl: string;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function createTestDatabase(): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `tp_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase(adminUrl, { poolMax: 1 });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
  const ownerUrl = withDatabase(adminUrl, name);
  const owner = await openDatabase(ownerUrl, { poolMax: 4 });
  await migrateToLatest(owner.db);
  const appUrl = appRoleUrl(ownerUrl, inject('appRolePassword'));
  const app = await openDatabase(appUrl, { poolMax: 8 });
  return {
    owner,
    app,
    ownerUrl,
    appUrl,
    drop: async () => {
      await app.close();
      await owner.close();
      const force = admin.flavor === 'postgres' ? sql` WITH (FORCE)` : sql` CASCADE`;
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)}${force}`.execute(admin.db);
      await admin.close();
    },
  };
}

/** Registers beforeAll/afterAll hooks and returns a live view of this file's database. */
export function useTestDatabase(): TestDatabase {
  const state = {} as TestDatabase;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    Object.assign(state, created);
  });
  afterAll(async () => {
    await drop?.();
  });
  return state;
}
