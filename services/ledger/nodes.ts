/**
 * The storage model of the log's tree. A node is addressed by (level, index): level 0 holds the leaf
 * hashes, and node (level, index) is the root of the perfect subtree over leaves
 * [index·2^level, (index+1)·2^level). Only complete perfect subtrees are stored: once its last leaf is
 * appended a node never changes, so the anchoring worker writes each one exactly once. Every other
 * hash a proof or a root needs is folded from these on the fly.
 */
import { assert } from '../assert.js';
import { nodeHash } from './merkle.js';

export interface NodeAddress {
  level: number;
  index: number;
}

export interface StoredNode extends NodeAddress {
  hash: Buffer;
}

/** The key of a node in the Map of fetched hashes the proof builders take. */
export function nodeKey(address: NodeAddress): string {
  return `${address.level}:${address.index}`;
}

/** Whether node (level, index) is complete, and so stored, in a tree of treeSize leaves. */
export function isComplete(address: NodeAddress, treeSize: number): boolean {
  return (address.index + 1) * 2 ** address.level <= treeSize;
}

/**
 * The perfect subtrees, left to right and largest first, that make up leaves [start, end) of an
 * RFC 9162 tree: the binary expansion of end - start. The caller keeps start aligned (a multiple of a
 * power of two at least end - start), which holds for every subtree of the tree. Folding their hashes
 * right to left (foldHashes) gives the hash of that subtree.
 */
export function rangeNodes(start: number, end: number): NodeAddress[] {
  assert(Number.isSafeInteger(start) && start >= 0, 'range start is a non-negative integer');
  assert(Number.isSafeInteger(end) && end > start, 'range is non-empty');
  const nodes: NodeAddress[] = [];
  let position = start;
  let level = 0;
  let width = 1;
  while (width * 2 <= end - start) {
    width *= 2;
    level += 1;
  }
  for (; level >= 0; level -= 1, width /= 2) {
    if (position + width > end) continue;
    assert(position % width === 0, 'a perfect subtree starts on its own boundary');
    nodes.push({ level, index: position / width });
    position += width;
  }
  return nodes;
}

/** The nodes the root of a tree of treeSize leaves is folded from; none for the empty tree. */
export function rootNodes(treeSize: number): NodeAddress[] {
  assert(Number.isSafeInteger(treeSize) && treeSize >= 0, 'tree size is a non-negative integer');
  return treeSize === 0 ? [] : rangeNodes(0, treeSize);
}

/** MTH of a subtree from its perfect parts (left to right): nodeHash folded from the right. */
export function foldHashes(hashes: readonly Buffer[]): Buffer {
  const hash = hashes.reduceRight<Buffer | null>(
    (right, left) => (right === null ? left : nodeHash(left, right)),
    null,
  );
  assert(hash !== null, 'a subtree has at least one perfect part');
  return hash;
}

/**
 * Every node that becomes complete when leafHashes are appended to a tree of fromSize leaves, leaves
 * included, in the order they complete. `frontier` must hold the nodes of rootNodes(fromSize): the
 * only stored hashes a new node can be built on.
 */
export function completedNodes(
  fromSize: number,
  leafHashes: readonly Buffer[],
  frontier: ReadonlyMap<string, Buffer>,
): StoredNode[] {
  const stack: StoredNode[] = rootNodes(fromSize).map((address) => {
    const hash = frontier.get(nodeKey(address));
    assert(hash !== undefined, `frontier node ${nodeKey(address)} was fetched`);
    return { ...address, hash };
  });
  const completed: StoredNode[] = [];
  leafHashes.forEach((hash, offset) => {
    let node: StoredNode = { level: 0, index: fromSize + offset, hash };
    completed.push(node);
    let left = stack[stack.length - 1];
    while (left !== undefined && left.level === node.level) {
      stack.pop();
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
      left = stack[stack.length - 1];
    }
    stack.push(node);
  });
  return completed;
}
