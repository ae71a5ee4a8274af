/**
 * Check c of the lender's report (services/verify/report-lineage.ts) over plain trees: the part
 * descends tier by tier from the root its buyer confirmed, in one currency and owed by one obligor,
 * and every node's amounts conserve. Each case names the receivables the lender is pointed to.
 */
import { describe, expect, it } from 'vitest';
import type { Receivable } from '../../services/receivables/receivable.js';
import type { ReportCheck } from '../../services/verify/report.js';
import { lineageCheck } from '../../services/verify/report-lineage.js';
import { buyer, lineageSubject, receivable, reportEvent } from './report-fixtures.js';

const confirmed = (id: string, kind = 'invoice.confirmed') =>
  reportEvent({ eventId: `event-${id}`, kind, actorPartyId: buyer });

/**
 * A root of 1000.00 EUR (600.00 passed on, 100.00 paid, 50.00 credited, 250.00 outstanding), its
 * child of 600.00 that passed on 400.00 to two children of 300.00 and 100.00.
 */
function tree(change: Partial<Record<string, Partial<Receivable>>> = {}): Receivable[] {
  const nodes = [
    receivable({
      id: 'r0',
      faceMinor: 100_000n,
      transferredMinor: 60_000n,
      settledMinor: 10_000n,
      creditedMinor: 5_000n,
      outstandingMinor: 25_000n,
    }),
    receivable({
      id: 'r1',
      parentId: 'r0',
      rootId: 'r0',
      tier: 1,
      faceMinor: 60_000n,
      transferredMinor: 40_000n,
      outstandingMinor: 20_000n,
    }),
    receivable({ id: 'r2a', parentId: 'r1', rootId: 'r0', tier: 2, faceMinor: 30_000n }),
    receivable({ id: 'r2b', parentId: 'r1', rootId: 'r0', tier: 2, faceMinor: 10_000n }),
  ];
  return nodes.map((node) => ({ ...node, ...change[node.id] }));
}

function checkOfPart(nodes: Receivable[], partId = 'r2a', events = [confirmed('r0')]): ReportCheck {
  const part = nodes.find((node) => node.id === partId);
  if (!part) throw new Error(`no part ${partId}`);
  return lineageCheck(lineageSubject(part, nodes, events));
}

/** The evidence the passing finding adds after the problems': the path, its faces, the tree's size. */
const pathEvidence = (ids: string[], faces: string[], parts: number) => [
  { label: 'root to this part', kind: 'receivable', values: ids },
  { label: 'their faces', kind: 'amount', values: faces },
  { label: 'parts in the tree', kind: 'number', values: [String(parts)] },
];

const problem = (summary: string, ...ids: string[]) => ({ label: summary, kind: 'receivable', values: ids });

describe('lineage check', () => {
  it('passes a part two transfers below the confirmed root, with the path and its faces as evidence', () => {
    expect(checkOfPart(tree())).toEqual({
      name: 'lineage',
      status: 'pass',
      summary:
        'the part descends over 2 transfers from the confirmed root, and all 4 parts of the tree conserve their amounts',
      evidence: pathEvidence(['r0', 'r1', 'r2a'], ['1000.00', '600.00', '300.00'], 4),
    });
  });

  it('passes the root itself over 0 transfers', () => {
    const check = checkOfPart(tree(), 'r0');
    expect(check.status).toBe('pass');
    expect(check.summary).toBe(
      'the part descends over 0 transfers from the confirmed root, and all 4 parts of the tree conserve their amounts',
    );
    expect(check.evidence).toEqual(pathEvidence(['r0'], ['1000.00'], 4));
  });

  it('passes a part at the deepest tier (64) and fails one whose parents go deeper', () => {
    const chain = (depth: number) =>
      Array.from({ length: depth + 1 }, (_, tier) =>
        receivable({
          id: `t${tier}`,
          parentId: tier === 0 ? null : `t${tier - 1}`,
          rootId: 't0',
          tier,
          faceMinor: 100n,
          transferredMinor: tier === depth ? 0n : 100n,
          outstandingMinor: tier === depth ? 100n : 0n,
        }),
      );
    const deepest = checkOfPart(chain(64), 't64', [confirmed('t0')]);
    expect(deepest.status).toBe('pass');
    expect(deepest.summary).toMatch(/^the part descends over 64 transfers .* all 65 parts/);
    const deeper = checkOfPart(chain(65), 't65', [confirmed('t0')]);
    expect(deeper.status).toBe('fail');
    expect(deeper.summary).toBe('the receivable does not lead up to a root of its tree');
  });

  it.each([
    ['a parent that is not in the tree', { r1: { parentId: 'r-missing' } }],
    ['parents that loop', { r0: { parentId: 'r2a' } }],
  ])('fails a part with %s, pointing at the part only', (_what, change) => {
    expect(checkOfPart(tree(change))).toEqual({
      name: 'lineage',
      status: 'fail',
      summary: 'the receivable does not lead up to a root of its tree',
      evidence: [problem('the receivable does not lead up to a root of its tree', 'r2a')],
    });
  });

  it.each([
    ['by another kind of event', [confirmed('r0', 'receivable.transferred')]],
    ['by an event the report does not have', []],
  ])('fails a root created %s', (_what, events) => {
    const check = checkOfPart(tree(), 'r2a', events);
    expect(check.status).toBe('fail');
    expect(check.summary).toBe('the root was not created by the buyer confirming the invoice');
    expect(check.evidence).toEqual([
      problem('the root was not created by the buyer confirming the invoice', 'r0'),
      ...pathEvidence(['r0', 'r1', 'r2a'], ['1000.00', '600.00', '300.00'], 4),
    ]);
  });

  it('fails a root that is not at tier 0', () => {
    const check = checkOfPart(tree({ r0: { tier: 1 }, r1: { tier: 2 }, r2a: { tier: 3 }, r2b: { tier: 3 } }));
    expect(check.summary).toBe('the root was not created by the buyer confirming the invoice');
    expect(check.evidence[0]).toEqual(
      problem('the root was not created by the buyer confirming the invoice', 'r0'),
    );
  });

  it('fails a root that names another receivable as its root', () => {
    const check = checkOfPart(tree({ r0: { rootId: 'r9' } }));
    expect(check.status).toBe('fail');
    expect(check.evidence.slice(0, -3)).toEqual([
      problem('the root was not created by the buyer confirming the invoice', 'r0'),
      problem('a part does not sit one tier below its parent in the same tree', 'r0'),
    ]);
  });

  it('fails a part of the path that names another root', () => {
    const check = checkOfPart(tree({ r1: { rootId: 'r9' } }));
    expect(check.summary).toBe('a part does not sit one tier below its parent in the same tree');
    expect(check.evidence.slice(0, -3)).toEqual([
      problem('a part does not sit one tier below its parent in the same tree', 'r1'),
    ]);
  });

  it('fails a part that skips a tier, and not its child one tier below it', () => {
    const check = checkOfPart(tree({ r1: { tier: 2 }, r2a: { tier: 3 } }));
    expect(check.status).toBe('fail');
    expect(check.evidence.slice(0, -3)).toEqual([
      problem('a part does not sit one tier below its parent in the same tree', 'r1'),
    ]);
  });

  it.each([
    ['another currency', { r1: { currency: 'USD' } }, 'r1'],
    ['another obligor', { r2a: { obligorPartyId: 'party-other' } }, 'r2a'],
  ])('fails a part of the path in %s than its root', (_what, change, id) => {
    const check = checkOfPart(tree(change));
    expect(check.status).toBe('fail');
    expect(check.summary).toBe('a part is in another currency or owed by another obligor than its root');
    expect(check.evidence.slice(0, -3)).toEqual([
      problem('a part is in another currency or owed by another obligor than its root', id),
    ]);
  });
});

describe('lineage check: conservation over the whole tree', () => {
  const unbalanced = 'face differs from transferred + settled + credited + outstanding';
  const mismatched = "the children's faces do not sum to what was transferred";

  it.each([
    ['amounts that do not add up to its face', { r2b: { outstandingMinor: 9_000n } }],
    [
      'a negative amount, even one that balances',
      { r2b: { settledMinor: 15_000n, outstandingMinor: -5_000n } },
    ],
  ])('fails a part off the path with %s', (_what, change) => {
    const check = checkOfPart(tree(change));
    expect(check.status).toBe('fail');
    expect(check.summary).toBe(unbalanced);
    expect(check.evidence.slice(0, -3)).toEqual([problem(unbalanced, 'r2b')]);
  });

  it('fails a part with a face of zero', () => {
    const nodes = [
      ...tree(),
      receivable({ id: 'r2c', parentId: 'r1', rootId: 'r0', tier: 2, faceMinor: 0n }),
    ];
    const check = checkOfPart(nodes);
    expect(check.summary).toBe(unbalanced);
    expect(check.evidence.slice(0, -3)).toEqual([problem(unbalanced, 'r2c')]);
  });

  it("fails a parent whose children's faces fall short of what it transferred", () => {
    const check = checkOfPart(tree({ r1: { transferredMinor: 45_000n, outstandingMinor: 15_000n } }));
    expect(check.summary).toBe(mismatched);
    expect(check.evidence.slice(0, -3)).toEqual([problem(mismatched, 'r1')]);
  });

  it('fails a leaf that transferred an amount to no children', () => {
    const check = checkOfPart(tree({ r2b: { transferredMinor: 10_000n, outstandingMinor: 0n } }));
    expect(check.summary).toBe(mismatched);
    expect(check.evidence.slice(0, -3)).toEqual([problem(mismatched, 'r2b')]);
  });

  it('names every unbalanced part, then every mismatched parent, in one failing check', () => {
    const check = checkOfPart(
      tree({
        r0: { outstandingMinor: 24_999n },
        r1: { transferredMinor: 45_000n, outstandingMinor: 15_000n },
        r2b: { creditedMinor: 1n },
      }),
    );
    expect(check).toEqual({
      name: 'lineage',
      status: 'fail',
      summary: `${unbalanced}; ${mismatched}`,
      evidence: [
        problem(unbalanced, 'r0', 'r2b'),
        problem(mismatched, 'r1'),
        ...pathEvidence(['r0', 'r1', 'r2a'], ['1000.00', '600.00', '300.00'], 4),
      ],
    });
  });
});
