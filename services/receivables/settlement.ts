/**
 * Spreading a payment (or an accepted credit note) over the current holders of an invoice's tree.
 * Pure: the fact files read the tree, call these, and write the changes they return.
 *
 * Rounding rule: largest remainder (services/money/allocate.ts). The holders are every receivable of
 * the invoice with something outstanding, in (tier, id) order, weighted by what is outstanding on
 * each. Each first gets floor(amount x outstanding / total outstanding); the minor units left over go
 * one each to the largest remainders, and equal remainders go to the earlier node in (tier, id)
 * order: the lower tier first, then the smaller UUID. 100.00 over three equal holders is
 * 33.34 + 33.33 + 33.33, the 33.34 to the first of them. No minor unit is lost or created.
 */
import { assert } from '../assert.js';
import { allocate } from '../money/allocate.js';
import {
  assertNodeConserves,
  byTierThenId,
  type Receivable,
  type ReceivableStatus,
  subtreeTotals,
  treeStatuses,
} from './receivable.js';

export interface Allocation {
  receivableId: string;
  holderPartyId: string;
  amountMinor: bigint;
}

/** A write to one node: amounts added, and the status it reads afterwards. */
export interface ReceivableChange {
  id: string;
  settledAddMinor: bigint;
  creditedAddMinor: bigint;
  status: ReceivableStatus;
}

export function totalOutstanding(tree: readonly Receivable[]): bigint {
  return tree.reduce((sum, node) => sum + node.outstandingMinor, 0n);
}

/**
 * Allocates `amountMinor` across the nodes with something outstanding, by the rule above. Shares of
 * zero are left out (a node with a tiny outstanding may get nothing of a tiny payment).
 */
export function allocateAcrossHolders(tree: readonly Receivable[], amountMinor: bigint): Allocation[] {
  const holders = tree.filter((node) => node.outstandingMinor > 0n).sort(byTierThenId);
  const outstanding = totalOutstanding(holders);
  assert(amountMinor > 0n, 'allocateAcrossHolders: the amount must be positive');
  assert(amountMinor <= outstanding, 'allocateAcrossHolders: the amount exceeds the outstanding total');
  const shares = allocate(
    amountMinor,
    holders.map((node) => node.outstandingMinor),
  );
  const allocations: Allocation[] = [];
  holders.forEach((node, index) => {
    const share = shares[index] ?? 0n;
    assert(share <= node.outstandingMinor, `allocation to ${node.id} exceeds its outstanding amount`);
    if (share > 0n)
      allocations.push({ receivableId: node.id, holderPartyId: node.holderPartyId, amountMinor: share });
  });
  const allocated = allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n);
  assert(allocated === amountMinor, 'allocateAcrossHolders: allocations do not sum to the amount');
  return allocations;
}

/**
 * The tree after the allocations are added to `settled` (a payment) or `credited` (a credit note),
 * with every node's status recomputed, and the changes to write: only nodes whose amounts or status
 * move.
 */
export function applyAllocations(
  tree: readonly Receivable[],
  allocations: readonly Allocation[],
  into: 'settled' | 'credited',
): { tree: Receivable[]; changes: ReceivableChange[] } {
  const shares = new Map(allocations.map((allocation) => [allocation.receivableId, allocation.amountMinor]));
  const after = tree.map((node) => {
    const share = shares.get(node.id) ?? 0n;
    return {
      ...node,
      settledMinor: node.settledMinor + (into === 'settled' ? share : 0n),
      creditedMinor: node.creditedMinor + (into === 'credited' ? share : 0n),
      outstandingMinor: node.outstandingMinor - share,
    };
  });
  for (const node of after) assertNodeConserves(node);
  const statuses = treeStatuses(after);
  const statusBefore = new Map(tree.map((node) => [node.id, node.status]));
  const changes: ReceivableChange[] = [];
  for (const node of after) {
    const share = shares.get(node.id) ?? 0n;
    const status = statuses.get(node.id) ?? node.status;
    if (share === 0n && status === statusBefore.get(node.id)) continue;
    changes.push({
      id: node.id,
      settledAddMinor: into === 'settled' ? share : 0n,
      creditedAddMinor: into === 'credited' ? share : 0n,
      status,
    });
    node.status = status;
  }
  return { tree: after, changes };
}

/** Accepted cancellation: write off what is outstanding, CANCELLED except on fully paid nodes. */
export function cancellationChanges(tree: readonly Receivable[]): ReceivableChange[] {
  return tree
    .filter((node) => node.status !== 'settled' && node.status !== 'cancelled')
    .map((node) => ({
      id: node.id,
      settledAddMinor: 0n,
      creditedAddMinor: node.outstandingMinor,
      status: 'cancelled',
    }));
}

/** The nodes a default turns DEFAULTED: something outstanding in their subtree, not cancelled. */
export function nodesToDefault(tree: readonly Receivable[]): Receivable[] {
  const totals = subtreeTotals(tree);
  return tree.filter(
    (node) => node.status !== 'cancelled' && (totals.get(node.id)?.outstandingMinor ?? 0n) > 0n,
  );
}
