/**
 * The first administrator API key waits here, sealed with the custody key, until a start has printed
 * it. Only its hash is stored with the key itself, so a start that failed or was stopped between
 * creating it and printing it (a port in use, a signal, a database that went away) would otherwise
 * lose the only way in. Every start prints a key still waiting; once printed, the row is deleted.
 */

import type { Custody } from '../context.js';
import { open, seal } from '../crypto/index.js';
import { type Db, inTransaction, type Trx } from '../db/transaction.js';

/** Keeps the new key sealed, in the transaction that creates it. */
export async function holdAdminApiKey(
  trx: Trx,
  custody: Custody,
  apiKeyId: string,
  secret: string,
): Promise<void> {
  if (custody.key === null) throw new Error('the first administrator API key needs a custody key to wait in');
  await trx
    .insertInto('pending_admin_api_key')
    .values({ api_key_id: apiKeyId, sealed_secret: seal(custody.key, Buffer.from(secret, 'utf8')) })
    .execute();
}

/**
 * The key an earlier start created but did not print, or null. A key revoked meanwhile is dropped,
 * not shown: it opens nothing. Throws a sentence naming CUSTODY_KEY when the key cannot be opened.
 */
export async function pendingAdminApiKey(db: Db, custody: Custody): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('pending_admin_api_key')
      .innerJoin('api_key', 'api_key.id', 'pending_admin_api_key.api_key_id')
      .select(['pending_admin_api_key.api_key_id', 'sealed_secret', 'revoked_at'])
      .execute();
    const revoked = rows.filter((row) => row.revoked_at !== null).map((row) => row.api_key_id);
    if (revoked.length > 0)
      await trx.deleteFrom('pending_admin_api_key').where('api_key_id', 'in', revoked).execute();
    const waiting = rows.find((row) => row.revoked_at === null);
    if (!waiting) return null;
    const secret = custody.key && open(custody.key, waiting.sealed_secret);
    if (!secret) {
      throw new Error(
        'the platform administrator API key of the first start was never shown, and it opens only with ' +
          'the CUSTODY_KEY of that start: start again with that CUSTODY_KEY',
      );
    }
    return secret.toString('utf8');
  });
}

/** Called once the key has been printed: from now on it exists only where its reader keeps it. */
export async function adminApiKeyShown(db: Db): Promise<void> {
  await inTransaction(db, (trx) => trx.deleteFrom('pending_admin_api_key').execute());
}
