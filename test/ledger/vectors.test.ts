/** The RFC 6962 / RFC 9162 reference vectors (transparency-dev/merkle), checked in as a fixture. */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../services/crypto/index.js';
import { emptyRoot, leafHash, nodeHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import {
  addressesOf,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofNodes,
  inclusionProofNodes,
  rootFromStored,
  rootNodes,
  verifyConsistency,
  verifyInclusion,
} from '../../services/ledger/proofs.js';
import { rfc6962Vectors } from '../fixtures/rfc6962-vectors.js';
import { fetchNodes, storeAllNodes } from './stored-tree.js';

const vectors = rfc6962Vectors;
const hex = (value: string) => Buffer.from(value, 'hex');
const toHexes = (hashes: Buffer[]) => hashes.map((hash) => hash.toString('hex'));
const leafHashes = vectors.leaf_inputs_hex.map((input) => leafHash(hex(input)));
const store = storeAllNodes(leafHashes);

describe('RFC 6962 reference vectors', () => {
  it('hashes the empty tree, leaves and nodes as the hasher vectors say', () => {
    const [empty, emptyLeaf, leaf, node] = vectors.hasher_vectors;
    expect(emptyRoot().toString('hex')).toBe(empty?.output_hex);
    expect(emptyRoot().toString('hex')).toBe(vectors.empty_tree_root_hex);
    expect(leafHash(new Uint8Array(0)).toString('hex')).toBe(emptyLeaf?.output_hex);
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe(leaf?.output_hex);
    expect(nodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(node?.output_hex);
    expect(sha256('').equals(emptyRoot())).toBe(true);
  });

  it('stores the complete-subtree node hashes of the vector tree', () => {
    vectors.node_hashes.levels.forEach((hashes, level) => {
      hashes.forEach((hash, index) => {
        expect(store.get(`${level}:${index}`)?.toString('hex')).toBe(hash);
      });
    });
  });

  it.each(vectors.roots)(
    'computes the root of size $tree_size from leaves and from stored nodes',
    (vector) => {
      const leaves = leafHashes.slice(0, vector.tree_size);
      expect(rootFromLeafHashes(leaves).toString('hex')).toBe(vector.root_hex);
      const fetched = fetchNodes(store, rootNodes(vector.tree_size));
      expect(rootFromStored(vector.tree_size, fetched).toString('hex')).toBe(vector.root_hex);
    },
  );

  it.each(vectors.inclusion_proofs)(
    'generates and verifies the inclusion proof of leaf $leaf_index in size $tree_size',
    (vector) => {
      expect(leafHash(hex(vector.leaf_input_hex)).toString('hex')).toBe(vector.leaf_hash_hex);
      const needed = addressesOf(inclusionProofNodes(vector.leaf_index, vector.tree_size));
      const proof = buildInclusionProof(vector.leaf_index, vector.tree_size, fetchNodes(store, needed));
      expect(toHexes(proof)).toEqual(vector.path_hex);
      const path = vector.path_hex.map(hex);
      expect(
        verifyInclusion(
          hex(vector.leaf_hash_hex),
          vector.leaf_index,
          vector.tree_size,
          path,
          hex(vector.root_hex),
        ),
      ).toBe(true);
    },
  );

  it.each(vectors.consistency_proofs)(
    'generates and verifies the consistency proof from $size1 to $size2',
    (vector) => {
      const needed = addressesOf(consistencyProofNodes(vector.size1, vector.size2));
      const proof = buildConsistencyProof(vector.size1, vector.size2, fetchNodes(store, needed));
      expect(toHexes(proof)).toEqual(vector.path_hex);
      const path = vector.path_hex.map(hex);
      expect(
        verifyConsistency(vector.size1, vector.size2, hex(vector.root1_hex), hex(vector.root2_hex), path),
      ).toBe(true);
    },
  );
});
