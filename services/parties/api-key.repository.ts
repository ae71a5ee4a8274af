import type { Selectable } from 'kysely';
import type { ApiKeyTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { ApiKey, Party } from './party.js';
import { findPartyById } from './party.repository.js';

function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    partyId: row.party_id,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertApiKey(
  trx: Trx,
  key: { id: string; partyId: string; label: string; secretHash: Buffer },
): Promise<ApiKey> {
  const row = await trx
    .insertInto('api_key')
    .values({ id: key.id, party_id: key.partyId, label: key.label, secret_hash: key.secretHash })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiKey(row);
}

export async function findApiKey(db: Db | Trx, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toApiKey(row);
}

export async function markApiKeyRevoked(trx: Trx, id: string): Promise<ApiKey> {
  const row = await trx
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiKey(row);
}

export async function listApiKeysOfParty(db: Db | Trx, partyId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_key')
    .selectAll()
    .where('party_id', '=', partyId)
    .orderBy('created_at')
    .execute();
  return rows.map(toApiKey);
}

/** The live key with this secret hash and its party. */
export async function findPartyBySecretHash(
  db: Db | Trx,
  secretHash: Buffer,
): Promise<{ apiKeyId: string; party: Party } | undefined> {
  const row = await db
    .selectFrom('api_key')
    .select(['id', 'party_id'])
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const party = await findPartyById(db, row.party_id);
  return party && { apiKeyId: row.id, party };
}
