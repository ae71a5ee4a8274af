import { sql } from 'kysely';
import type { Db } from './transaction.js';

/** The two servers we run on; the few statements that differ are chosen by this, once. */
export type Flavor = 'postgres' | 'cockroach';

export async function detectFlavor(db: Db): Promise<Flavor> {
  const { rows } = await sql<{ version: string }>`SELECT version() AS version`.execute(db);
  return rows[0]?.version.includes('CockroachDB') ? 'cockroach' : 'postgres';
}

const detected = new WeakMap<Db, Promise<Flavor>>();

/** The server's flavor, asked once per pool. */
export function flavorOf(db: Db): Promise<Flavor> {
  let flavor = detected.get(db);
  if (!flavor) {
    flavor = detectFlavor(db);
    detected.set(db, flavor);
    flavor.catch(() => detected.delete(db));
  }
  return flavor;
}
