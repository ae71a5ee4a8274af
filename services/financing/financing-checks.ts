/**
 * The checks several financing facts share: the financing named, the stage it must be in, the state
 * of the receivable it finances, and the chain the facts join (the invoice's, so that a proof bundle
 * of the invoice carries them, and so that facts about one invoice queue on its row at submit).
 */

import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import type { Actor } from '../parties/party.js';
import { invoiceChainOf } from '../receivables/invoice-state.js';
import { isOverdue, type Receivable, todayUtc } from '../receivables/receivable.js';
import { financingHolds, isFinancedPart } from '../receivables/receivable.repository.js';
import { transferStateProblem } from '../receivables/receivable-transferred.fact.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { type Financing, type FinancingStatus, hasLapsed } from './financing.js';
import { findFinancing } from './financing.repository.js';

/** The fact chain of a fact that names a financing: its invoice's. */
export const financingChain = {
  async of(trx: Trx, payload: { financingId: string }, options: { lock: boolean }): Promise<string | null> {
    const financing = await findFinancing(trx, payload.financingId);
    return financing ? invoiceChainOf(trx, financing.invoiceId, options) : null;
  },
};

export async function loadFinancing(trx: Trx, id: string): Promise<Result<Financing>> {
  const financing = await findFinancing(trx, id);
  if (!financing) return fail('financing_not_found', 'no financing with that id', 'financingId');
  return ok(financing);
}

/**
 * Why the financing is not in one of the `allowed` stages, in order: financing_expired (an open
 * financing past its expiry), financing_closed (withdrawn, declined, expired),
 * financing_already_disbursed, financing_already_accepted, financing_not_accepted.
 */
export function stageProblem(
  financing: Financing,
  allowed: readonly FinancingStatus[],
  now: Date,
): Failure | null {
  if (hasLapsed(financing, now)) {
    return fail(
      'financing_expired',
      `the request expired at ${financing.expiresAt.toISOString()}`,
      'financingId',
    );
  }
  if (allowed.includes(financing.status)) return null;
  switch (financing.status) {
    case 'withdrawn':
    case 'declined':
    case 'expired':
      return fail('financing_closed', `the financing is ${financing.status}`, 'financingId');
    case 'disbursed':
      return fail('financing_already_disbursed', 'the financing was disbursed already', 'financingId');
    case 'accepted':
      return fail(
        'financing_already_accepted',
        'an offer on this financing was accepted already',
        'financingId',
      );
    default:
      return fail('financing_not_accepted', 'no offer on this financing has been accepted', 'financingId');
  }
}

/** lender_not_asked unless the actor is one of the lenders the request asked. */
export function askedProblem(lenderPartyIds: readonly string[], actor: Actor): Failure | null {
  if (lenderPartyIds.includes(actor.partyId)) return null;
  return fail('lender_not_asked', 'the request did not ask this lender', 'financingId');
}

/**
 * Why the receivable cannot be financed now, in order: receivable_already_financed (it is a lender's
 * part), receivable_defaulted, receivable_settled, invoice_cancelled, receivable_on_hold,
 * receivable_under_financing (another open request; not checked with `ownFinancingId`, the financing
 * that holds it), receivable_overdue.
 */
export async function receivableStateProblem(
  trx: Trx,
  ledger: Ledger,
  receivable: Receivable,
  now: Date,
  ownFinancingId: string | null = null,
): Promise<Failure | null> {
  if (await isFinancedPart(trx, receivable.id)) {
    return fail(
      'receivable_already_financed',
      "the receivable is a lender's financed part: it is not financed again",
      'receivableId',
    );
  }
  const heldByOther =
    receivable.financingId !== ownFinancingId && (await financingHolds(trx, receivable, now));
  const stateProblem = transferStateProblem(receivable, heldByOther);
  if (stateProblem) return stateProblem;
  if (isOverdue(receivable, todayUtc(now), ledger.policy)) {
    return fail('receivable_overdue', `the receivable was due on ${receivable.dueDate}`, 'receivableId');
  }
  return null;
}
