/**
 * The stored rows behind the C2SP tiles the log publishes (tiles.service.ts). Each read is one
 * statement that also says whether a checkpoint publishes the tile, so a tile is never read apart
 * from the check that allows it, and a published tile with rows missing shows as such.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';

/** The checkpoint sizes that publish a tile: [lowest, below), or [lowest, ∞) when below is null. */
export interface PublishingSizes {
  lowest: bigint;
  below: bigint | null;
}

export interface StoredTileRows {
  published: boolean;
  /** In order; null where a row the tile needs is missing. Empty when not published. */
  hashes: Array<Buffer | null>;
}

function publishedColumn(sizes: PublishingSizes): RawBuilder<boolean> {
  const below = sizes.below === null ? sql`` : sql` AND tree_size < ${String(sizes.below)}::INT8`;
  return sql<boolean>`EXISTS (SELECT 1 FROM checkpoint WHERE tree_size >= ${String(sizes.lowest)}::INT8${below})`;
}

function toStoredRows(rows: ReadonlyArray<{ published: boolean; hash: Buffer | null }>): StoredTileRows {
  const published = rows[0]?.published ?? false;
  return { published, hashes: published ? rows.map((row) => row.hash) : [] };
}

/** Leaf hashes [first, first + count) in leaf order. */
export async function readLeafHashes(
  db: Db | Trx,
  first: bigint,
  count: number,
  sizes: PublishingSizes,
): Promise<StoredTileRows> {
  const { rows } = await sql<{ published: boolean; hash: Buffer | null }>`
    SELECT publication.published, leaf.leaf_hash AS hash
    FROM (SELECT ${publishedColumn(sizes)} AS published) AS publication
    LEFT JOIN leaf ON publication.published
      AND leaf.leaf_index >= ${String(first)}::INT8 AND leaf.leaf_index < ${String(first + BigInt(count))}::INT8
    ORDER BY leaf.leaf_index`.execute(db);
  return toStoredRows(rows);
}

/** The event hashes of leaves [first, first + count) in leaf order: the data each leaf hash is over. */
export async function readLeafEventHashes(
  db: Db | Trx,
  first: bigint,
  count: number,
  sizes: PublishingSizes,
): Promise<StoredTileRows> {
  const { rows } = await sql<{ published: boolean; hash: Buffer | null }>`
    SELECT publication.published, event.event_hash AS hash
    FROM (SELECT ${publishedColumn(sizes)} AS published) AS publication
    LEFT JOIN leaf ON publication.published
      AND leaf.leaf_index >= ${String(first)}::INT8 AND leaf.leaf_index < ${String(first + BigInt(count))}::INT8
    LEFT JOIN event ON event.id = leaf.event_id
    ORDER BY leaf.leaf_index`.execute(db);
  return toStoredRows(rows);
}

/**
 * Stored tile (tileLevel ≥ 1, tileIndex) as its narrowest row at least `width` hashes wide: a tile is
 * stored again, wider, as it fills, and every row extends the one before, so its first `width`
 * hashes are the tile of that width.
 */
export async function readTileHashes(
  db: Db | Trx,
  tileLevel: number,
  tileIndex: bigint,
  width: number,
  sizes: PublishingSizes,
): Promise<StoredTileRows> {
  const { rows } = await sql<{ published: boolean; hash: Buffer | null }>`
    SELECT ${publishedColumn(sizes)} AS published,
      (SELECT hashes FROM tile
        WHERE tile_level = ${tileLevel}::INT8 AND tile_index = ${String(tileIndex)}::INT8 AND width >= ${width}::INT8
        ORDER BY width LIMIT 1) AS hash`.execute(db);
  return toStoredRows(rows);
}
