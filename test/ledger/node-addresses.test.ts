/** The stored-node addresses proofs need: few, complete, fetched in one query. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../services/assert.js';
import {
  addressesOf,
  buildInclusionProof,
  consistencyProofNodes,
  inclusionProofNodes,
  isComplete,
  type NodeAddress,
  nodeKey,
  rangeNodes,
  rootFromStored,
  rootNodes,
} from '../../services/ledger/proofs.js';
import { fetchNodes, sampleLeafHashes, storeAllNodes } from './stored-tree.js';

const bound = (n: number) => 2 * Math.log2(n) + 2;
// Sizes far past any test tree: address lists need no hashing, so the arithmetic is checked up to 2^52.
const size = fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 2 ** 52 }));
const indexInTree = size.chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n)));
const sizePair = size.chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

function expectFewAndComplete(addresses: NodeAddress[], treeSize: number): void {
  expect(addresses.length).toBeLessThanOrEqual(bound(treeSize));
  for (const address of addresses) {
    expect(Number.isSafeInteger(address.level) && address.level >= 0).toBe(true);
    expect(Number.isSafeInteger(address.index) && address.index >= 0).toBe(true);
    expect(isComplete(address, treeSize)).toBe(true);
  }
  expect(new Set(addresses.map(nodeKey)).size).toBe(addresses.length);
}

describe('node addresses', () => {
  it('names few, complete nodes for an inclusion proof', () => {
    fc.assert(
      fc.property(indexInTree, ([m, n]) => {
        expectFewAndComplete(addressesOf(inclusionProofNodes(m, n)), n);
      }),
      { numRuns: 1000 },
    );
  });

  it('names few, complete nodes for a consistency proof', () => {
    fc.assert(
      fc.property(sizePair, ([m, n]) => {
        expectFewAndComplete(addressesOf(consistencyProofNodes(m, n)), n);
      }),
      { numRuns: 1000 },
    );
  });

  it('names one node per set bit of the size for the root', () => {
    fc.assert(
      fc.property(size, (n) => {
        const addresses = rootNodes(n);
        expectFewAndComplete(addresses, n);
        expect(addresses.length).toBe(n.toString(2).replaceAll('0', '').length);
      }),
    );
    expect(rootNodes(0)).toEqual([]);
  });

  it('covers the range of each subtree exactly, left to right', () => {
    // A subtree of an RFC 9162 tree starts on a multiple of a power of two at least its width.
    const subtree = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 12 }))
      .chain(([level, index]) =>
        fc.tuple(fc.constant(index * 2 ** level), fc.integer({ min: 1, max: 2 ** level })),
      );
    fc.assert(
      fc.property(subtree, ([start, width]) => {
        let next = start;
        for (const { level, index } of rangeNodes(start, start + width)) {
          expect(index * 2 ** level).toBe(next);
          next += 2 ** level;
        }
        expect(next).toBe(start + width);
      }),
    );
  });

  it('keeps the worst case inside the bound: leaf 0 of 2^k - 1 leaves', () => {
    for (let k = 2; k <= 40; k += 1) {
      const n = 2 ** k - 1;
      expectFewAndComplete(addressesOf(inclusionProofNodes(0, n)), n);
      expectFewAndComplete(addressesOf(consistencyProofNodes(1, n)), n);
      expectFewAndComplete(addressesOf(consistencyProofNodes(2 ** (k - 1) + 1, n)), n);
    }
  });

  it('builds proofs from exactly the rows fetched, and from nothing else', () => {
    const leaves = sampleLeafHashes(100);
    const store = storeAllNodes(leaves);
    const fetched = fetchNodes(store, addressesOf(inclusionProofNodes(37, 100)));
    expect(buildInclusionProof(37, 100, fetched).length).toBe(7);
    const [first] = fetched.keys();
    fetched.delete(first as string);
    expect(() => buildInclusionProof(37, 100, fetched)).toThrow(AssertionFailure);
    expect(() => rootFromStored(100, new Map())).toThrow(AssertionFailure);
  });

  it('refuses address lists for impossible proofs, a caller bug', () => {
    expect(() => inclusionProofNodes(5, 5)).toThrow(AssertionFailure);
    expect(() => inclusionProofNodes(-1, 5)).toThrow(AssertionFailure);
    expect(() => consistencyProofNodes(0, 5)).toThrow(AssertionFailure);
    expect(() => consistencyProofNodes(6, 5)).toThrow(AssertionFailure);
    expect(() => rootNodes(1.5)).toThrow(AssertionFailure);
  });
});
