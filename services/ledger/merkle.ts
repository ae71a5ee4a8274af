/**
 * Merkle tree hashing exactly as RFC 9162 section 2.1 defines it, with SHA-256.
 * In our log the leaf data is the 32-byte eventHash of an event.
 */
import { assert } from '../assert.js';
import { sha256 } from '../crypto/index.js';

/** Bytes in every leaf, node and root hash. */
export const hashBytes = 32;

const leafPrefix = Buffer.from([0x00]);
const nodePrefix = Buffer.from([0x01]);

/** SHA-256(0x00 || data): the prefix keeps a leaf from ever hashing like an interior node. */
export function leafHash(data: Uint8Array): Buffer {
  return sha256(Buffer.concat([leafPrefix, data]));
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.concat([nodePrefix, left, right]));
}

/** MTH({}) = SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return sha256(new Uint8Array(0));
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[0:n]) over leaf hashes already computed with leafHash. */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return emptyRoot();
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  if (end - start === 1) {
    const leaf = leafHashes[start];
    assert(leaf !== undefined, 'a leaf inside the range exists');
    return Buffer.from(leaf);
  }
  const middle = start + splitPoint(end - start);
  return nodeHash(rangeRoot(leafHashes, start, middle), rangeRoot(leafHashes, middle, end));
}
