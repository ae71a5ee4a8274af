/**
 * Reading financings and credit limits, with authorization. The holder that asked sees its
 * financing with every offer; a lender asked sees the financing and its own answer only (never a
 * competitor's terms); auditors and platform administrators see everything. Anything else reads as
 * financing_not_found, never forbidden: its existence is not disclosed. Credit limits are the
 * lender's own: a lender reads its own, auditors and administrators any lender's.
 */

import type { Ledger } from '../context.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import { type Actor, seesEverything } from '../parties/party.js';
import type { ReceivableStatus } from '../receivables/index.js';
import { fail, ok, type Result } from '../result.js';
import { type CreditLimitUse, withUtilisation } from './credit-limit.js';
import { listLimits } from './credit-limit.repository.js';
import {
  type EffectiveFinancingStatus,
  effectiveFinancingStatus,
  type Financing,
  type FinancingResponse,
} from './financing.js';
import { findFinancingsByIds, findLenders, findResponses } from './financing.repository.js';
import {
  childStatuses,
  type FinancingFilter,
  type FinancingPosition,
  type FinancingTotal,
  listFinancingRows,
  totalFinancingRows,
} from './financing-query.repository.js';

export type { FinancingPosition, FinancingTotal };

export interface FinancingView extends Financing {
  effectiveStatus: EffectiveFinancingStatus;
  lenderPartyIds: string[];
  /** Offers and declines the actor may see, in (created, id) order. */
  responses: FinancingResponse[];
}

export interface FinancingListOptions {
  /** As which side: the financings the actor asked for, or those addressed to it. */
  side?: 'holder' | 'lender';
  statuses?: readonly EffectiveFinancingStatus[];
}

function involves(actor: Actor, financing: Financing, lenders: readonly string[]): boolean {
  return (
    seesEverything(actor) || financing.holderPartyId === actor.partyId || lenders.includes(actor.partyId)
  );
}

/** The financings with their lenders and the responses the actor may see; the invisible left out. */
async function views(
  trx: Trx,
  actor: Actor,
  financings: readonly Financing[],
  now: Date,
  childStatusOf?: Map<string, string>,
): Promise<FinancingView[]> {
  const ids = financings.map((financing) => financing.id);
  const lenders = await findLenders(trx, ids);
  const responses = await findResponses(trx, ids);
  const children = childStatusOf ?? (await childStatuses(trx, financings));
  return financings.flatMap((financing) => {
    const asked = lenders.get(financing.id) ?? [];
    if (!involves(actor, financing, asked)) return [];
    const seesAll = seesEverything(actor) || financing.holderPartyId === actor.partyId;
    const childStatus = (children.get(financing.id) ?? null) as ReceivableStatus | null;
    return [
      {
        ...financing,
        effectiveStatus: effectiveFinancingStatus(financing, childStatus, now),
        lenderPartyIds: asked,
        responses: (responses.get(financing.id) ?? []).filter(
          (response) => seesAll || response.lenderPartyId === actor.partyId,
        ),
      },
    ];
  });
}

/** Several financings by id, in the order asked; absent where not visible (for dataloaders). */
export function findFinancings(
  ledger: Ledger,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, FinancingView>> {
  const now = new Date();
  return inTransaction(ledger.db, async (trx) => {
    const found = await views(trx, actor, await findFinancingsByIds(trx, ids), now);
    return new Map(found.map((view) => [view.id, view]));
  });
}

/**
 * One financing, if the actor may see it.
 *
 * Failure codes: financing_not_found (absent, or not visible to the actor).
 */
export async function findFinancing(
  ledger: Ledger,
  actor: Actor,
  id: string,
): Promise<Result<FinancingView>> {
  const found = (await findFinancings(ledger, actor, [id])).get(id);
  return found ? ok(found) : fail('financing_not_found', 'no financing with that id', 'id');
}

function filterOf(actor: Actor, options: FinancingListOptions, now: Date): FinancingFilter {
  return {
    viewerPartyId: seesEverything(actor) && options.side === undefined ? null : actor.partyId,
    ...(options.side === undefined ? {} : { side: options.side }),
    ...(options.statuses === undefined ? {} : { statuses: options.statuses }),
    now,
  };
}

/**
 * A keyset page in (created, id) order of the financings the actor may see: the holder's requests,
 * those addressed to a lender (its portfolio among them), every one for auditors and administrators.
 */
export function listFinancings(
  ledger: Ledger,
  actor: Actor,
  page: PageRequest<FinancingPosition>,
  options: FinancingListOptions = {},
): Promise<FinancingView[]> {
  const now = new Date();
  return inTransaction(ledger.db, async (trx) => {
    const rows = await listFinancingRows(trx, filterOf(actor, options, now), page);
    const children = new Map(
      rows.flatMap((row) => (row.childStatus ? [[row.id, row.childStatus] as const] : [])),
    );
    return views(
      trx,
      actor,
      rows.map(({ childStatus: _childStatus, ...financing }) => financing),
      now,
      children,
    );
  });
}

/** Per currency, how many financings listFinancings pages through and the amount they ask for. */
export function totalFinancings(
  ledger: Ledger,
  actor: Actor,
  options: FinancingListOptions = {},
): Promise<FinancingTotal[]> {
  return inTransaction(ledger.db, (trx) => totalFinancingRows(trx, filterOf(actor, options, new Date())));
}

/**
 * A lender's credit limits with what is utilised and available, read in one transaction with the
 * parts it holds.
 *
 * Failure codes: forbidden (another lender's limits, asked by neither an auditor nor an administrator).
 */
export async function creditLimits(
  ledger: Ledger,
  actor: Actor,
  lenderPartyId: string,
): Promise<Result<CreditLimitUse[]>> {
  if (lenderPartyId !== actor.partyId && !seesEverything(actor)) {
    return fail('forbidden', "a lender's credit limits are its own", 'lenderPartyId');
  }
  return ok(
    await inTransaction(ledger.db, async (trx) =>
      withUtilisation(trx, lenderPartyId, await listLimits(trx, lenderPartyId)),
    ),
  );
}
