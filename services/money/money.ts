/**
 * Money is a bigint of minor units plus an ISO 4217 code. On the API it is an exact decimal string;
 * the currency's exponent (CNY 2, JPY 0, BHD 3) decides how many fraction digits are allowed.
 * Nothing here touches a float.
 */
import { fail, ok, type Result } from '../result.js';
import {
  currencyDecimalsMessage,
  decimalParts,
  notDecimalMessage,
  positiveDecimalProblem,
  quoted,
} from './decimal-text.js';

const exponentCache = new Map<string, number>();
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(code: string): boolean {
  return knownCurrencies.has(code);
}

/** Digits after the decimal point in the currency's minor unit (from CLDR via Intl). */
export function currencyExponent(currency: string): number {
  let exponent = exponentCache.get(currency);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    exponentCache.set(currency, exponent);
  }
  return exponent;
}

/** Every known currency by its exponent, for SQL that compares amounts of mixed currencies. */
export function currenciesByExponent(): ReadonlyMap<number, readonly string[]> {
  const groups = new Map<number, string[]>();
  for (const currency of [...knownCurrencies].sort()) {
    const exponent = currencyExponent(currency);
    groups.set(exponent, [...(groups.get(exponent) ?? []), currency]);
  }
  return groups;
}

/** Digits before the decimal point of any amount: 10^16 major units is far beyond any invoice. */
export const amountWholeDigitsMax = 16;

/**
 * "1250000.50" CNY -> 125000050n; "-5.00" -> -500n. More fraction digits than the currency has is an
 * error, never a rounding: an amount on the API means exactly what it says. Failure messages quote
 * the value and name `field` (see decimal-text.ts).
 */
export function parseAmount(text: string, currency: string, field = 'amount'): Result<bigint> {
  const parts = decimalParts(text);
  if (!parts) return fail('invalid_input', `${field}: ${notDecimalMessage(text)}`, field);
  const exponent = currencyExponent(currency);
  if (parts.whole.length > amountWholeDigitsMax) {
    const limit = `an amount has at most ${amountWholeDigitsMax} digits before the decimal point`;
    return fail('invalid_input', `${field}: ${quoted(text)} is too large: ${limit}`, field);
  }
  if (parts.fraction.length > exponent) {
    const message = currencyDecimalsMessage(text, parts.fraction.length, currency, exponent);
    return fail('invalid_input', `${field}: ${message}`, field);
  }
  const minor = BigInt(parts.whole + parts.fraction.padEnd(exponent, '0'));
  return ok(parts.negative ? -minor : minor);
}

/**
 * An amount that must be more than zero (a transfer, a payment, a credit note, an invoice total):
 * `amount: "-5.00" is a decimal string, but an amount must be positive`.
 */
export function parsePositiveAmount(text: string, currency: string, field = 'amount'): Result<bigint> {
  const problem = positiveDecimalProblem(text, { what: 'an amount', wholeDigitsMax: amountWholeDigitsMax });
  if (problem) return fail('invalid_input', `${field}: ${problem}`, field);
  return parseAmount(text, currency, field);
}

/** 125000050n CNY -> "1250000.50"; always the currency's full number of decimals. */
export function formatAmount(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}
