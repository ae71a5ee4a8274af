import { sql } from 'kysely';
import { openDatabase } from './connect.js';

const invalidCatalogName = '3D000';

/**
 * Creates the database named in `url` when it does not exist, through the server's maintenance
 * database (`postgres` on PostgreSQL, `defaultdb` on CockroachDB).
 */
export async function ensureDatabaseExists(url: string): Promise<'created' | 'existed'> {
  try {
    const probe = await openDatabase(url, { poolMax: 1 });
    await probe.close();
    return 'existed';
  } catch (error) {
    if ((error as { code?: string }).code !== invalidCatalogName) throw error;
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  let lastError: unknown;
  for (const maintenance of ['postgres', 'defaultdb']) {
    const target = new URL(url);
    target.pathname = `/${maintenance}`;
    try {
      const admin = await openDatabase(target.toString(), { poolMax: 1 });
      try {
        await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
        return 'created';
      } finally {
        await admin.close();
      }
    } catch (error) {
      lastError = error;
      if ((error as { code?: string }).code === '42P04') return 'existed';
    }
  }
  throw lastError;
}
