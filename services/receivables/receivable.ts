/**
 * Receivables: a buyer's confirmed promise to pay an invoice, split and passed up the supply chain.
 * Types and pure rules only; nothing here touches the database.
 *
 * Amounts of one node: face = transferred + settled + credited + outstanding. `transferred` is the
 * part passed on to children (whose faces sum to it), `settled` what the obligor paid to this node's
 * holder, `credited` what an accepted credit note or cancellation wrote off, `outstanding` the rest.
 */
import type { ReceivableStatus } from '../../schema/database.js';
import { assert } from '../assert.js';
import type { LedgerPolicy } from '../context.js';

export type { ReceivableStatus };

/** The deepest tier a receivable may reach (the schema's CHECK, and every recursive query's bound). */
export const tierMax = 64;

export interface Receivable {
  id: string;
  invoiceId: string;
  parentId: string | null;
  /** The tier-0 receivable of the tree; its own id for a root. */
  rootId: string;
  tier: number;
  obligorPartyId: string;
  holderPartyId: string;
  currency: string;
  faceMinor: bigint;
  transferredMinor: bigint;
  settledMinor: bigint;
  creditedMinor: bigint;
  outstandingMinor: bigint;
  dueDate: string;
  /** As stored; read effectiveStatus() for what the API shows. */
  status: ReceivableStatus;
  /** After a cancellation or credit note on a confirmed invoice, until the buyer resolves it. */
  onHold: boolean;
  financingId: string | null;
  createdEventId: string;
  createdAt: Date;
}

/** What the API shows: the stored status, or OVERDUE, which is derived and never stored. */
export type EffectiveStatus = ReceivableStatus | 'overdue';
export const effectiveStatuses = [
  'open',
  'partially_settled',
  'settled',
  'overdue',
  'defaulted',
  'cancelled',
] as const satisfies readonly EffectiveStatus[];

/** Statuses that may read OVERDUE; defaulted, settled and cancelled never do. */
export const overdueCapableStatuses = ['open', 'partially_settled'] as const satisfies ReceivableStatus[];

/** "2025-03-01" plus `days` (may be negative), as a calendar date in UTC. */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  assert(!Number.isNaN(time), `addDays: not a date: ${date}`);
  return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today's calendar date in UTC: the day every overdue rule is read against unless one is given. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Due dates strictly before this day are overdue today: today > dueDate + graceDays is the same as
 * dueDate < today - graceDays. The SQL status filter compares against this same cutoff.
 */
export function overdueCutoff(today: string, policy: LedgerPolicy): string {
  return addDays(today, -policy.overdueGraceDays);
}

/**
 * OVERDUE: something is still outstanding on this node, it is open or partially settled (not
 * defaulted, settled or cancelled), and today is after the due date plus the grace days.
 */
export function isOverdue(
  receivable: Pick<Receivable, 'outstandingMinor' | 'status' | 'dueDate'>,
  today: string,
  policy: LedgerPolicy,
): boolean {
  return (
    receivable.outstandingMinor > 0n &&
    (overdueCapableStatuses as readonly string[]).includes(receivable.status) &&
    receivable.dueDate < overdueCutoff(today, policy)
  );
}

export function effectiveStatus(
  receivable: Pick<Receivable, 'outstandingMinor' | 'status' | 'dueDate'>,
  today: string,
  policy: LedgerPolicy,
): EffectiveStatus {
  return isOverdue(receivable, today, policy) ? 'overdue' : receivable.status;
}

/** One node's amounts add up and none is negative. Split so a failure names the broken law. */
export function assertNodeConserves(receivable: Receivable): void {
  const { faceMinor, transferredMinor, settledMinor, creditedMinor, outstandingMinor } = receivable;
  assert(faceMinor > 0n, `receivable ${receivable.id}: face must be positive`);
  assert(transferredMinor >= 0n, `receivable ${receivable.id}: transferred is negative`);
  assert(settledMinor >= 0n, `receivable ${receivable.id}: settled is negative`);
  assert(creditedMinor >= 0n, `receivable ${receivable.id}: credited is negative`);
  assert(outstandingMinor >= 0n, `receivable ${receivable.id}: outstanding is negative`);
  assert(
    faceMinor === transferredMinor + settledMinor + creditedMinor + outstandingMinor,
    `receivable ${receivable.id}: face differs from transferred + settled + credited + outstanding`,
  );
}

export interface SubtreeTotals {
  outstandingMinor: bigint;
  settledMinor: bigint;
  creditedMinor: bigint;
}

/** Outstanding, settled and credited summed over each node and all its descendants. */
export function subtreeTotals(tree: readonly Receivable[]): Map<string, SubtreeTotals> {
  const totals = new Map<string, SubtreeTotals>();
  for (const node of tree) {
    totals.set(node.id, {
      outstandingMinor: node.outstandingMinor,
      settledMinor: node.settledMinor,
      creditedMinor: node.creditedMinor,
    });
  }
  const deepestFirst = [...tree].sort((a, b) => b.tier - a.tier);
  for (const node of deepestFirst) {
    if (node.parentId === null) continue;
    const own = totals.get(node.id);
    const parent = totals.get(node.parentId);
    assert(own !== undefined && parent !== undefined, `subtreeTotals: ${node.id} has no parent in the tree`);
    parent.outstandingMinor += own.outstandingMinor;
    parent.settledMinor += own.settledMinor;
    parent.creditedMinor += own.creditedMinor;
  }
  return totals;
}

/**
 * The stored status of a node, from the amounts of its subtree (the node and every part of its face
 * that was passed on). So a parent that transferred its whole face reads like the paper it passed
 * on: OPEN until any part is paid, PARTIALLY_SETTLED, then SETTLED when every part is paid.
 * - cancelled stays cancelled (an accepted cancellation is final);
 * - nothing outstanding: SETTLED if anything was paid, else CANCELLED (credited away in full);
 * - defaulted stays defaulted while anything is outstanding (a later payment is a recovery);
 * - otherwise PARTIALLY_SETTLED once anything was paid, else OPEN.
 */
export function statusFromTotals(current: ReceivableStatus, totals: SubtreeTotals): ReceivableStatus {
  if (current === 'cancelled') return 'cancelled';
  if (totals.outstandingMinor === 0n) return totals.settledMinor > 0n ? 'settled' : 'cancelled';
  if (current === 'defaulted') return 'defaulted';
  return totals.settledMinor > 0n ? 'partially_settled' : 'open';
}

/** statusFromTotals for every node of one invoice's tree. */
export function treeStatuses(tree: readonly Receivable[]): Map<string, ReceivableStatus> {
  const totals = subtreeTotals(tree);
  const statuses = new Map<string, ReceivableStatus>();
  for (const node of tree) {
    const nodeTotals = totals.get(node.id);
    assert(nodeTotals !== undefined, 'treeStatuses: totals missing');
    statuses.set(node.id, statusFromTotals(node.status, nodeTotals));
  }
  return statuses;
}

/** (tier, id): the one order in which a tree's nodes are listed, allocated to and tie-broken. */
export function byTierThenId(a: Receivable, b: Receivable): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
