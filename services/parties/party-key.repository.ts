import { type Selectable, sql } from 'kysely';
import type { KeyAuthorization, PartyKeyStatus, PartyKeyTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PartyKey } from './party.js';

function toPartyKey(row: Selectable<PartyKeyTable>): PartyKey {
  return {
    keyId: row.key_id,
    partyId: row.party_id,
    publicKey: row.public_key,
    status: row.status,
    custodial: row.sealed_private_key !== null,
    authorization: row.key_authorization,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

export interface NewPartyKey {
  keyId: string;
  partyId: string;
  publicKey: Buffer;
  sealedPrivateKey: Buffer | null;
}

export async function insertActiveKey(
  trx: Trx,
  key: NewPartyKey,
  authorization: KeyAuthorization,
): Promise<PartyKey> {
  const row = await trx
    .insertInto('party_key')
    .values({
      key_id: key.keyId,
      party_id: key.partyId,
      public_key: key.publicKey,
      status: 'active',
      sealed_private_key: key.sealedPrivateKey,
      key_authorization: authorization,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPartyKey(row);
}

export async function findKey(db: Db | Trx, keyId: string): Promise<PartyKey | undefined> {
  const row = await db.selectFrom('party_key').selectAll().where('key_id', '=', keyId).executeTakeFirst();
  return row && toPartyKey(row);
}

export async function findActiveKey(db: Db | Trx, partyId: string): Promise<PartyKey | undefined> {
  const row = await db
    .selectFrom('party_key')
    .selectAll()
    .where('party_id', '=', partyId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row && toPartyKey(row);
}

/**
 * The party's most recent key, whatever its status: the active one when there is one (adding a key
 * makes it active), else the last one retired. A key addition names it, so its statement is single-use.
 */
export async function findLatestKey(db: Db | Trx, partyId: string): Promise<PartyKey | undefined> {
  const row = await db
    .selectFrom('party_key')
    .selectAll()
    .where('party_id', '=', partyId)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('key_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toPartyKey(row);
}

export async function findKeysByIds(db: Db | Trx, keyIds: readonly string[]): Promise<PartyKey[]> {
  if (keyIds.length === 0) return [];
  const rows = await db.selectFrom('party_key').selectAll().where('key_id', 'in', keyIds).execute();
  return rows.map(toPartyKey);
}

/** The sealed private key of the party's active key, when the platform holds it. */
export async function findActiveSealedKey(
  trx: Trx,
  partyId: string,
): Promise<{ keyId: string; publicKey: Buffer; sealedPrivateKey: Buffer } | undefined> {
  const row = await trx
    .selectFrom('party_key')
    .select(['key_id', 'public_key', 'sealed_private_key'])
    .where('party_id', '=', partyId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!row?.sealed_private_key) return undefined;
  return { keyId: row.key_id, publicKey: row.public_key, sealedPrivateKey: row.sealed_private_key };
}

export async function retireKey(
  trx: Trx,
  keyId: string,
  status: Exclude<PartyKeyStatus, 'active'>,
): Promise<void> {
  await trx
    .updateTable('party_key')
    // The first retirement (rotation) is when the key stopped signing; a later revocation keeps it.
    .set({ status, retired_at: sql<Date>`COALESCE(retired_at, now())` })
    .where('key_id', '=', keyId)
    .execute();
}

export async function listKeysOfParties(db: Db | Trx, partyIds: readonly string[]): Promise<PartyKey[]> {
  if (partyIds.length === 0) return [];
  const rows = await db
    .selectFrom('party_key')
    .selectAll()
    .where('party_id', 'in', partyIds)
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
  return rows.map(toPartyKey);
}
