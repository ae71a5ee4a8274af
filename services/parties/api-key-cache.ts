/**
 * What authenticating a request costs: one indexed read. A bearer secret's key id and party are
 * cached in this process by the secret's SHA-256 (never the secret itself), since neither ever
 * changes: a key belongs to one party for life and party rows are never updated. Whether the key is
 * still live is not cached: every request reads the key's revoked_at by primary key, so a revocation
 * committed by any process on the database refuses the very next request everywhere. (CockroachDB
 * has no LISTEN/NOTIFY to push revocations, and a time-to-live would let a revoked key work on.)
 */
import type { Db } from '../db/transaction.js';
import type { Party } from './party.js';

export interface CachedKey {
  apiKeyId: string;
  party: Party;
}

/** Entries kept at most; the oldest goes first. A key that falls out is simply looked up again. */
export const apiKeyCacheEntriesMax = 10_000;

const cached = new Map<string, CachedKey>();

export function cachedKey(secretHashHex: string): CachedKey | undefined {
  return cached.get(secretHashHex);
}

export function cacheKey(secretHashHex: string, key: CachedKey): void {
  if (cached.size >= apiKeyCacheEntriesMax) {
    const oldest = cached.keys().next().value;
    if (oldest !== undefined) cached.delete(oldest);
  }
  cached.set(secretHashHex, key);
}

export function forgetKey(secretHashHex: string): void {
  cached.delete(secretHashHex);
}

/** True while the key is not revoked: one primary-key read. */
export async function isKeyLive(db: Db, apiKeyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_key')
    .select('id')
    .where('id', '=', apiKeyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
