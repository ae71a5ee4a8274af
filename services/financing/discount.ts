/**
 * What a lender pays for a receivable, exactly. Rule, named:
 *
 *   days     = due date - advance date (calendar days, UTC)
 *   discount = amount x rate x days / basis   (basis 360 for ACT/360, 365 for ACT/365F)
 *   advance  = amount - discount - fee
 *
 * The discount is one rational (amount in minor units x rate in millionths x days over 10^6 x
 * basis), rounded half-even to the minor unit once, at the end; so advance + discount + fee equals
 * the amount exactly. Nothing here touches a float.
 */
import { assert } from '../assert.js';
import { divideHalfEven, fromScaled } from '../money/decimal.js';
import { decimalParts, quoted } from '../money/decimal-text.js';
import { fail, ok, type Result } from '../result.js';
import { daysBetween } from '../validation.js';
import type { DayCount } from './financing.js';

/** A rate has at most six decimals: one millionth (0.0001 %) is finer than any quote. */
export const rateScale = 6;
const rateDenominator = 10n ** BigInt(rateScale);

export const dayCountBasis: Record<DayCount, bigint> = { act_360: 360n, act_365f: 365n };

/**
 * "0.045" -> 45000n millionths. A rate is a decimal string with at most six decimals, at least 0
 * and below 1 (an annual rate of 100 % or more is not a discount).
 */
export function parseRate(text: string, field = 'rate'): Result<bigint> {
  const parts = decimalParts(text);
  const refuse = (why: string) => fail('invalid_input', `${field}: ${quoted(text)} ${why}`, field);
  if (!parts) return refuse('is not a decimal string such as "0.045"');
  if (parts.negative) return refuse('is negative: a rate is at least 0');
  if (parts.fraction.length > rateScale) return refuse(`has more than ${rateScale} decimals`);
  const micros = BigInt(parts.whole + parts.fraction.padEnd(rateScale, '0'));
  if (micros >= rateDenominator) return refuse('is 1 or more: a rate is below 1 (100 %)');
  return ok(micros);
}

/** 45000n -> "0.045": the normal form of a rate, which statements carry. */
export function formatRate(micros: bigint): string {
  return fromScaled(micros, rateScale);
}

export interface OfferTermsInput {
  amountMinor: bigint;
  rateMicros: bigint;
  dayCount: DayCount;
  feeMinor: bigint;
  /** "YYYY-MM-DD", before the due date. */
  advanceDate: string;
  dueDate: string;
}

export interface OfferTerms {
  days: number;
  discountMinor: bigint;
  /** May be zero or negative here; an offer needs it positive (advance_not_positive). */
  advanceMinor: bigint;
}

/** amount x rate x days / basis in minor units, rounded half-even once. */
export function discountMinor(
  amountMinor: bigint,
  rateMicros: bigint,
  days: number,
  dayCount: DayCount,
): bigint {
  assert(amountMinor > 0n, 'discountMinor: the amount must be positive');
  assert(rateMicros >= 0n && rateMicros < rateDenominator, 'discountMinor: 0 <= rate < 1');
  assert(Number.isInteger(days) && days > 0, 'discountMinor: days must be a positive whole number');
  return divideHalfEven(amountMinor * rateMicros * BigInt(days), rateDenominator * dayCountBasis[dayCount]);
}

export function offerTerms(input: OfferTermsInput): OfferTerms {
  const days = daysBetween(input.advanceDate, input.dueDate);
  assert(days > 0, 'offerTerms: the advance date must lie before the due date');
  const discount = discountMinor(input.amountMinor, input.rateMicros, days, input.dayCount);
  const advanceMinor = input.amountMinor - discount - input.feeMinor;
  assert(
    advanceMinor + discount + input.feeMinor === input.amountMinor,
    'offerTerms: the parts do not add up',
  );
  return { days, discountMinor: discount, advanceMinor };
}
