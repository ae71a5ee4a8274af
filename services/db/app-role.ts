/**
 * The restricted role the application connects as. It may INSERT and SELECT events but never UPDATE
 * or DELETE them (grants in schema/migrations), so a bug or an injected statement in the app cannot
 * rewrite history; only an owner connection could, and the Merkle log would show it.
 */
import { sql } from 'kysely';
import type { Flavor } from './flavor.js';
import type { Db } from './transaction.js';

export const appRoleName = 'tradeproof_app';

const duplicateObject = new Set(['42710', '23505']);

/** Creates the role (without login) when missing. Roles are cluster-wide, so races are tolerated. */
export async function ensureAppRole(db: Db): Promise<void> {
  const { rows } = await sql`SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${appRoleName}`.execute(db);
  if (rows.length > 0) return;
  try {
    await sql`CREATE ROLE ${sql.id(appRoleName)}`.execute(db);
  } catch (error) {
    if (!duplicateObject.has((error as { code?: string }).code ?? '')) throw error;
  }
}

/**
 * Lets the role log in. CockroachDB in insecure mode refuses passwords, so there `password` must be
 * null; PostgreSQL with trust auth ignores it.
 */
export async function enableAppRoleLogin(db: Db, flavor: Flavor, password: string | null): Promise<void> {
  if (password !== null && !/^[A-Za-z0-9_-]{16,200}$/.test(password)) {
    throw new Error(
      'the app role password must be 16 to 200 characters of A-Z a-z 0-9 _ - (it is inlined in DDL)',
    );
  }
  if (flavor === 'cockroach' && password === null) {
    await sql`ALTER ROLE ${sql.id(appRoleName)} WITH LOGIN`.execute(db);
    return;
  }
  await sql`ALTER ROLE ${sql.id(appRoleName)} WITH LOGIN PASSWORD ${sql.lit(password)}`.execute(db);
}

/** The owner URL with the app role's credentials in place of the owner's. */
export function appRoleUrl(ownerUrl: string, password: string | null): string {
  const url = new URL(ownerUrl);
  url.username = appRoleName;
  url.password = password ?? '';
  return url.toString();
}

/**
 * Whether this connection may UPDATE events: true for the schema owner and for superusers, never for
 * the application role.
 */
export async function mayRewriteEvents(db: Db): Promise<boolean> {
  const { rows } = await sql<{ allowed: boolean }>`
    SELECT has_table_privilege('event', 'UPDATE') AS allowed`.execute(db);
  return rows[0]?.allowed === true;
}
