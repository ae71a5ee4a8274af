/** The storage model's edges: which nodes are complete, the argument checks, a missing frontier node. */
import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../services/assert.js';
import { nodeHash } from '../../services/ledger/merkle.js';
import {
  completedNodes,
  foldHashes,
  isComplete,
  nodeKey,
  rangeNodes,
  rootNodes,
} from '../../services/ledger/nodes.js';
import {
  addressesOf,
  buildConsistencyProof,
  consistencyProofNodes,
  foldElements,
  inclusionProofNodes,
  rootFromStored,
} from '../../services/ledger/proofs.js';
import { sampleLeafHashes, storeAllNodes } from './stored-tree.js';

const failure = (message: string) => new AssertionFailure(message);

describe('isComplete', () => {
  it('holds exactly when the last leaf of the node is inside the tree', () => {
    expect(isComplete({ level: 0, index: 0 }, 0)).toBe(false);
    expect(isComplete({ level: 0, index: 0 }, 1)).toBe(true);
    expect(isComplete({ level: 0, index: 4 }, 5)).toBe(true);
    expect(isComplete({ level: 0, index: 5 }, 5)).toBe(false);
    expect(isComplete({ level: 1, index: 1 }, 3)).toBe(false);
    expect(isComplete({ level: 1, index: 1 }, 4)).toBe(true);
    expect(isComplete({ level: 2, index: 0 }, 3)).toBe(false);
    expect(isComplete({ level: 2, index: 1 }, 8)).toBe(true);
    expect(isComplete({ level: 2, index: 1 }, 7)).toBe(false);
    expect(isComplete({ level: 3, index: 0 }, 8)).toBe(true);
  });
});

describe('nodeKey', () => {
  it('names level then index', () => {
    expect(nodeKey({ level: 3, index: 12 })).toBe('3:12');
  });
});

describe('rangeNodes', () => {
  it('splits a range into its perfect subtrees, largest first', () => {
    expect(rangeNodes(0, 1)).toEqual([{ level: 0, index: 0 }]);
    expect(rangeNodes(0, 2)).toEqual([{ level: 1, index: 0 }]);
    expect(rangeNodes(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rangeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(4, 8)).toEqual([{ level: 2, index: 1 }]);
  });

  it('refuses a negative, fractional or unsafe start and an empty or reversed range', () => {
    expect(() => rangeNodes(-1, 2)).toThrow(failure('range start is a non-negative integer'));
    expect(() => rangeNodes(0.5, 2)).toThrow(failure('range start is a non-negative integer'));
    expect(() => rangeNodes(2 ** 53, 2 ** 53 + 2)).toThrow(failure('range start is a non-negative integer'));
    expect(() => rangeNodes(3, 3)).toThrow(failure('range is non-empty'));
    expect(() => rangeNodes(3, 2)).toThrow(failure('range is non-empty'));
    expect(() => rangeNodes(0, 1.5)).toThrow(failure('range is non-empty'));
    expect(() => rangeNodes(0, 2 ** 53)).toThrow(failure('range is non-empty'));
  });

  it('refuses a start that is not on the boundary of its subtrees', () => {
    expect(() => rangeNodes(1, 3)).toThrow(failure('a perfect subtree starts on its own boundary'));
    expect(() => rangeNodes(2, 6)).toThrow(failure('a perfect subtree starts on its own boundary'));
  });
});

describe('rootNodes', () => {
  it('names none for the empty tree and one per set bit otherwise', () => {
    expect(rootNodes(0)).toEqual([]);
    expect(rootNodes(1)).toEqual([{ level: 0, index: 0 }]);
    expect(rootNodes(6)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
    ]);
  });

  it('refuses a negative, fractional or unsafe size', () => {
    for (const size of [-1, 1.5, 2 ** 53, Number.NaN]) {
      expect(() => rootNodes(size)).toThrow(failure('tree size is a non-negative integer'));
    }
  });
});

describe('foldHashes', () => {
  it('folds from the right and refuses nothing to fold', () => {
    const [a, b, c] = sampleLeafHashes(3) as [Buffer, Buffer, Buffer];
    expect(foldHashes([a])).toEqual(a);
    expect(foldHashes([a, b, c])).toEqual(nodeHash(a, nodeHash(b, c)));
    expect(() => foldHashes([])).toThrow(failure('a subtree has at least one perfect part'));
  });
});

describe('completedNodes', () => {
  it('lists leaves and the nodes they complete, in order, on top of the frontier', () => {
    const leaves = sampleLeafHashes(4);
    const store = storeAllNodes(leaves);
    const completed = completedNodes(3, leaves.slice(3), store);
    expect(completed.map(nodeKey)).toEqual(['0:3', '1:1', '2:0']);
    expect(completed.map((node) => node.hash)).toEqual(['0:3', '1:1', '2:0'].map((key) => store.get(key)));
  });

  it('refuses to build on a frontier node that was not fetched', () => {
    const leaves = sampleLeafHashes(4);
    const store = storeAllNodes(leaves);
    store.delete('1:0');
    expect(() => completedNodes(3, leaves.slice(3), store)).toThrow(failure('frontier node 1:0 was fetched'));
  });
});

describe('proof node lists', () => {
  it('refuses a consistency proof from the empty tree', () => {
    expect(() => consistencyProofNodes(0, 5)).toThrow(failure('consistency is proved from a non-empty tree'));
    expect(() => consistencyProofNodes(0, 0)).toThrow(failure('consistency is proved from a non-empty tree'));
  });

  it('refuses an old tree larger than the new one, and sizes that are not integers', () => {
    expect(() => consistencyProofNodes(6, 5)).toThrow(failure('the old tree is not larger than the new one'));
    expect(() => consistencyProofNodes(-1, 5)).toThrow(failure('from size is a non-negative integer'));
    expect(() => consistencyProofNodes(1, 2.5)).toThrow(failure('to size is a non-negative integer'));
  });

  it('proves consistency of a tree with itself by nothing', () => {
    expect(consistencyProofNodes(5, 5)).toEqual([]);
    expect(consistencyProofNodes(4, 4)).toEqual([]);
  });

  it('refuses a leaf outside the tree and sizes that are not integers', () => {
    expect(() => inclusionProofNodes(5, 5)).toThrow(failure('the leaf is inside the tree'));
    expect(() => inclusionProofNodes(-1, 5)).toThrow(failure('leaf index is a non-negative integer'));
    expect(() => inclusionProofNodes(0, 1.5)).toThrow(failure('tree size is a non-negative integer'));
    expect(inclusionProofNodes(0, 1)).toEqual([]);
  });

  it('lists each address once', () => {
    expect(
      addressesOf([
        [{ level: 0, index: 1 }],
        [
          { level: 0, index: 1 },
          { level: 1, index: 1 },
        ],
      ]),
    ).toEqual([
      { level: 0, index: 1 },
      { level: 1, index: 1 },
    ]);
  });

  it('refuses to fold a node that was not fetched', () => {
    const store = storeAllNodes(sampleLeafHashes(8));
    store.delete('0:6');
    expect(() => foldElements([[{ level: 0, index: 6 }]], store)).toThrow(
      failure('stored node 0:6 was fetched'),
    );
    expect(() => buildConsistencyProof(6, 7, store)).toThrow(failure('stored node 0:6 was fetched'));
    expect(rootFromStored(0, new Map())).toEqual(rootFromStored(0, store));
  });
});
