/**
 * The RFC 9162 root computed by merkletreejs, an implementation independent of merkle.ts: it builds
 * in-batch trees and double-checks our roots in tests. Configured as docs/design.md says: the leaf prefix
 * is hashed by us (hashLeaves stays false), the concatenator adds the 0x01 node prefix, and every other
 * option keeps its default; duplicateOdd false promotes a lone last node unchanged, which gives the
 * same tree as RFC 9162's split at the largest power of two below n.
 */
import { MerkleTree } from 'merkletreejs';
import { sha256 } from '../crypto/index.js';
import { emptyRoot } from './merkle.js';

const nodePrefix = Buffer.from([0x01]);

const sha256fn = (data: Buffer): Buffer => sha256(data);
const concatenator = (inputs: Buffer[]): Buffer => Buffer.concat([nodePrefix, ...inputs]);

/** MTH over leaf hashes already computed with leafHash; the empty tree's root is SHA-256(""). */
export function merkletreejsRoot(leafHashes: Buffer[]): Buffer {
  if (leafHashes.length === 0) return emptyRoot();
  return new MerkleTree(leafHashes, sha256fn, { concatenator }).getRoot();
}
