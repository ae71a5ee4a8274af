/** Test helpers: a log's leaves and its stored nodes, built bottom-up apart from the code under test. */
import { sha256 } from '../../services/crypto/index.js';
import { leafHash, nodeHash } from '../../services/ledger/merkle.js';
import { type NodeAddress, nodeKey } from '../../services/ledger/nodes.js';

/** Leaf hashes of a log whose event hashes are SHA-256 of the decimal index. */
export function sampleLeafHashes(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => leafHash(sha256(String(index))));
}

/** Every complete perfect-subtree node over the leaves, by pairing level after level. */
export function storeAllNodes(leafHashes: readonly Buffer[]): Map<string, Buffer> {
  const store = new Map<string, Buffer>();
  let level: Buffer[] = [...leafHashes];
  for (let depth = 0; level.length > 0; depth += 1) {
    level.forEach((hash, index) => {
      store.set(nodeKey({ level: depth, index }), hash);
    });
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      next.push(nodeHash(level[i] as Buffer, level[i + 1] as Buffer));
    }
    level = next;
  }
  return store;
}

/** What one `WHERE (level, index) IN (...)` query returns: only the asked-for rows. */
export function fetchNodes(store: ReadonlyMap<string, Buffer>, addresses: readonly NodeAddress[]) {
  const fetched = new Map<string, Buffer>();
  for (const address of addresses) {
    const hash = store.get(nodeKey(address));
    if (hash !== undefined) fetched.set(nodeKey(address), hash);
  }
  return fetched;
}
