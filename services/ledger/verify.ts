/**
 * Proof verification transcribed from RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2
 * (consistency), independent of the generators in proofs.ts. Proofs arrive from clients and files,
 * so the verifiers check every input and answer false rather than throw.
 */
import { hashBytes, nodeHash } from './merkle.js';

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === hashBytes;
}

function isProof(value: unknown): value is Uint8Array[] {
  return Array.isArray(value) && value.every(isHash);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const isOdd = (value: number): boolean => value % 2 === 1;
const half = (value: number): number => Math.floor(value / 2);

/** Whether proof shows the leaf with leafHash at leafIndex in the tree of treeSize with this root. */
export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isProof(proof)) return false;
  if (!isSize(leafIndex) || !isSize(treeSize) || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalHashes(r, root);
}

/**
 * Whether proof shows the tree of toSize with toRoot extends the tree of fromSize with fromRoot.
 * Sizes must satisfy 1 ≤ fromSize ≤ toSize; equal sizes need an empty proof and equal roots.
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(fromRoot) || !isHash(toRoot) || !isProof(proof)) return false;
  if (!isSize(fromSize) || !isSize(toSize) || fromSize === 0 || fromSize > toSize) return false;
  if (fromSize === toSize) return proof.length === 0 && equalHashes(fromRoot, toRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...proof] : [...proof];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr: Uint8Array = first;
  let sr: Uint8Array = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalHashes(fr, fromRoot) && equalHashes(sr, toRoot);
}

function isPowerOfTwo(value: number): boolean {
  let power = 1;
  while (power < value) power *= 2;
  return power === value;
}
