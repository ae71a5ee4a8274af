/** Tampered proofs, wrong claims and malformed input: the verifiers answer false and never throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import {
  buildConsistencyProof,
  buildInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../services/ledger/proofs.js';
import { sampleLeafHashes, storeAllNodes } from './stored-tree.js';

const sizeMax = 300;
const leaves = sampleLeafHashes(sizeMax);
const store = storeAllNodes(leaves);
const roots = Array.from({ length: sizeMax + 1 }, (_, n) => rootFromLeafHashes(leaves.slice(0, n)));
const rootOf = (n: number) => roots[n] as Buffer;
const leafAt = (m: number) => leaves[m] as Buffer;

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

function sameHashes(a: Buffer[], b: Buffer[]): boolean {
  return a.length === b.length && a.every((hash, i) => b[i]?.equals(hash));
}

function replaceAt(proof: Buffer[], at: number, value: Buffer): Buffer[] {
  return proof.map((hash, i) => (i === at ? value : hash));
}

/** Proofs of every shape a tampered file could hold, built from a genuine one. */
function tamperings(proof: Buffer[], bit: number): Buffer[][] {
  const variants: Buffer[][] = proof.map((hash, i) => replaceAt(proof, i, flipBit(hash, bit)));
  if (proof.length > 0) variants.push(proof.slice(0, -1), proof.slice(1));
  variants.push(
    [...proof, leafAt(0)],
    [leafAt(0), ...proof],
    [...proof, proof[proof.length - 1] ?? leafAt(1)],
  );
  for (let i = 0; i + 1 < proof.length; i += 1) {
    const swapped = replaceAt(replaceAt(proof, i, proof[i + 1] as Buffer), i + 1, proof[i] as Buffer);
    variants.push(swapped);
  }
  return variants;
}

const bit = fc.integer({ min: 0, max: 255 });
const size = fc.integer({ min: 1, max: sizeMax });
const indexInTree = size.chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
const sizePair = size.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

describe('verifyInclusion against tampering', () => {
  it('rejects a flipped bit in any element, a truncated, extended or reordered path', () => {
    fc.assert(
      fc.property(indexInTree, bit, ([m, n], b) => {
        const proof = buildInclusionProof(m, n, store);
        for (const tampered of tamperings(proof, b)) {
          expect(verifyInclusion(leafAt(m), m, n, tampered, rootOf(n))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a flipped bit in the leaf hash or the root', () => {
    fc.assert(
      fc.property(indexInTree, bit, ([m, n], b) => {
        const proof = buildInclusionProof(m, n, store);
        expect(verifyInclusion(flipBit(leafAt(m), b), m, n, proof, rootOf(n))).toBe(false);
        expect(verifyInclusion(leafAt(m), m, n, proof, flipBit(rootOf(n), b))).toBe(false);
      }),
    );
  });

  it('rejects every other leaf index, and another leaf at the same index', () => {
    for (const n of [1, 2, 3, 5, 7, 8, 13, 32, 33, 100]) {
      for (let m = 0; m < n; m += 1) {
        const proof = buildInclusionProof(m, n, store);
        for (let other = 0; other < n + 2; other += 1) {
          if (other !== m) expect(verifyInclusion(leafAt(m), other, n, proof, rootOf(n))).toBe(false);
        }
        if (n > 1) expect(verifyInclusion(leafAt((m + 1) % n), m, n, proof, rootOf(n))).toBe(false);
      }
    }
  });

  it('rejects a proof checked against the checkpoint (size and root) of another tree size', () => {
    fc.assert(
      fc.property(indexInTree, size, ([m, n], other) => {
        fc.pre(other !== n && m < other);
        const proof = buildInclusionProof(m, n, store);
        const otherProof = buildInclusionProof(m, other, store);
        expect(verifyInclusion(leafAt(m), m, other, proof, rootOf(other))).toBe(false);
        // A proof for the other size is accepted only where it is byte for byte this size's proof.
        expect(verifyInclusion(leafAt(m), m, n, otherProof, rootOf(n))).toBe(sameHashes(proof, otherProof));
      }),
      { numRuns: 300 },
    );
  });

  it('binds the tree size only through the root, so callers take size and root from one checkpoint', () => {
    // Leaf 0 has the same path shape in trees of 5 and 6 leaves: RFC 9162 verification then cannot
    // tell the sizes apart for the same root. The signed checkpoint is what ties a size to its root.
    const proof = buildInclusionProof(0, 5, store);
    expect(verifyInclusion(leafAt(0), 0, 6, proof, rootOf(5))).toBe(true);
    expect(verifyInclusion(leafAt(0), 0, 6, proof, rootOf(6))).toBe(false);
    expect(verifyInclusion(leafAt(0), 0, 3, proof, rootOf(5))).toBe(false);
  });
});

describe('verifyConsistency against tampering', () => {
  it('rejects a flipped bit in any element, a truncated, extended or reordered proof', () => {
    fc.assert(
      fc.property(sizePair, bit, ([m, n], b) => {
        const proof = buildConsistencyProof(m, n, store);
        for (const tampered of tamperings(proof, b)) {
          expect(verifyConsistency(m, n, rootOf(m), rootOf(n), tampered)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a flipped bit in either root', () => {
    fc.assert(
      fc.property(sizePair, bit, ([m, n], b) => {
        const proof = buildConsistencyProof(m, n, store);
        expect(verifyConsistency(m, n, flipBit(rootOf(m), b), rootOf(n), proof)).toBe(false);
        expect(verifyConsistency(m, n, rootOf(m), flipBit(rootOf(n), b), proof)).toBe(false);
      }),
    );
  });

  it('rejects a proof checked against the checkpoints of other sizes', () => {
    fc.assert(
      fc.property(sizePair, sizePair, ([m, n], [otherM, otherN]) => {
        fc.pre(m !== otherM || n !== otherN);
        const proof = buildConsistencyProof(m, n, store);
        const otherProof = buildConsistencyProof(otherM, otherN, store);
        const expected = sameHashes(proof, otherProof);
        expect(verifyConsistency(otherM, otherN, rootOf(otherM), rootOf(otherN), proof)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a history rewritten after the old checkpoint', () => {
    const rewritten = leaves.slice(0, 40).map((hash, i) => (i === 17 ? flipBit(hash, 0) : hash));
    const rewrittenStore = storeAllNodes(rewritten);
    for (const m of [18, 20, 24, 32, 33]) {
      const proof = buildConsistencyProof(m, 40, rewrittenStore);
      expect(verifyConsistency(m, 40, rootOf(m), rootFromLeafHashes(rewritten), proof)).toBe(false);
    }
  });
});

describe('verifiers on malformed input', () => {
  const proof = buildInclusionProof(3, 10, store);
  const consistency = buildConsistencyProof(3, 10, store);
  const bad: unknown[] = [null, undefined, 'ab', 1.5, Number.NaN, -1, 2 ** 53, {}, [leafAt(0)]];

  it('accepts the genuine proofs these cases start from', () => {
    expect(verifyInclusion(leafAt(3), 3, 10, proof, rootOf(10))).toBe(true);
    expect(verifyConsistency(3, 10, rootOf(3), rootOf(10), consistency)).toBe(true);
  });

  it('answers false for hashes of the wrong length', () => {
    const short = leafAt(3).subarray(0, 31);
    const long = Buffer.concat([leafAt(3), Buffer.from([0])]);
    for (const wrong of [short, long, new Uint8Array(0)]) {
      expect(verifyInclusion(wrong, 3, 10, proof, rootOf(10))).toBe(false);
      expect(verifyInclusion(leafAt(3), 3, 10, proof, wrong)).toBe(false);
      expect(verifyInclusion(leafAt(3), 3, 10, replaceAt(proof, 0, Buffer.from(wrong)), rootOf(10))).toBe(
        false,
      );
      expect(verifyConsistency(3, 10, wrong, rootOf(10), consistency)).toBe(false);
      expect(verifyConsistency(3, 10, rootOf(3), wrong, consistency)).toBe(false);
    }
  });

  it('answers false for sizes and indexes out of range', () => {
    expect(verifyInclusion(leafAt(3), 10, 10, proof, rootOf(10))).toBe(false);
    expect(verifyInclusion(leafAt(0), 0, 0, [], rootOf(0))).toBe(false);
    expect(verifyConsistency(0, 10, rootOf(0), rootOf(10), [])).toBe(false);
    expect(verifyConsistency(0, 0, rootOf(0), rootOf(0), [])).toBe(false);
    expect(verifyConsistency(10, 3, rootOf(10), rootOf(3), consistency)).toBe(false);
    expect(verifyConsistency(3, 10, rootOf(3), rootOf(10), [])).toBe(false);
    expect(verifyConsistency(10, 10, rootOf(10), rootOf(10), [leafAt(0)])).toBe(false);
    expect(verifyConsistency(10, 10, rootOf(10), rootOf(9), [])).toBe(false);
  });

  it('answers false, never throwing, for values of the wrong type', () => {
    for (const value of bad) {
      const any = value as never;
      expect(verifyInclusion(any, 3, 10, proof, rootOf(10))).toBe(false);
      expect(verifyInclusion(leafAt(3), any, 10, proof, rootOf(10))).toBe(false);
      expect(verifyInclusion(leafAt(3), 3, any, proof, rootOf(10))).toBe(false);
      expect(verifyInclusion(leafAt(3), 3, 10, any, rootOf(10))).toBe(false);
      expect(verifyConsistency(any, 10, rootOf(3), rootOf(10), consistency)).toBe(false);
      expect(verifyConsistency(3, any, rootOf(3), rootOf(10), consistency)).toBe(false);
      expect(verifyConsistency(3, 10, rootOf(3), rootOf(10), any)).toBe(false);
      expect(verifyInclusion(leafAt(3), 3, 10, [...proof, any], rootOf(10))).toBe(false);
    }
  });

  it('answers false for a long proof without hashing it all', () => {
    const long = Array.from({ length: 100_000 }, () => leafAt(0));
    expect(verifyInclusion(leafAt(3), 3, 10, long, rootOf(10))).toBe(false);
    expect(verifyConsistency(3, 10, rootOf(3), rootOf(10), long)).toBe(false);
  });
});
