/**
 * Inclusion and consistency proofs (RFC 9162 sections 2.1.3.1 and 2.1.4.1) assembled from stored
 * perfect-subtree nodes, never from a rebuild of the tree. Each proof element is the hash of one
 * subtree of the RFC tree: a single stored node, or, on the tree's ragged right edge, a fold of the
 * few stored nodes that make it up. The *Nodes functions list every address up front so that the
 * database fetches them all in one query; the build* functions then fold what came back.
 */
import { assert } from '../assert.js';
import { emptyRoot, splitPoint } from './merkle.js';
import { foldHashes, type NodeAddress, nodeKey, rangeNodes, rootNodes } from './nodes.js';

export type { NodeAddress, StoredNode } from './nodes.js';
export { completedNodes, foldHashes, isComplete, nodeKey, rangeNodes, rootNodes } from './nodes.js';
export { verifyConsistency, verifyInclusion } from './verify.js';

/** One proof hash, as the stored perfect subtrees (left to right) it is folded from. */
export type ProofElement = NodeAddress[];

function assertSize(size: number, name: string): void {
  assert(Number.isSafeInteger(size) && size >= 0, `${name} is a non-negative integer`);
}

/**
 * PATH(m, D[n]): the subtrees beside leaf m on its way to the root, from the leaf up. Going down from
 * the root, each step keeps the half that holds the leaf and records the other half.
 */
export function inclusionProofNodes(leafIndex: number, treeSize: number): ProofElement[] {
  assertSize(leafIndex, 'leaf index');
  assertSize(treeSize, 'tree size');
  assert(leafIndex < treeSize, 'the leaf is inside the tree');
  const fromRoot: ProofElement[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const middle = start + splitPoint(end - start);
    if (leafIndex < middle) {
      fromRoot.push(rangeNodes(middle, end));
      end = middle;
    } else {
      fromRoot.push(rangeNodes(start, middle));
      start = middle;
    }
  }
  return fromRoot.reverse();
}

/**
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) for 1 ≤ m ≤ n, from the deepest element up. Going down,
 * a step that keeps the left half records the right one; a step to the right records the left half
 * and marks that the old tree's root is no longer a whole subtree of the path (b = false), so the
 * subtree where the descent stops is itself part of the proof.
 */
export function consistencyProofNodes(fromSize: number, toSize: number): ProofElement[] {
  assertSize(fromSize, 'from size');
  assertSize(toSize, 'to size');
  assert(fromSize >= 1, 'consistency is proved from a non-empty tree');
  assert(fromSize <= toSize, 'the old tree is not larger than the new one');
  const fromRoot: ProofElement[] = [];
  let start = 0;
  let end = toSize;
  let oldRootIsSubtree = true;
  while (fromSize < end) {
    const middle = start + splitPoint(end - start);
    if (fromSize <= middle) {
      fromRoot.push(rangeNodes(middle, end));
      end = middle;
    } else {
      fromRoot.push(rangeNodes(start, middle));
      start = middle;
      oldRootIsSubtree = false;
    }
  }
  if (!oldRootIsSubtree) fromRoot.push(rangeNodes(start, end));
  return fromRoot.reverse();
}

/** Every address the elements need, each once: the rows of the one query. */
export function addressesOf(elements: readonly ProofElement[]): NodeAddress[] {
  const byKey = new Map<string, NodeAddress>();
  for (const element of elements) for (const address of element) byKey.set(nodeKey(address), address);
  return [...byKey.values()];
}

/** Folds each element from fetched node hashes; a missing node is a bug or a broken store. */
export function foldElements(
  elements: readonly ProofElement[],
  fetched: ReadonlyMap<string, Buffer>,
): Buffer[] {
  return elements.map((element) =>
    foldHashes(
      element.map((address) => {
        const hash = fetched.get(nodeKey(address));
        assert(hash !== undefined, `stored node ${nodeKey(address)} was fetched`);
        return hash;
      }),
    ),
  );
}

/** The audit path for leafIndex in the tree of treeSize, from nodes fetched by inclusionProofNodes. */
export function buildInclusionProof(
  leafIndex: number,
  treeSize: number,
  fetched: ReadonlyMap<string, Buffer>,
): Buffer[] {
  return foldElements(inclusionProofNodes(leafIndex, treeSize), fetched);
}

/** The consistency proof from fromSize to toSize, from nodes fetched by consistencyProofNodes. */
export function buildConsistencyProof(
  fromSize: number,
  toSize: number,
  fetched: ReadonlyMap<string, Buffer>,
): Buffer[] {
  return foldElements(consistencyProofNodes(fromSize, toSize), fetched);
}

/** MTH of the tree of treeSize leaves, from the nodes fetched by rootNodes(treeSize). */
export function rootFromStored(treeSize: number, fetched: ReadonlyMap<string, Buffer>): Buffer {
  const addresses = rootNodes(treeSize);
  if (addresses.length === 0) return emptyRoot();
  const [root] = foldElements([addresses], fetched);
  assert(root !== undefined, 'one element folds to one hash');
  return root;
}
