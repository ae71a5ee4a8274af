/**
 * The lineage of a receivable as a tree: the confirmed root (tier 0) at the top, every part passed on
 * below its parent. Pure (no DOM): unit tested in test/web/lineage-tree.test.ts.
 */
export interface LineagePart {
  id: string;
  parentId: string | null;
  tier: number;
}

export interface LineageTreeNode<Part extends LineagePart> {
  part: Part;
  requested: boolean;
  children: LineageTreeNode<Part>[];
}

/**
 * Builds the tree from the answer of receivableLineage: ancestors (root first), the receivable, its
 * descendants (tier, id order). A part whose parent is not in the answer hangs under the root, so
 * nothing the ledger sent is dropped. Returns null when there is nothing to draw.
 */
export function buildLineageTree<Part extends LineagePart>(
  ancestors: readonly Part[],
  receivable: Part,
  descendants: readonly Part[],
): LineageTreeNode<Part> | null {
  const all = [...ancestors, receivable, ...descendants];
  const seen = new Set<string>();
  const nodes = new Map<string, LineageTreeNode<Part>>();
  for (const part of all) {
    if (seen.has(part.id)) continue;
    seen.add(part.id);
    nodes.set(part.id, { part, requested: part.id === receivable.id, children: [] });
  }
  const rootPart = ancestors[0] ?? receivable;
  const root = nodes.get(rootPart.id);
  if (!root) return null;
  for (const node of nodes.values()) {
    if (node === root) continue;
    const parent = (node.part.parentId && nodes.get(node.part.parentId)) || root;
    parent.children.push(node);
  }
  const order = (a: LineageTreeNode<Part>, b: LineageTreeNode<Part>) =>
    a.part.tier - b.part.tier || (a.part.id < b.part.id ? -1 : a.part.id > b.part.id ? 1 : 0);
  const sortAll = (node: LineageTreeNode<Part>) => {
    node.children.sort(order);
    node.children.forEach(sortAll);
  };
  sortAll(root);
  return root;
}

/** How many nodes the tree has. */
export function countNodes(node: LineageTreeNode<LineagePart>): number {
  return 1 + node.children.reduce((sum, child) => sum + countNodes(child), 0);
}

/** The tree depth-first, with each node's depth (for a text alternative as an outline). */
export function flatten<Part extends LineagePart>(
  node: LineageTreeNode<Part>,
  level = 0,
): { node: LineageTreeNode<Part>; level: number }[] {
  return [{ node, level }, ...node.children.flatMap((child) => flatten(child, level + 1))];
}
