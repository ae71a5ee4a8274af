/**
 * traceFunds as a use case (penetrating supervision: where financed money went): inputs checked,
 * who may look, the financing and the candidate payments read on one snapshot, and the sweep of
 * trace-funds.ts applied to them.
 */
import type { Ledger } from '../context.js';
import { inSnapshot } from '../db/transaction.js';
import { isUuid } from '../input-rules.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { checkAsOf } from './exposure.js';
import { type TraceResult, traceDepthDefault, traceDepthMax, traceFunds } from './trace-funds.js';
import { findTracedFinancing, readCandidatePayments } from './trace-funds.repository.js';

export interface TraceFundsQuery {
  financingId: string;
  /** 1 to traceDepthMax; traceDepthDefault when left out. */
  maxDepth?: number | undefined;
  /** The ledger as it stood at this instant; now when left out or null. Not after now. */
  asOf?: Date | null | undefined;
}

export interface FundsTrace extends TraceResult {
  financingId: string;
  holderPartyId: string;
  lenderPartyId: string;
  currency: string;
  advanceMinor: bigint;
  disbursedAt: Date;
  maxDepth: number;
  asOf: Date | null;
}

/**
 * Failure codes, in order: invalid_input (financingId, maxDepth, asOf: not an instant, or after now),
 * financing_not_found, forbidden (not its lender, its holder, an auditor or an administrator),
 * financing_not_disbursed (not disbursed, or not yet at asOf).
 */
export async function traceFinancedFunds(
  ledger: Ledger,
  actor: Actor,
  query: TraceFundsQuery,
  now: Date = new Date(),
): Promise<Result<FundsTrace>> {
  if (!isUuid(query.financingId)) return fail('invalid_input', 'financingId is a UUID', 'financingId');
  const maxDepth = query.maxDepth ?? traceDepthDefault;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > traceDepthMax) {
    return fail('invalid_input', `maxDepth is a whole number from 1 to ${traceDepthMax}`, 'maxDepth');
  }
  const checked = checkAsOf(query.asOf, now);
  if (!checked.ok) return checked;
  const asOf = checked.value ?? undefined;
  return inSnapshot(ledger.db, async (trx): Promise<Result<FundsTrace>> => {
    const financing = await findTracedFinancing(trx, query.financingId);
    if (!financing) return fail('financing_not_found', 'no financing with that id', 'financingId');
    const allowed =
      seesEverything(actor) ||
      actor.partyId === financing.holderPartyId ||
      actor.partyId === financing.lenderPartyId;
    if (!allowed) {
      return fail(
        'forbidden',
        'a trace of funds is seen by the lender, the financed holder, auditors and administrators',
        'financingId',
      );
    }
    const { disbursedEventId, disbursedAt, advanceMinor, lenderPartyId } = financing;
    if (
      disbursedEventId === null ||
      disbursedAt === null ||
      advanceMinor === null ||
      lenderPartyId === null ||
      (asOf !== undefined && disbursedAt > asOf)
    ) {
      return fail(
        'financing_not_disbursed',
        asOf === undefined ? 'the financing is not disbursed' : 'the financing was not disbursed at asOf',
        'financingId',
      );
    }
    const window = { disbursedEventId, currency: financing.currency, asOf };
    const payments = await readCandidatePayments(trx, financing.holderPartyId, maxDepth, window);
    const result = traceFunds({
      recipientPartyId: financing.holderPartyId,
      advanceMinor,
      disbursedAt,
      maxDepth,
      asOf,
      payments,
    });
    return ok({
      ...result,
      financingId: financing.id,
      holderPartyId: financing.holderPartyId,
      lenderPartyId,
      currency: financing.currency,
      advanceMinor,
      disbursedAt,
      maxDepth,
      asOf: asOf ?? null,
    });
  });
}
