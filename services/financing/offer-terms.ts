/**
 * An offer's terms checked against its financing: the fee in the financing's currency, the advance
 * date between today and the due date, and the days, discount and advance the server computes
 * (discount.ts), which the statement states and a submitted one must state alike.
 */

import { formatAmount, parseAmount } from '../money/money.js';
import type { Receivable } from '../receivables/receivable.js';
import { todayUtc } from '../receivables/receivable.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { type OfferTerms, offerTerms, parseRate } from './discount.js';
import type { DayCount, Financing } from './financing.js';

export interface OfferTermsPayload {
  rate: string;
  dayCount: DayCount;
  fee: string;
  advanceDate: string;
  days?: number | undefined;
  discount?: string | undefined;
  advance?: string | undefined;
}

export interface CheckedTerms extends OfferTerms {
  rateMicros: bigint;
  feeMinor: bigint;
}

/**
 * The terms, computed; failure codes: invalid_input (rate, fee, advance date), advance_not_positive.
 * `receivable` is the one financed: its due date ends the discount period. `now` null skips the
 * advance date's lower bound (a projection recomputes what its check accepted).
 */
export function computeTerms(
  financing: Financing,
  receivable: Pick<Receivable, 'dueDate'>,
  payload: OfferTermsPayload,
  now: Date | null,
): Result<CheckedTerms> {
  const rate = parseRate(payload.rate);
  if (!rate.ok) return rate;
  const fee = parseAmount(payload.fee, financing.currency, 'fee');
  if (!fee.ok) return fee;
  if (fee.value < 0n) return fail('invalid_input', 'fee: a fee is not negative', 'fee');
  const today = now === null ? null : todayUtc(now);
  if (today !== null && payload.advanceDate < today) {
    return fail(
      'invalid_input',
      `advanceDate: ${payload.advanceDate} is before today (${today}, UTC)`,
      'advanceDate',
    );
  }
  if (payload.advanceDate >= receivable.dueDate) {
    return fail(
      'invalid_input',
      `advanceDate: must lie before the due date ${receivable.dueDate}`,
      'advanceDate',
    );
  }
  const terms = offerTerms({
    amountMinor: financing.amountMinor,
    rateMicros: rate.value,
    dayCount: payload.dayCount,
    feeMinor: fee.value,
    advanceDate: payload.advanceDate,
    dueDate: receivable.dueDate,
  });
  if (terms.advanceMinor <= 0n) {
    return fail(
      'advance_not_positive',
      'discount and fee take the whole amount: nothing would be advanced',
      'fee',
    );
  }
  return ok({ ...terms, rateMicros: rate.value, feeMinor: fee.value });
}

/** What the statement states of the computed terms. */
export function statedTerms(terms: OfferTerms, currency: string) {
  return {
    days: terms.days,
    discount: formatAmount(terms.discountMinor, currency),
    advance: formatAmount(terms.advanceMinor, currency),
  };
}

/** invalid_input unless the payload states the computed days, discount and advance. */
export function statedTermsProblem(
  payload: OfferTermsPayload,
  terms: CheckedTerms,
  currency: string,
): Failure | null {
  const stated = statedTerms(terms, currency);
  if (
    payload.days === stated.days &&
    payload.discount === stated.discount &&
    payload.advance === stated.advance
  ) {
    return null;
  }
  return fail(
    'invalid_input',
    `the statement must state days ${stated.days}, discount ${stated.discount} and advance ${stated.advance}: prepare it again`,
    'advance',
  );
}
