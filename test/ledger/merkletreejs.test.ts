/** merkletreejs, configured as docs/design.md says, builds the same RFC 9162 tree as merkle.ts. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../services/crypto/index.js';
import { leafHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { merkletreejsRoot } from '../../services/ledger/merkletreejs.js';
import { sampleLeafHashes } from './stored-tree.js';

interface Vectors {
  leaf_inputs_hex: string[];
  empty_tree_root_hex: string;
  roots: { tree_size: number; root_hex: string }[];
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/rfc6962-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

describe('merkletreejsRoot', () => {
  it('gives the RFC 6962 reference roots for sizes 0 to 8', () => {
    const leaves = vectors.leaf_inputs_hex.map((hex) => leafHash(Buffer.from(hex, 'hex')));
    expect(vectors.roots.map((root) => root.tree_size)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const { tree_size, root_hex } of vectors.roots) {
      expect(merkletreejsRoot(leaves.slice(0, tree_size)).toString('hex'), `size ${tree_size}`).toBe(
        root_hex,
      );
    }
  });

  it('gives SHA-256 of the empty string for the empty tree', () => {
    expect(merkletreejsRoot([]).toString('hex')).toBe(vectors.empty_tree_root_hex);
  });

  it('equals rootFromLeafHashes for every size from 0 to 300', () => {
    const leaves = sampleLeafHashes(300);
    for (let size = 0; size <= 300; size += 1) {
      const prefix = leaves.slice(0, size);
      expect(merkletreejsRoot(prefix).equals(rootFromLeafHashes(prefix)), `size ${size}`).toBe(true);
    }
  });

  it('equals rootFromLeafHashes for random leaves and sizes up to 3000', () => {
    const size = fc.integer({ min: 0, max: 3000 });
    const seed = fc.uint8Array({ minLength: 1, maxLength: 32 });
    fc.assert(
      fc.property(size, seed, (count, bytes) => {
        const leaves = Array.from({ length: count }, (_, index) =>
          leafHash(sha256(Buffer.concat([bytes, Buffer.from(String(index))]))),
        );
        expect(merkletreejsRoot(leaves).equals(rootFromLeafHashes(leaves))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
