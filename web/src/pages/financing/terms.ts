/**
 * Financing arithmetic the console does itself, exactly: decimal strings become bigint units at a
 * scale, never floats. The ledger computes days, discount and advance and signs them; the console
 * only checks what a user types before asking, and derives the holder's cost of an offer to compare
 * offers side by side.
 */
import { divideHalfEven, fromScaled as unitsToText } from '../../format/decimal';

/** A non-negative decimal string as an integer and the number of decimals it had. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const decimalPattern = /^(\d+)(?:\.(\d+))?$/;

/** "1234.50" -> { units: 123450n, scale: 2 }; null for anything but plain non-negative decimals. */
export function parseDecimal(text: string): Decimal | null {
  const match = decimalPattern.exec(text.trim());
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

function atScale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** -1, 0 or 1, as a compares to b (both non-negative decimal strings). */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const left = atScale(a, scale);
  const right = atScale(b, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

export type RateProblem = 'format' | 'decimals' | 'range';

/**
 * The API's rule for an annual rate: a decimal fraction with at most 6 decimals, 0 <= rate < 1
 * ("0.045" is 4.5 %). null when the text is acceptable.
 */
export function rateProblem(text: string): RateProblem | null {
  const trimmed = text.trim();
  const value = parseDecimal(trimmed);
  if (value === null) return 'format';
  if (value.scale > 6) return 'decimals';
  if (compareDecimal(value, { units: 1n, scale: 0 }) >= 0) return 'range';
  return null;
}

/** A decimal fraction as a percentage, exactly: "0.045" -> "4.5", "0.1" -> "10", "0" -> "0". */
export function fractionToPercent(text: string): string | null {
  const value = parseDecimal(text);
  if (value === null) return null;
  // x 100 moves the point two places: units stay, scale drops by two (or units grow).
  const scale = Math.max(value.scale - 2, 0);
  const units = value.units * 10n ** BigInt(Math.max(2 - value.scale, 0));
  return trimZeros(unitsToText(units, scale));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export type AmountProblem = 'format' | 'decimals' | 'zero' | 'exceeds';

/** 0 < amount <= outstanding, with at most `digits` decimals (the currency's minor unit). */
export function requestAmountProblem(
  text: string,
  outstanding: string,
  digits: number,
): AmountProblem | null {
  const value = parseDecimal(text);
  if (value === null) return 'format';
  if (value.scale > digits) return 'decimals';
  if (value.units === 0n) return 'zero';
  const limit = parseDecimal(outstanding);
  if (limit !== null && compareDecimal(value, limit) > 0) return 'exceeds';
  return null;
}

/** A fee: >= 0 with at most `digits` decimals. */
export function feeProblem(text: string, digits: number): 'format' | 'decimals' | null {
  const value = parseDecimal(text);
  if (value === null) return 'format';
  if (value.scale > digits) return 'decimals';
  return null;
}

/** An offer as the API returns it: decimal strings and whole days. */
export interface OfferTerms {
  amount: string;
  advance: string;
  discount: string;
  fee: string;
  days: number;
}

/**
 * What the holder pays for the advance, per year, as a percentage with `digits` decimals (half-even):
 *
 *   cost = (amount - advance) / advance x 365 / days       (amount - advance = discount + fee)
 *
 * The holder receives `advance` on the advance date and gives up `amount` at maturity, `days` later;
 * simple interest on a 365-day year, whatever the offer's day count, so offers on ACT_360 and
 * ACT_365F compare on one scale. Exact: one rational in bigint, rounded once. null when the advance
 * is not positive, days is not positive, or a figure is not a decimal.
 */
export function effectiveAnnualCost(offer: OfferTerms, digits = 2): string | null {
  const amount = parseDecimal(offer.amount);
  const advance = parseDecimal(offer.advance);
  if (amount === null || advance === null || !Number.isInteger(offer.days) || offer.days <= 0) return null;
  const scale = Math.max(amount.scale, advance.scale);
  const paid = atScale(advance, scale);
  const cost = atScale(amount, scale) - paid;
  if (paid <= 0n || cost < 0n) return null;
  const numerator = cost * 365n * 100n * 10n ** BigInt(digits);
  const denominator = paid * BigInt(offer.days);
  return unitsToText(divideHalfEven(numerator, denominator), digits);
}

/** Basis points as a percentage with two decimals: 2500 -> "25.00". */
export function basisPointsToPercent(basisPoints: number): string {
  return unitsToText(BigInt(basisPoints), 2);
}

/**
 * What part of `limit` is `utilised`, in basis points (half-even), for a bar: 0 when there is no
 * limit. May exceed 10,000 when the limit is breached; a bar clamps it.
 */
export function utilisationBasisPoints(utilised: string, limit: string): number {
  const used = parseDecimal(utilised.replace(/^-/, ''));
  const cap = parseDecimal(limit);
  if (used === null || cap === null || cap.units === 0n) return 0;
  const scale = Math.max(used.scale, cap.scale);
  return Number(divideHalfEven(atScale(used, scale) * 10_000n, atScale(cap, scale)));
}

/** A random RFC 9562 version-4 UUID in lowercase, from getRandomValues (works outside secure contexts). */
export function randomUuid(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Today's calendar date in UTC, "2026-11-30": the API compares advance dates with it. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both "YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
