/**
 * The log as C2SP tlog-tiles (c2sp.org/tlog-tiles), read from what anchoring stored: the latest
 * checkpoint note, tiles of hashes and entry bundles. Anonymous, like every part of the log's public
 * face. A tile exists only as a checkpoint publishes it: a full tile once the latest checkpoint
 * covers all of it, a partial tile of width W only if some checkpoint's tree size leaves exactly W
 * hashes in it (floor(size / 256^L) mod 256 = W). Everything served is therefore fixed for good.
 *
 * The entries are the leaves' data as the design defines it: each event's 32-byte eventHash, whose
 * RFC 6962 leaf hash SHA-256(0x00 || eventHash) is the level-0 tile's hash. Statements stay private
 * (they are salted so that their hash reveals nothing); an event's owner proves one by its statement.
 */
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { findCheckpoint } from './proof.repository.js';
import { fullTileWidth, type TileAddress, tilePath } from './tile-path.js';
import {
  type PublishingSizes,
  readLeafEventHashes,
  readLeafHashes,
  readTileHashes,
} from './tiles.repository.js';
import { appendSignatureLines } from './witness.js';
import { listCosignatures } from './witness.repository.js';
import { cosignaturesPerNoteMax } from './witness.service.js';

const hashBytes = 32;
/** Tree sizes are INT8 in the database: no checkpoint is larger. */
const storedSizeMax = 2n ** 63n - 1n;

export type TileResource = { found: true; bytes: Buffer } | { found: false; reason: string };

/** The latest checkpoint note with its witnesses' cosignature lines; null before the first one. */
export function latestCheckpointNote(ledger: Ledger): Promise<string | null> {
  return inTransaction(ledger.db, async (trx) => {
    const checkpoint = await findCheckpoint(trx, null);
    if (!checkpoint) return null;
    const cosignatures = await listCosignatures(trx, checkpoint.treeSize, cosignaturesPerNoteMax);
    return appendSignatureLines(
      checkpoint.note,
      cosignatures.map((cosignature) => cosignature.signatureLine),
    );
  });
}

/**
 * The tree sizes whose checkpoint publishes the tile. A hash of level L spans 256^L leaves, so a
 * tree of size s has floor(s / 256^L) of them; the tile holds those from index·256 on.
 */
function publishingSizes(address: TileAddress): PublishingSizes {
  const span = 256n ** BigInt(address.level === 'entries' ? 0 : address.level);
  const first = address.index * BigInt(fullTileWidth);
  if (address.width === fullTileWidth) return { lowest: (first + BigInt(fullTileWidth)) * span, below: null };
  const count = first + BigInt(address.width);
  return { lowest: count * span, below: (count + 1n) * span };
}

/** Entry bundle bytes: each entry as a big-endian uint16 length, then the entry. */
function entryBundle(entries: readonly Buffer[]): Buffer {
  return Buffer.concat(
    entries.flatMap((entry) => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(entry.length);
      return [length, entry];
    }),
  );
}

/** One tile or entry bundle, in one query; not found unless a checkpoint publishes it. */
export async function readTileResource(ledger: Ledger, address: TileAddress): Promise<TileResource> {
  const sizes = publishingSizes(address);
  const path = tilePath(address);
  const notPublished: TileResource = {
    found: false,
    reason: `${path} is not published: no checkpoint's tree size leaves ${
      address.width === fullTileWidth ? 'this tile full' : `exactly ${address.width} hashes in this tile`
    }`,
  };
  if (sizes.lowest > storedSizeMax) return notPublished;
  const first = address.index * BigInt(fullTileWidth);
  const stored = await inTransaction(ledger.db, (trx) => {
    if (address.level === 'entries') return readLeafEventHashes(trx, first, address.width, sizes);
    if (address.level === 0) return readLeafHashes(trx, first, address.width, sizes);
    return readTileHashes(trx, address.level, address.index, address.width, sizes);
  });
  if (!stored.published) return notPublished;
  const hashes = stored.hashes.filter((hash): hash is Buffer => hash !== null);
  if (address.level !== 0 && address.level !== 'entries') {
    // One stored row, at least as wide as the tile asked for.
    const [row] = hashes;
    assert(row !== undefined && row.length >= address.width * hashBytes, `published ${path} is stored`);
    return { found: true, bytes: row.subarray(0, address.width * hashBytes) };
  }
  assert(hashes.length === address.width, `every leaf of published ${path} is stored with its event`);
  return { found: true, bytes: address.level === 'entries' ? entryBundle(hashes) : Buffer.concat(hashes) };
}
