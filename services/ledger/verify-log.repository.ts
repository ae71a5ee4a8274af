import type { Db, Trx } from '../db/transaction.js';

export interface LeafEvidence {
  leafIndex: number;
  leafHash: Buffer;
  eventId: string;
  kind: string;
  actorPartyId: string;
  counterpartyPartyId: string | null;
  statement: Buffer;
  eventHash: Buffer;
  signature: Buffer;
  keyId: string;
  keyPartyId: string;
  publicKey: Buffer;
}

export interface CheckpointRow {
  treeSize: number;
  rootHash: Buffer;
  note: string;
}

/** The largest checkpointed tree size, 0 for an empty log. */
export async function latestTreeSize(db: Db | Trx): Promise<number> {
  const row = await db
    .selectFrom('checkpoint')
    .select((eb) => eb.fn.max('tree_size').as('size'))
    .executeTakeFirst();
  return row?.size === null || row?.size === undefined ? 0 : Number(row.size);
}

/** Leaves [from, to) with their events and signing keys, in leaf order (one keyset page). */
export async function leavesWithEvents(db: Db | Trx, from: number, to: number): Promise<LeafEvidence[]> {
  const rows = await db
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .innerJoin('party_key', 'party_key.key_id', 'event.key_id')
    .select([
      'leaf.leaf_index',
      'leaf.leaf_hash',
      'event.id',
      'event.kind',
      'event.actor_party_id',
      'event.counterparty_party_id',
      'event.statement',
      'event.event_hash',
      'event.signature',
      'event.key_id',
      'party_key.party_id',
      'party_key.public_key',
    ])
    .where('leaf.leaf_index', '>=', BigInt(from))
    .where('leaf.leaf_index', '<', BigInt(to))
    .orderBy('leaf.leaf_index')
    .execute();
  return rows.map((row) => ({
    leafIndex: Number(row.leaf_index),
    leafHash: row.leaf_hash,
    eventId: row.id,
    kind: row.kind,
    actorPartyId: row.actor_party_id,
    counterpartyPartyId: row.counterparty_party_id,
    statement: row.statement,
    eventHash: row.event_hash,
    signature: row.signature,
    keyId: row.key_id,
    keyPartyId: row.party_id,
    publicKey: row.public_key,
  }));
}

/** Checkpoints whose size lies in [from, to], smallest first. */
export async function checkpointsBetween(db: Db | Trx, from: number, to: number): Promise<CheckpointRow[]> {
  const rows = await db
    .selectFrom('checkpoint')
    .select(['tree_size', 'root_hash', 'note'])
    .where('tree_size', '>=', BigInt(from))
    .where('tree_size', '<=', BigInt(to))
    .orderBy('tree_size')
    .execute();
  return rows.map((row) => ({ treeSize: Number(row.tree_size), rootHash: row.root_hash, note: row.note }));
}
