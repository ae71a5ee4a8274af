/**
 * Check c (lineage): the receivable descends, tier by tier, from the root its buyer confirmed, in one
 * currency and owed by one obligor; and the amounts conserve across the invoice's whole tree: every
 * node's face = transferred + settled + credited + outstanding, none negative, and the faces of a
 * node's children sum to what it transferred. Pure over the tree the subject loaded.
 */
import { formatAmount } from '../money/money.js';
import { type Receivable, tierMax } from '../receivables/receivable.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import type { ReportSubject } from './report-subject.js';

const failed = (summary: string, ids: readonly string[]): Finding => ({
  status: 'fail',
  summary,
  evidence: [evidence(summary, 'receivable', ids)],
});

/** From the receivable up to its root, or null when a parent is missing or the walk loops. */
function pathToRoot(receivable: Receivable, byId: ReadonlyMap<string, Receivable>): Receivable[] | null {
  const path = [receivable];
  let node = receivable;
  while (node.parentId !== null) {
    const parent = byId.get(node.parentId);
    if (!parent || path.length > tierMax) return null;
    path.push(parent);
    node = parent;
  }
  return path.reverse();
}

function pathFindings(path: readonly Receivable[], subject: ReportSubject): Finding[] {
  const [root] = path;
  if (!root) return [];
  const findings: Finding[] = [];
  const created = subject.events.get(root.createdEventId);
  if (root.tier !== 0 || root.rootId !== root.id || created?.kind !== 'invoice.confirmed') {
    findings.push(failed('the root was not created by the buyer confirming the invoice', [root.id]));
  }
  for (const [depth, node] of path.entries()) {
    const parent = path[depth - 1];
    if (node.rootId !== root.id || (parent && node.tier !== parent.tier + 1)) {
      findings.push(failed('a part does not sit one tier below its parent in the same tree', [node.id]));
    }
    if (node.currency !== root.currency || node.obligorPartyId !== root.obligorPartyId) {
      findings.push(
        failed('a part is in another currency or owed by another obligor than its root', [node.id]),
      );
    }
  }
  return findings;
}

function conservationFindings(tree: readonly Receivable[]): Finding[] {
  const unbalanced = tree.filter(
    (node) =>
      node.faceMinor <= 0n ||
      [node.transferredMinor, node.settledMinor, node.creditedMinor, node.outstandingMinor].some(
        (amount) => amount < 0n,
      ) ||
      node.faceMinor !==
        node.transferredMinor + node.settledMinor + node.creditedMinor + node.outstandingMinor,
  );
  const childFaces = new Map<string, bigint>();
  for (const node of tree) {
    if (node.parentId !== null)
      childFaces.set(node.parentId, (childFaces.get(node.parentId) ?? 0n) + node.faceMinor);
  }
  const mismatched = tree.filter((node) => (childFaces.get(node.id) ?? 0n) !== node.transferredMinor);
  return [
    ...(unbalanced.length > 0
      ? [
          failed(
            'face differs from transferred + settled + credited + outstanding',
            unbalanced.map((node) => node.id),
          ),
        ]
      : []),
    ...(mismatched.length > 0
      ? [
          failed(
            "the children's faces do not sum to what was transferred",
            mismatched.map((node) => node.id),
          ),
        ]
      : []),
  ];
}

export function lineageCheck(subject: ReportSubject): ReportCheck {
  const byId = new Map(subject.tree.map((node) => [node.id, node]));
  const path = pathToRoot(subject.receivable, byId);
  if (path === null) {
    return checkOf('lineage', '', [
      failed('the receivable does not lead up to a root of its tree', [subject.receivable.id]),
    ]);
  }
  const amount = (node: Receivable) => formatAmount(node.faceMinor, node.currency);
  return checkOf(
    'lineage',
    `the part descends over ${path.length - 1} transfers from the confirmed root, and all ${subject.tree.length} parts of the tree conserve their amounts`,
    [
      ...pathFindings(path, subject),
      ...conservationFindings(subject.tree),
      {
        status: 'pass',
        summary: '',
        evidence: [
          evidence(
            'root to this part',
            'receivable',
            path.map((node) => node.id),
          ),
          evidence('their faces', 'amount', path.map(amount)),
          evidence('parts in the tree', 'number', [subject.tree.length]),
        ],
      },
    ],
  );
}
