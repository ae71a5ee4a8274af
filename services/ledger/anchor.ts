/**
 * Anchoring: pending events get consecutive leaf indexes, the perfect subtrees they complete are
 * stored, and a signed checkpoint is written for the new size — all in one short SERIALIZABLE
 * transaction, so a batch is anchored entirely or not at all. Which events are pending is read before,
 * in a transaction of its own (pending-events.ts), so the write reads only what anchoring itself
 * writes and new events or readers cannot make it restart. Exactly once follows from the schema
 * (leaf_index and event_id are both unique, checkpoint tree_size is the key) and from the write
 * checking that the tree is still the size the batch was read against.
 */
import { sql } from 'kysely';
import { assert } from '../assert.js';
import { type Flavor, flavorOf } from '../db/flavor.js';
import { leaseFree, tryAcquireLease } from '../db/lease.js';
import { type Db, inSnapshot, inTransaction, type Trx } from '../db/transaction.js';
import { signCheckpoint } from './checkpoint.js';
import type { LogSigner } from './log-signer.js';
import { leafHash } from './merkle.js';
import { fetchNodes, readTiles, tileHeight, tileWidth } from './node-store.js';
import { completedNodes, foldHashes, nodeKey, rootNodes, type StoredNode } from './nodes.js';
import { type LogPosition, pendingEvents } from './pending-events.js';
import { latestTreeSize } from './proof.repository.js';

export type { LogPosition } from './pending-events.js';

export interface AnchorOptions {
  batchEventsMax: number;
  /** Where the late scan goes on from (services/ledger/pending-events.ts); null: the log's start. */
  lateCheckedThrough: LogPosition | null;
  /** How long after its stamp an event's transaction is taken to have committed or died. */
  lateSettleMs: number;
  /** Events the late scan examines per batch at most: bounds a batch on any log size. */
  lateScanRowsMax?: number;
  /** Fresh events are taken once stamped this long before the database's clock (default 0). */
  freshLagMs?: number;
  /** How far behind the clock this batch looks for late committers (default 0: it does not). */
  lateWindowMs?: number;
  /** Lease holder id; the batch runs only while this holder holds the anchoring lease. */
  holder: string;
  leaseTtlMs: number;
  /** Test hook: runs after the batch is written, before commit (a crash here must lose nothing). */
  beforeCommit?: () => Promise<void>;
}

export interface AnchorResult {
  anchored: number;
  treeSize: number;
  /** Where the next batch's late scan starts: every event up to here was found or is anchored. */
  lateCheckedThrough: LogPosition | null;
  /** False when another worker holds the lease: nothing was done. */
  leader: boolean;
  /** How many times the write transaction ran (1 unless it was retried). */
  attempts: number;
}

export const anchorLeaseName = 'anchoring';

/** Writes the tiled levels of the newly completed nodes, extending each tile's widest row. */
async function writeTiles(trx: Trx, completed: readonly StoredNode[]): Promise<void> {
  const tiled = completed.filter((node) => node.level > 0 && node.level % tileHeight === 0);
  if (tiled.length === 0) return;
  const byTile = new Map<string, { tileLevel: number; tileIndex: number; nodes: StoredNode[] }>();
  for (const node of tiled) {
    const tileLevel = node.level / tileHeight;
    const tileIndex = Math.floor(node.index / tileWidth);
    const key = `${tileLevel}:${tileIndex}`;
    const entry = byTile.get(key) ?? { tileLevel, tileIndex, nodes: [] };
    entry.nodes.push(node);
    byTile.set(key, entry);
  }
  const existing = await readTiles(trx, [...byTile.values()]);
  const rows = [...byTile.entries()].map(([key, tile]) => {
    const before = existing.get(key) ?? Buffer.alloc(0);
    const start = tile.tileIndex * tileWidth + before.length / 32;
    for (const [offset, node] of tile.nodes.entries()) {
      assert(node.index === start + offset, `tile ${key} grows contiguously`);
    }
    const hashes = Buffer.concat([before, ...tile.nodes.map((node) => node.hash)]);
    return {
      tile_level: BigInt(tile.tileLevel),
      tile_index: BigInt(tile.tileIndex),
      width: BigInt(hashes.length / 32),
      hashes,
    };
  });
  await trx.insertInto('tile').values(rows).execute();
}

async function writeLeaves(
  trx: Trx,
  fromSize: number,
  events: ReadonlyArray<{ id: string }>,
  hashes: Buffer[],
) {
  const indexes = events.map((_, offset) => String(fromSize + offset));
  await sql`INSERT INTO leaf (leaf_index, event_id, leaf_hash)
    SELECT * FROM unnest(${indexes}::INT8[], ${events.map((event) => event.id)}::UUID[], ${hashes}::BYTEA[])`.execute(
    trx,
  );
}

/** Marks the write transaction urgent on CockroachDB, where readers of the log must not push it. */
async function raisePriority(trx: Trx, flavor: Flavor): Promise<void> {
  if (flavor === 'cockroach') await sql`SET TRANSACTION PRIORITY HIGH`.execute(trx);
}

/**
 * One batch: reads the pending events, then, in a short transaction of its own, anchors them onto
 * the tree size they were read against and signs the new checkpoint. A batch read against a size
 * that has moved on (another worker anchored meanwhile) writes nothing.
 */
export async function anchorBatch(db: Db, signer: LogSigner, options: AnchorOptions): Promise<AnchorResult> {
  const flavor = await flavorOf(db);
  let attempts = 0;
  const lateCheckedThrough = options.lateCheckedThrough;
  // A snapshot: exactly once rests on the write below, so the read needs no serializable locks,
  // which on PostgreSQL would make it a party to the conflicts of every transaction writing events.
  const planned = await inSnapshot(db, async (trx) => {
    if (!(await leaseFree(trx, anchorLeaseName, options.holder))) return latestTreeSize(trx);
    return pendingEvents(trx, options);
  });
  if (typeof planned === 'number') {
    return { anchored: 0, treeSize: planned, leader: false, lateCheckedThrough, attempts };
  }
  return inTransaction(db, async (trx) => {
    attempts += 1;
    await raisePriority(trx, flavor);
    const leader = await tryAcquireLease(trx, anchorLeaseName, options.holder, options.leaseTtlMs);
    const fromSize = await latestTreeSize(trx);
    const idle = { anchored: 0, treeSize: fromSize, leader, lateCheckedThrough, attempts };
    if (!leader) return idle;
    if (planned.events.length === 0) return { ...idle, lateCheckedThrough: planned.lateCheckedThrough };
    if (planned.treeSize !== fromSize) return idle;
    const events = planned.events;
    const frontier = await fetchNodes(trx, rootNodes(fromSize));
    const leafHashes = events.map((event) => leafHash(event.event_hash));
    const completed = completedNodes(fromSize, leafHashes, frontier);
    await writeLeaves(trx, fromSize, events, leafHashes);
    await writeTiles(trx, completed);
    const treeSize = fromSize + events.length;
    const known = new Map(frontier);
    for (const node of completed) known.set(nodeKey(node), node.hash);
    const rootHash = foldHashes(
      rootNodes(treeSize).map((address) => {
        const hash = known.get(nodeKey(address));
        assert(hash !== undefined, `root part ${nodeKey(address)} is known`);
        return hash;
      }),
    );
    const note = signCheckpoint(
      { origin: signer.origin, treeSize, rootHash },
      signer.origin,
      signer.privateKey,
    );
    const anchoredThrough = planned.anchoredThrough;
    await trx
      .insertInto('checkpoint')
      .values({
        tree_size: BigInt(treeSize),
        root_hash: rootHash,
        note,
        anchored_through_at: anchoredThrough?.recordedAt ?? null,
        anchored_through_event: anchoredThrough?.id ?? null,
      })
      .execute();
    await options.beforeCommit?.();
    return {
      anchored: events.length,
      treeSize,
      leader,
      lateCheckedThrough: planned.lateCheckedThrough,
      attempts,
    };
  });
}
