import type { Db, Trx } from '../db/transaction.js';
import { type SignedEvent, signedEventColumns, toSignedEvent } from './proof.repository.js';

export interface LeafEvidence extends SignedEvent {
  leafIndex: number;
  leafHash: Buffer;
  /** The party the signing key belongs to, to compare with the statement's actor. */
  keyPartyId: string;
}

export interface CheckpointRow {
  treeSize: number;
  rootHash: Buffer;
  note: string;
}

/** Leaves [from, to) with their events and signing keys, in leaf order (one keyset page). */
export async function leavesWithEvents(db: Db | Trx, from: number, to: number): Promise<LeafEvidence[]> {
  const rows = await db
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .innerJoin('party_key', 'party_key.key_id', 'event.key_id')
    .select(['leaf.leaf_index', 'leaf.leaf_hash', ...signedEventColumns, 'party_key.party_id'])
    .where('leaf.leaf_index', '>=', BigInt(from))
    .where('leaf.leaf_index', '<', BigInt(to))
    .orderBy('leaf.leaf_index')
    .execute();
  return rows.map((row) => ({
    ...toSignedEvent(row),
    leafIndex: Number(row.leaf_index),
    leafHash: row.leaf_hash,
    keyPartyId: row.party_id,
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
