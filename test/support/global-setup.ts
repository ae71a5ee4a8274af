import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../../scripts/web-build.js';
import { enableAppRoleLogin, ensureAppRole } from '../../services/db/app-role.js';
import { openDatabase } from '../../services/db/connect.js';
import { EmbeddedError } from '../../services/db/embedded.js';
import { chooseDatabase } from './choose-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    appRolePassword: string | null;
  }
}

/** Starts (or finds) the one server of the run and readies the cluster-wide application role. */
export default async function setup(project: TestProject) {
  const chosen = await chooseDatabase().catch((error: unknown) => {
    if (!(error instanceof EmbeddedError)) throw error;
    // A sentence a newcomer can act on, not a stack trace through vitest's internals.
    console.error(`[tradeproof tests] could not start the embedded PostgreSQL: ${error.message}`);
    console.error(
      '[tradeproof tests] or run the suite on a server of yours: TEST_DATABASE_URL=postgres://… npm test',
    );
    process.exit(1);
  });
  console.log(`[tradeproof tests] database: ${chosen.label} — ${chosen.reason}`);
  const admin = await openDatabase(chosen.url, { poolMax: 1 });
  // Roles are cluster-wide: set the login once here, not concurrently from every test file.
  const appRolePassword = admin.flavor === 'cockroach' ? null : randomBytes(16).toString('hex');
  try {
    await ensureAppRole(admin.db);
    await enableAppRoleLogin(admin.db, admin.flavor, appRolePassword);
  } finally {
    await admin.close();
  }
  // The console's build, once for the run (as npm start builds it), before the files that read it run
  // side by side: two of them building at once would empty each other's output folder.
  await ensureWebBuild((line) => console.log(`[tradeproof tests] ${line}`));
  project.provide('adminDatabaseUrl', chosen.url);
  project.provide('appRolePassword', appRolePassword);
  return () => chosen.stop();
}
