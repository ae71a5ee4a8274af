/**
 * Money is a bigint of minor units plus an ISO 4217 code. On the API it is an exact decimal string;
 * the currency's exponent (CNY 2, JPY 0, BHD 3) decides how many fraction digits are allowed.
 * Nothing here touches a float.
 */
import { fail, ok, type Result } from '../result.js';

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

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "1250000.50" CNY -> 125000050n. More fraction digits than the currency has is an error, never a
 * rounding: an amount on the API means exactly what it says.
 */
export function parseAmount(text: string, currency: string, field = 'amount'): Result<bigint> {
  const match = decimalPattern.exec(text);
  if (!match) return fail('invalid_input', `${field} must be a decimal string such as "1250.00"`, field);
  const [, sign, whole = '', fraction = ''] = match;
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    return fail('invalid_input', `${field} has more than ${exponent} decimal places for ${currency}`, field);
  }
  if (whole.length > 16) return fail('invalid_input', `${field} is too large`, field);
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return ok(sign ? -minor : minor);
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
