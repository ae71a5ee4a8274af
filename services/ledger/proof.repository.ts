import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  note: string;
  createdAt: Date;
}

function toCheckpoint(row: {
  tree_size: bigint;
  root_hash: Buffer;
  note: string;
  created_at: Date;
}): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** The checkpoint of that size, or the latest one when size is null. */
export async function findCheckpoint(
  db: Db | Trx,
  treeSize: number | null,
): Promise<StoredCheckpoint | undefined> {
  let query = db.selectFrom('checkpoint').selectAll();
  query =
    treeSize === null
      ? query.orderBy('tree_size', 'desc').limit(1)
      : query.where('tree_size', '=', BigInt(treeSize));
  const row = await query.executeTakeFirst();
  return row && toCheckpoint(row);
}

/** Leaf index of each anchored event among `eventIds`. */
export async function leafIndexes(db: Db | Trx, eventIds: readonly string[]): Promise<Map<string, number>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('leaf')
    .select(['event_id', 'leaf_index'])
    .where('event_id', 'in', eventIds)
    .execute();
  return new Map(rows.map((row) => [row.event_id, Number(row.leaf_index)]));
}

/** An event as signed: its statement, hash and signature, and the key that signed it. */
export interface SignedEvent {
  eventId: string;
  kind: string;
  actorPartyId: string;
  counterpartyPartyId: string | null;
  statement: Buffer;
  eventHash: Buffer;
  signature: Buffer;
  keyId: string;
  publicKey: Buffer;
}

/** The columns behind a SignedEvent, from `event` joined with its `party_key`. */
export const signedEventColumns = [
  'event.id',
  'event.kind',
  'event.actor_party_id',
  'event.counterparty_party_id',
  'event.statement',
  'event.event_hash',
  'event.signature',
  'event.key_id',
  'party_key.public_key',
] as const;

export function toSignedEvent(row: {
  id: string;
  kind: string;
  actor_party_id: string;
  counterparty_party_id: string | null;
  statement: Buffer;
  event_hash: Buffer;
  signature: Buffer;
  key_id: string;
  public_key: Buffer;
}): SignedEvent {
  return {
    eventId: row.id,
    kind: row.kind,
    actorPartyId: row.actor_party_id,
    counterpartyPartyId: row.counterparty_party_id,
    statement: row.statement,
    eventHash: row.event_hash,
    signature: row.signature,
    keyId: row.key_id,
    publicKey: row.public_key,
  };
}

export interface EventEvidence extends SignedEvent {
  custodial: boolean;
  leafIndex: number | null;
}

/** Each event with the key that signed it and its leaf index (null while pending). */
export async function findEvidence(db: Db | Trx, eventIds: readonly string[]): Promise<EventEvidence[]> {
  if (eventIds.length === 0) return [];
  const rows = await db
    .selectFrom('event')
    .innerJoin('party_key', 'party_key.key_id', 'event.key_id')
    .leftJoin('leaf', 'leaf.event_id', 'event.id')
    .select([...signedEventColumns, 'event.custodial', 'leaf.leaf_index'])
    .where('event.id', 'in', eventIds)
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .execute();
  return rows.map((row) => ({
    ...toSignedEvent(row),
    custodial: row.custodial,
    leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
  }));
}

/** A registry event binding a key to a party, with the key that signed it. */
export interface KeyRegistration {
  eventId: string;
  signerKeyId: string;
  actorPartyId: string;
  /** For a key addition: the party and the key it replaced, whose registration a verifier needs too. */
  replaced: { partyId: string; keyId: string } | null;
}

/**
 * The registry events, stated by the platform, that registered any of `keys`: `party.registered`
 * carries the key at payload.key, `party_key.added` at the top of the payload. Such an event names
 * the key's party as its counterparty, which narrows the scan to that party's events (indexed).
 */
export async function findKeyRegistrations(
  db: Db | Trx,
  platformPartyId: string,
  keys: readonly { keyId: string; partyId: string }[],
): Promise<KeyRegistration[]> {
  if (keys.length === 0) return [];
  const keyIds = [...new Set(keys.map((key) => key.keyId))];
  const rows = await db
    .selectFrom('event')
    .select([
      'event.id',
      'event.key_id',
      'event.actor_party_id',
      'event.counterparty_party_id',
      sql<string | null>`event.payload->>'previousKeyId'`.as('previous_key_id'),
    ])
    .where('event.actor_party_id', '=', platformPartyId)
    .where('event.counterparty_party_id', 'in', [...new Set(keys.map((key) => key.partyId))])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('event.kind', '=', 'party.registered'),
          eb(sql<string>`event.payload->'key'->>'keyId'`, 'in', keyIds),
        ]),
        eb.and([
          eb('event.kind', '=', 'party_key.added'),
          eb(sql<string>`event.payload->>'keyId'`, 'in', keyIds),
        ]),
      ]),
    )
    .execute();
  return rows.map((row) => ({
    eventId: row.id,
    signerKeyId: row.key_id,
    actorPartyId: row.actor_party_id,
    replaced:
      row.previous_key_id !== null && row.counterparty_party_id !== null
        ? { partyId: row.counterparty_party_id, keyId: row.previous_key_id }
        : null,
  }));
}

function toRegistration(row: { id: string; key_id: string; actor_party_id: string }): KeyRegistration {
  return { eventId: row.id, signerKeyId: row.key_id, actorPartyId: row.actor_party_id, replaced: null };
}

/** The `party_key.revoked` events, stated by the platform, of any of `keys`. */
export async function findKeyRevocations(
  db: Db | Trx,
  platformPartyId: string,
  keys: readonly { keyId: string; partyId: string }[],
): Promise<KeyRegistration[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('event')
    .select(['event.id', 'event.key_id', 'event.actor_party_id'])
    .where('event.actor_party_id', '=', platformPartyId)
    .where('event.counterparty_party_id', 'in', [...new Set(keys.map((key) => key.partyId))])
    .where('event.kind', '=', 'party_key.revoked')
    .where(sql<string>`event.payload->>'keyId'`, 'in', [...new Set(keys.map((key) => key.keyId))])
    .execute();
  return rows.map(toRegistration);
}

/** The `party.registered` events, stated by the platform, of `partyIds`: their names and roles. */
export async function findPartyRegistrations(
  db: Db | Trx,
  platformPartyId: string,
  partyIds: readonly string[],
): Promise<KeyRegistration[]> {
  if (partyIds.length === 0) return [];
  const rows = await db
    .selectFrom('event')
    .select(['event.id', 'event.key_id', 'event.actor_party_id'])
    .where('event.actor_party_id', '=', platformPartyId)
    .where('event.kind', '=', 'party.registered')
    .where('event.counterparty_party_id', 'in', [...new Set(partyIds)])
    .execute();
  return rows.map(toRegistration);
}

/** The platform's own `party.registered`: stated by the platform about itself, signed by its first key. */
export async function findPlatformRegistration(
  db: Db | Trx,
  platformPartyId: string,
): Promise<KeyRegistration | undefined> {
  const row = await db
    .selectFrom('event')
    .select(['event.id', 'event.key_id', 'event.actor_party_id'])
    .where('event.kind', '=', 'party.registered')
    .where('event.actor_party_id', '=', platformPartyId)
    .where('event.counterparty_party_id', '=', platformPartyId)
    .where(sql<string>`event.payload->>'partyId'`, '=', platformPartyId)
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .limit(1)
    .executeTakeFirst();
  return row && toRegistration(row);
}

/** The largest checkpointed tree size, 0 for an empty log. */
export async function latestTreeSize(db: Db | Trx): Promise<number> {
  const row = await db
    .selectFrom('checkpoint')
    .select((eb) => eb.fn.max('tree_size').as('size'))
    .executeTakeFirst();
  return row?.size === null || row?.size === undefined ? 0 : Number(row.size);
}
