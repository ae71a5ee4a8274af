/**
 * Reading receivables, with authorization. A party sees a receivable it holds or owes, and every
 * receivable of an invoice's tree in which it holds any node or which it owes (so the holder of any
 * fragment and the obligor see the whole lineage). Auditors and platform administrators see all.
 * Anything else reads as receivable_not_found, never forbidden: its existence is not disclosed.
 * A lender asked by an open financing request sees the invoice's tree while the request is open; one
 * that financed a part holds a node of it, and so sees it for good.
 *
 * Statuses are effective: OVERDUE is derived against `today` (UTC unless given) and the ledger's
 * overdueGraceDays, by the same rule in TypeScript (effectiveStatus) and in SQL (the status filter).
 */

import type { Ledger } from '../context.js';
import { inTransaction, type Trx } from '../db/transaction.js';
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
import {
  type CurrencyTotal,
  findAncestors,
  findDescendants,
  listReceivables as listReceivableRows,
  type ReceivableFilter,
  type ReceivableOrder,
  type ReceivablePosition,
  seesTree,
  totalReceivables,
} from './receivable-query.repository.js';

export { receivableOrderFields } from './receivable-query.repository.js';
export type { ReceivableOrder, ReceivablePosition };

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
  /** Any of these effective statuses (with `status`: either). */
  statuses?: readonly EffectiveStatus[];
  currency?: string;
  /** The obligor of held receivables, the holder of owed ones. */
  counterpartyPartyId?: string;
  dueFrom?: string;
  dueTo?: string;
  /** Outstanding at least / at most these decimal amounts, each in the receivable's own currency. */
  outstandingMin?: string;
  outstandingMax?: string;
  /** By id, ascending, unless given. */
  order?: ReceivableOrder;
  /** "YYYY-MM-DD": the day OVERDUE is judged on; today in UTC by default. */
  today?: string;
}

export type ReceivableSide = 'holder' | 'obligor';

/** A listed receivable with its place in the list's order, for a keyset cursor. */
export interface ListedReceivable extends ReceivableView {
  position: ReceivablePosition;
}

export interface ReceivableTotal extends CurrencyTotal {}

function view(ledger: Ledger, today: string) {
  return (receivable: Receivable): ReceivableView => ({
    ...receivable,
    effectiveStatus: effectiveStatus(receivable, today, ledger.policy),
  });
}

function filterOf(
  ledger: Ledger,
  actor: Actor,
  side: ReceivableSide,
  partyId: string,
  options: ReceivableListOptions,
): ReceivableFilter {
  const statuses = [...(options.statuses ?? []), ...(options.status === undefined ? [] : [options.status])];
  const { currency, counterpartyPartyId, dueFrom, dueTo, outstandingMin, outstandingMax } = options;
  return {
    side,
    partyId,
    ...(options.statuses === undefined && options.status === undefined ? {} : { statuses }),
    ...(currency === undefined ? {} : { currency }),
    ...(counterpartyPartyId === undefined ? {} : { counterpartyPartyId }),
    ...(dueFrom === undefined ? {} : { dueFrom }),
    ...(dueTo === undefined ? {} : { dueTo }),
    ...(outstandingMin === undefined ? {} : { outstandingMin }),
    ...(outstandingMax === undefined ? {} : { outstandingMax }),
    viewerPartyId: seesEverything(actor) ? null : actor.partyId,
    overdueCutoff: overdueCutoff(options.today ?? todayUtc(), ledger.policy),
  };
}

/**
 * A keyset page of a party's receivables as holder or obligor that the actor may see, filtered and
 * in the order asked (id ascending by default); each carries its position for the next cursor.
 */
export function listReceivables(
  ledger: Ledger,
  actor: Actor,
  side: ReceivableSide,
  partyId: string,
  page: PageRequest<ReceivablePosition>,
  options: ReceivableListOptions = {},
): Promise<ListedReceivable[]> {
  const toView = view(ledger, options.today ?? todayUtc());
  const filter = filterOf(ledger, actor, side, partyId, options);
  const order = options.order ?? { field: 'id', direction: 'asc' };
  return inTransaction(ledger.db, async (trx) => {
    const rows = await listReceivableRows(trx, filter, order, page);
    return rows.map((row) => ({ ...toView(row.receivable), position: row.position }));
  });
}

/** Per currency, how many receivables listReceivables pages through, their face and outstanding. */
export function totalListedReceivables(
  ledger: Ledger,
  actor: Actor,
  side: ReceivableSide,
  partyId: string,
  options: ReceivableListOptions = {},
): Promise<ReceivableTotal[]> {
  const filter = filterOf(ledger, actor, side, partyId, options);
  return inTransaction(ledger.db, (trx) => totalReceivables(trx, filter));
}

function byId(page: PageRequest<string>): PageRequest<ReceivablePosition> {
  const at = (id: string | null) => (id === null ? null : { key: null, id });
  return { ...page, after: at(page.after), before: at(page.before) };
}

async function withoutPositions(listed: Promise<ListedReceivable[]>): Promise<ReceivableView[]> {
  return (await listed).map(({ position: _position, ...receivable }) => receivable);
}

/** Receivables held by a party, in id order (keyset), that the actor may see. */
export async function listReceivablesByHolder(
  ledger: Ledger,
  actor: Actor,
  holderPartyId: string,
  page: PageRequest<string>,
  options: ReceivableListOptions = {},
): Promise<ReceivableView[]> {
  return withoutPositions(listReceivables(ledger, actor, 'holder', holderPartyId, byId(page), options));
}

/** Receivables a party owes, in id order (keyset), that the actor may see. */
export async function listReceivablesByObligor(
  ledger: Ledger,
  actor: Actor,
  obligorPartyId: string,
  page: PageRequest<string>,
  options: ReceivableListOptions = {},
): Promise<ReceivableView[]> {
  return withoutPositions(listReceivables(ledger, actor, 'obligor', obligorPartyId, byId(page), options));
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
