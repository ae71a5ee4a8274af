/**
 * Randomized comparison with a plain recursive transcription of RFC 6962 section 2.1: MTH, PATH and
 * SUBPROOF over slices of leaf hashes, for trees up to a few thousand leaves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyRoot, nodeHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import {
  addressesOf,
  buildConsistencyProof,
  buildInclusionProof,
  completedNodes,
  consistencyProofNodes,
  inclusionProofNodes,
  rootFromStored,
  rootNodes,
  verifyConsistency,
  verifyInclusion,
} from '../../services/ledger/proofs.js';
import { fetchNodes, sampleLeafHashes, storeAllNodes } from './stored-tree.js';

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) */
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return emptyRoot();
  if (d.length === 1) return d[0] as Buffer;
  const k = largestPowerOfTwoBelow(d.length);
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}

/** PATH(m, D[n]) */
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  if (m < k) return [...path(m, d.slice(0, k)), mth(d.slice(k))];
  return [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

/** SUBPROOF(m, D[n], b) */
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = largestPowerOfTwoBelow(d.length);
  if (m <= k) return [...subproof(m, d.slice(0, k), b), mth(d.slice(k))];
  return [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

/** Bottom-up pairing, a lone last node promoted unchanged: the tree merkletreejs builds by default. */
function pairedRoot(d: Buffer[]): Buffer {
  let level = d;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? (level[i] as Buffer) : nodeHash(level[i] as Buffer, right));
    }
    level = next;
  }
  return level[0] ?? emptyRoot();
}

const sizeMax = 3000;
const leaves = sampleLeafHashes(sizeMax);
// Complete nodes never change, so the store of the largest tree serves every smaller one; fetchNodes
// hands the builders only the rows asked for, and node-addresses.test.ts checks those are complete.
const store = storeAllNodes(leaves);
const size = fc.integer({ min: 1, max: sizeMax });
const indexInTree = size.chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
const sizePair = size.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));
const hex = (hashes: Buffer[]) => hashes.map((hash) => hash.toString('hex'));

describe('Merkle proofs against the RFC 6962 reference', () => {
  it('computes the same root from leaves and from stored nodes as MTH', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sizeMax }), (n) => {
        const expected = mth(leaves.slice(0, n));
        expect(rootFromLeafHashes(leaves.slice(0, n)).equals(expected)).toBe(true);
        expect(rootFromStored(n, fetchNodes(store, rootNodes(n))).equals(expected)).toBe(true);
        expect(pairedRoot(leaves.slice(0, n)).equals(expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('builds inclusion proofs equal to PATH that verify', () => {
    fc.assert(
      fc.property(indexInTree, ([m, n]) => {
        const fetched = fetchNodes(store, addressesOf(inclusionProofNodes(m, n)));
        const proof = buildInclusionProof(m, n, fetched);
        const d = leaves.slice(0, n);
        expect(hex(proof)).toEqual(hex(path(m, d)));
        expect(verifyInclusion(leaves[m] as Buffer, m, n, proof, mth(d))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('builds consistency proofs equal to SUBPROOF that verify', () => {
    fc.assert(
      fc.property(sizePair, ([m, n]) => {
        const fetched = fetchNodes(store, addressesOf(consistencyProofNodes(m, n)));
        const proof = buildConsistencyProof(m, n, fetched);
        const expected = m === n ? [] : subproof(m, leaves.slice(0, n), true);
        expect(hex(proof)).toEqual(hex(expected));
        expect(verifyConsistency(m, n, mth(leaves.slice(0, m)), mth(leaves.slice(0, n)), proof)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('checks every leaf and every size pair exhaustively in small trees', () => {
    for (let n = 1; n <= 70; n += 1) {
      const d = leaves.slice(0, n);
      const root = mth(d);
      for (let m = 0; m < n; m += 1) {
        const proof = buildInclusionProof(m, n, store);
        expect(hex(proof)).toEqual(hex(path(m, d)));
        expect(verifyInclusion(leaves[m] as Buffer, m, n, proof, root)).toBe(true);
        const consistency = buildConsistencyProof(m + 1, n, store);
        expect(hex(consistency)).toEqual(hex(m + 1 === n ? [] : subproof(m + 1, d, true)));
        expect(verifyConsistency(m + 1, n, mth(d.slice(0, m + 1)), root, consistency)).toBe(true);
      }
    }
  });

  it('stores the same nodes whichever batches the leaves are appended in', () => {
    const total = 600;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 30 }), (batches) => {
        const appended = new Map<string, Buffer>();
        let treeSize = 0;
        for (const batch of batches) {
          const next = Math.min(total, treeSize + batch);
          const frontier = fetchNodes(appended, rootNodes(treeSize));
          for (const node of completedNodes(treeSize, leaves.slice(treeSize, next), frontier)) {
            const key = `${node.level}:${node.index}`;
            expect(appended.has(key)).toBe(false);
            appended.set(key, node.hash);
          }
          treeSize = next;
        }
        const expected = storeAllNodes(leaves.slice(0, treeSize));
        expect([...appended.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [key, hash] of appended) expect(hash.equals(expected.get(key) as Buffer)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
