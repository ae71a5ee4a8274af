/** `npm run migrate`: creates the database in DATABASE_URL if needed and applies every migration. */
import { appRoleName, enableAppRoleLogin } from '../services/db/app-role.js';
import { type DatabaseHandle, openDatabase } from '../services/db/connect.js';
import { migrateToLatest } from '../services/db/migrator.js';
import { ensureDatabaseExists } from '../services/db/provision.js';
import { commandLine } from './cli.js';
import { reachDatabase } from './start-checks.js';

const usage = `usage: DATABASE_URL=postgresql://… npm run migrate

Creates the database in DATABASE_URL if it is missing and applies every migration in
schema/migrations (npm start does this itself unless MIGRATE_ON_START=false).
  DATABASE_URL          the server and database, as the schema owner (required)
  APP_ROLE_PASSWORD     lets the application role tradeproof_app log in with this password
  DB_RECONNECT_WAIT_MS  how long to wait for a database that does not answer yet (default 15000)
Exit status: 0 migrated, 1 failed, 2 bad arguments.`;

const defaultWaitMs = 15_000;

/**
 * Lets the application role log in: with APP_ROLE_PASSWORD when set; without a password on an
 * insecure CockroachDB cluster (docker-compose.yml), which refuses passwords.
 */
async function enableLogin(owner: DatabaseHandle): Promise<void> {
  const password = process.env.APP_ROLE_PASSWORD || null;
  if (password === null && owner.flavor === 'postgres') {
    console.log(`[migrate] set APP_ROLE_PASSWORD to let ${appRoleName} log in (APP_DATABASE_URL)`);
    return;
  }
  await enableAppRoleLogin(owner.db, owner.flavor, password);
  console.log(`[migrate] ${appRoleName} may log in`);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL must name the database to migrate (npm start migrates the embedded one)');
  const wait = process.env.DB_RECONNECT_WAIT_MS;
  await reachDatabase(url, 'DATABASE_URL', wait && /^\d+$/.test(wait) ? Number(wait) : defaultWaitMs, true);
  if ((await ensureDatabaseExists(url)) === 'created') console.log('[migrate] created the database');
  const owner = await openDatabase(url, { poolMax: 2 });
  try {
    const applied = await migrateToLatest(owner.db);
    const list = applied.length > 0 ? `: ${applied.join(', ')}` : '';
    console.log(`[migrate] ${owner.flavor}: applied ${applied.length} migration(s)${list}`);
    await enableLogin(owner);
  } finally {
    await owner.close();
  }
}

commandLine(usage, {});
main().catch((error: unknown) => {
  console.error(`[migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
