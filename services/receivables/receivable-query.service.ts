/**
 * Reading receivables, with authorization. A party sees a receivable it holds or owes, and every
 * receivable of an invoice's tree in which it holds any node or which it owes (so the holder of any
 * fragment and the obligor see the whole lineage). Auditors and platform administrators see all.
 * Anything else reads as receivable_not_found, never forbidden: its existence is not disclosed.
 * (Lenders will also see what they financed once financing exists.)
 *
 * Statuses are effective: OVERDUE is derived against `today` (UTC unless given) and the ledger's
 * overdueGraceDays, by the same rule in TypeScript (effectiveStatus) and in SQL (the status filter).
 */
import { inTransaction, type Trx } from '../db/transaction.js';
import type { Ledger } from '../ledger.js';
import type { PageRequest } from '../paging.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import {
  type EffectiveStatus,
  effectiveStatus,
  overdueCutoff,
  type Receivable,
  todayUtc,
} from './receivable.js';
import { findReceivable } from './receivable.repository.js';
import { findAncestors, findDescendants, listReceivables, seesTree } from './receivable-query.repository.js';

export interface ReceivableView extends Receivable {
  effectiveStatus: EffectiveStatus;
}

export interface ReceivableLineage {
  receivable: ReceivableView;
  /** From the root (tier 0) down to the receivable's parent; empty for a root. */
  ancestors: ReceivableView[];
  /** Every part passed on from it, at any depth, in (tier, id) order. */
  descendants: ReceivableView[];
}

export interface ReceivableListOptions {
  status?: EffectiveStatus;
  /** "YYYY-MM-DD": the day OVERDUE is judged on; today in UTC by default. */
  today?: string;
}

function view(ledger: Ledger, today: string) {
  return (receivable: Receivable): ReceivableView => ({
    ...receivable,
    effectiveStatus: effectiveStatus(receivable, today, ledger.policy),
  });
}

function list(
  ledger: Ledger,
  actor: Actor,
  parties: { holderPartyId?: string; obligorPartyId?: string },
  page: PageRequest<string>,
  options: ReceivableListOptions,
): Promise<ReceivableView[]> {
  const today = options.today ?? todayUtc();
  return inTransaction(ledger.db, async (trx) => {
    const rows = await listReceivables(
      trx,
      {
        ...parties,
        ...(options.status === undefined ? {} : { status: options.status }),
        viewerPartyId: seesEverything(actor) ? null : actor.partyId,
        overdueCutoff: overdueCutoff(today, ledger.policy),
      },
      page,
    );
    return rows.map(view(ledger, today));
  });
}

/** Receivables held by a party, in id order (keyset), that the actor may see. */
export function listReceivablesByHolder(
  ledger: Ledger,
  actor: Actor,
  holderPartyId: string,
  page: PageRequest<string>,
  options: ReceivableListOptions = {},
): Promise<ReceivableView[]> {
  return list(ledger, actor, { holderPartyId }, page, options);
}

/** Receivables a party owes, in id order (keyset), that the actor may see. */
export function listReceivablesByObligor(
  ledger: Ledger,
  actor: Actor,
  obligorPartyId: string,
  page: PageRequest<string>,
  options: ReceivableListOptions = {},
): Promise<ReceivableView[]> {
  return list(ledger, actor, { obligorPartyId }, page, options);
}

async function visibleIn(trx: Trx, actor: Actor, id: string): Promise<Result<Receivable>> {
  const receivable = await findReceivable(trx, id);
  const visible =
    receivable !== undefined &&
    (seesEverything(actor) || (await seesTree(trx, receivable.invoiceId, actor.partyId)));
  if (!visible) return fail('receivable_not_found', 'no receivable with that id', 'receivableId');
  return ok(receivable);
}

/**
 * One receivable, if the actor may see it.
 *
 * Failure codes: receivable_not_found (absent, or not visible to the actor).
 */
export function findVisibleReceivable(
  ledger: Ledger,
  actor: Actor,
  id: string,
  options: { today?: string } = {},
): Promise<Result<ReceivableView>> {
  const toView = view(ledger, options.today ?? todayUtc());
  return inTransaction(ledger.db, async (trx) => {
    const found = await visibleIn(trx, actor, id);
    return found.ok ? ok(toView(found.value)) : found;
  });
}

/**
 * A receivable with its ancestors up to the root and all its descendants: one recursive query each,
 * in one transaction.
 *
 * Failure codes: receivable_not_found (absent, or not visible to the actor).
 */
export function findReceivableLineage(
  ledger: Ledger,
  actor: Actor,
  id: string,
  options: { today?: string } = {},
): Promise<Result<ReceivableLineage>> {
  const toView = view(ledger, options.today ?? todayUtc());
  return inTransaction(ledger.db, async (trx) => {
    const found = await visibleIn(trx, actor, id);
    if (!found.ok) return found;
    const ancestors = await findAncestors(trx, id);
    const descendants = await findDescendants(trx, id);
    return ok({
      receivable: toView(found.value),
      ancestors: ancestors.map(toView),
      descendants: descendants.map(toView),
    });
  });
}
