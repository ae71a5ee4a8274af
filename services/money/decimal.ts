/**
 * Exact decimals as scaled bigints, for quantities and unit prices. Quantities carry up to six
 * decimals; a line amount is quantity x unit price rounded to the currency's minor unit with
 * round-half-even (banker's rounding), the rule named on every invoice line check.
 */
import { assert } from '../assert.js';
import { currencyExponent } from './money.js';

export const quantityScale = 6;
export const unitPriceScale = 6;

/** "12.5" at scale 6 -> 12500000n; null when it has more decimals than the scale. */
export function toScaled(text: string, scale: number): bigint | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > scale) return null;
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

/** 12500000n at scale 6 -> "12.5": the shortest exact form, so equal values print alike. */
export function fromScaled(value: bigint, scale: number): string {
  assert(value >= 0n, 'fromScaled: negative');
  const digits = value.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Normal form of a decimal string at `scale`: "012.50" -> "12.5"; null if not representable. */
export function normalizeDecimal(text: string, scale: number): string | null {
  const scaled = toScaled(text, scale);
  return scaled === null ? null : fromScaled(scaled, scale);
}

/** Divides with round-half-even. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  assert(denominator > 0n && numerator >= 0n, 'divideHalfEven: non-negative numerator, positive denominator');
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n))
    return quotient + 1n;
  return quotient;
}

/** quantity x unitPrice in the currency's minor units, rounded half-even. */
export function lineAmountMinor(quantity: string, unitPrice: string, currency: string): bigint {
  const quantityScaled = toScaled(quantity, quantityScale);
  const priceScaled = toScaled(unitPrice, unitPriceScale);
  assert(quantityScaled !== null && priceScaled !== null, 'lineAmountMinor: parse the decimals first');
  const exponent = BigInt(currencyExponent(currency));
  const product = quantityScaled * priceScaled * 10n ** exponent;
  return divideHalfEven(product, 10n ** BigInt(quantityScale + unitPriceScale));
}
