/** The lineage tree built from receivableLineage's answer. */
import { describe, expect, it } from 'vitest';
import { buildLineageTree, countNodes, flatten } from '../../web/src/charts/lineage-tree.js';

const part = (id: string, parentId: string | null, tier: number) => ({ id, parentId, tier });

describe('buildLineageTree', () => {
  it('hangs every part under its parent, from the confirmed root, and marks the requested one', () => {
    const root = part('r', null, 0);
    const a = part('a', 'r', 1);
    const b = part('b', 'r', 1);
    const a1 = part('a1', 'a', 2);
    const a2 = part('a2', 'a', 2);
    const tree = buildLineageTree([root], a, [a1, a2]);
    expect(tree?.part.id).toBe('r');
    expect(tree?.children.map((child) => child.part.id)).toEqual(['a']);
    expect(tree?.children[0]?.requested).toBe(true);
    expect(tree?.children[0]?.children.map((child) => child.part.id)).toEqual(['a1', 'a2']);
    expect(tree && countNodes(tree)).toBe(4);
    // b is a sibling, not in the lineage of a: the ledger does not send it, and nothing invents it.
    expect(flatten(tree as NonNullable<typeof tree>).map(({ node }) => node.part.id)).not.toContain(b.id);
  });
  it('draws the root itself when it is the receivable asked about', () => {
    const tree = buildLineageTree([], part('r', null, 0), [part('x', 'r', 1), part('y', 'x', 2)]);
    expect(tree?.requested).toBe(true);
    const outline = flatten(tree as NonNullable<typeof tree>).map(
      ({ node, level }) => `${level}:${node.part.id}`,
    );
    expect(outline).toEqual(['0:r', '1:x', '2:y']);
  });
  it('keeps a part whose parent is missing, under the root, and drops duplicates', () => {
    const tree = buildLineageTree([part('r', null, 0)], part('m', 'r', 1), [
      part('orphan', 'gone', 3),
      part('m', 'r', 1),
    ]);
    expect(tree?.children.map((child) => child.part.id)).toEqual(['m', 'orphan']);
    expect(tree && countNodes(tree)).toBe(3);
  });
});
