/**
 * Where the log's node hashes live. Leaf hashes are in `leaf` (one insert-only row per event, which
 * the design needs anyway: event id -> leaf index). Higher nodes are kept as C2SP-style tiles: a tile
 * of level t holds up to 256 consecutive hashes of tree level 8t; it is written again, wider, as it
 * fills, and readers take the widest row. A node at a level between two tiled levels is folded from
 * at most 128 hashes of the level below it, so every node a proof needs comes from one query.
 */
import { sql } from 'kysely';
import { assert } from '../assert.js';
import type { Db, Trx } from '../db/transaction.js';
import { nodeHash } from './merkle.js';
import { type NodeAddress, nodeKey } from './nodes.js';

export const tileHeight = 8;
export const tileWidth = 2 ** tileHeight;

interface BaseRange {
  /** Tile level of the base hashes: 0 = leaves. */
  tileLevel: number;
  first: number;
  last: number;
}

/** The hashes of tree level 8·tileLevel that node (level, index) is folded from. */
function baseRange(address: NodeAddress): BaseRange {
  const tileLevel = Math.floor(address.level / tileHeight);
  const span = 2 ** (address.level - tileLevel * tileHeight);
  return { tileLevel, first: address.index * span, last: (address.index + 1) * span - 1 };
}

function foldPerfect(hashes: Buffer[]): Buffer {
  let layer = hashes;
  while (layer.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index < layer.length; index += 2) {
      const left = layer[index];
      const right = layer[index + 1];
      assert(left !== undefined && right !== undefined, 'a perfect subtree has a power-of-two width');
      next.push(nodeHash(left, right));
    }
    layer = next;
  }
  const [root] = layer;
  assert(root !== undefined, 'a perfect subtree has at least one leaf');
  return root;
}

/**
 * The leaf ranges of `ranges`, overlapping or adjacent ones merged: the proofs of many leaves (a
 * bundle, a report) share most of their lower nodes, and a few wide ranges make a query the planner
 * serves from the index where hundreds of OR'd ones made it scan the table.
 */
function mergedLeafRanges(ranges: readonly BaseRange[]): Array<{ first: number; last: number }> {
  const sorted = ranges
    .filter((range) => range.tileLevel === 0)
    .map((range) => ({ first: range.first, last: range.last }))
    .sort((a, b) => a.first - b.first);
  const merged: Array<{ first: number; last: number }> = [];
  for (const range of sorted) {
    const top = merged.at(-1);
    if (top && range.first <= top.last + 1) top.last = Math.max(top.last, range.last);
    else merged.push(range);
  }
  return merged;
}

/** Latest (widest) row of each tile, as "tileLevel:tileIndex" -> concatenated hashes. */
type TileRows = Map<string, Buffer>;

async function readBases(
  db: Db | Trx,
  ranges: BaseRange[],
): Promise<{ leaves: Map<number, Buffer>; tiles: TileRows }> {
  const leafRanges = mergedLeafRanges(ranges);
  const tileKeys = [
    ...new Map(
      ranges
        .filter((range) => range.tileLevel > 0)
        .map((range) => [`${range.tileLevel}:${Math.floor(range.first / tileWidth)}`, range] as const),
    ).values(),
  ].map((range) => ({ tileLevel: range.tileLevel, tileIndex: Math.floor(range.first / tileWidth) }));
  const parts = [];
  if (leafRanges.length > 0) {
    const conditions = leafRanges.map((range) => sql`leaf_index BETWEEN ${range.first} AND ${range.last}`);
    parts.push(sql`SELECT 0::INT8 AS tile_level, leaf_index AS position, leaf_hash AS data
      FROM leaf WHERE ${sql.join(conditions, sql` OR `)}`);
  }
  if (tileKeys.length > 0) {
    const keys = tileKeys.map((key) => sql`(${key.tileLevel}::INT8, ${key.tileIndex}::INT8)`);
    parts.push(sql`SELECT tile_level, tile_index AS position, hashes AS data FROM (
      SELECT DISTINCT ON (tile_level, tile_index) tile_level, tile_index, hashes FROM tile
      WHERE (tile_level, tile_index) IN (${sql.join(keys)})
      ORDER BY tile_level, tile_index, width DESC) AS widest`);
  }
  const leaves = new Map<number, Buffer>();
  const tiles: TileRows = new Map();
  if (parts.length === 0) return { leaves, tiles };
  const { rows } = await sql<{
    tile_level: bigint;
    position: bigint;
    data: Buffer;
  }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  for (const row of rows) {
    if (row.tile_level === 0n) leaves.set(Number(row.position), row.data);
    else tiles.set(`${row.tile_level}:${row.position}`, row.data);
  }
  return { leaves, tiles };
}

function baseHash(
  bases: { leaves: Map<number, Buffer>; tiles: TileRows },
  tileLevel: number,
  position: number,
): Buffer {
  if (tileLevel === 0) {
    const hash = bases.leaves.get(position);
    assert(hash !== undefined, `leaf ${position} is stored`);
    return hash;
  }
  const tile = bases.tiles.get(`${tileLevel}:${Math.floor(position / tileWidth)}`);
  const offset = (position % tileWidth) * 32;
  assert(tile !== undefined && tile.length >= offset + 32, `tile ${tileLevel} holds position ${position}`);
  return tile.subarray(offset, offset + 32);
}

/** The hashes of complete nodes, fetched in one query: nodeKey(address) -> hash. */
export async function fetchNodes(
  db: Db | Trx,
  addresses: readonly NodeAddress[],
): Promise<Map<string, Buffer>> {
  const ranges = addresses.map(baseRange);
  const bases = await readBases(db, ranges);
  const fetched = new Map<string, Buffer>();
  addresses.forEach((address, index) => {
    const range = ranges[index];
    assert(range !== undefined, 'one range per address');
    const hashes: Buffer[] = [];
    for (let position = range.first; position <= range.last; position++) {
      hashes.push(baseHash(bases, range.tileLevel, position));
    }
    fetched.set(nodeKey(address), foldPerfect(hashes));
  });
  return fetched;
}

/** The widest stored row of each given tile, for extending it. */
export async function readTiles(
  trx: Trx,
  keys: ReadonlyArray<{ tileLevel: number; tileIndex: number }>,
): Promise<TileRows> {
  if (keys.length === 0) return new Map();
  return (
    await readBases(
      trx,
      keys.map((key) => ({
        tileLevel: key.tileLevel,
        first: key.tileIndex * tileWidth,
        last: key.tileIndex * tileWidth,
      })),
    )
  ).tiles;
}
