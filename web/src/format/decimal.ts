/**
 * Exact decimal arithmetic for what the console computes itself (line amounts, sums, weekly totals):
 * decimal strings become bigint minor units and back. Never a float: 0.1 + 0.2 stays 0.3.
 */
const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The value of `decimal` times 10^scale, exactly; null when it has more digits than `scale`. */
export function toScaled(decimal: string, scale: number): bigint | null {
  const match = decimalPattern.exec(decimal.trim());
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > scale) {
    if (/[1-9]/.test(fraction.slice(scale))) return null;
  }
  const digits = `${whole}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const value = BigInt(digits);
  return sign === '-' ? -value : value;
}

export function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Digits after the point ("12.500" → 3). */
export function scaleOf(decimal: string): number {
  const point = decimal.indexOf('.');
  return point < 0 ? 0 : decimal.length - point - 1;
}

/** numerator / denominator rounded half to even, as the ledger rounds line amounts. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** quantity × unit price in minor units of a currency with `digits` decimals, half-even. */
export function lineAmountMinor(quantity: string, unitPrice: string, digits: number): bigint | null {
  const quantityScale = scaleOf(quantity);
  const priceScale = scaleOf(unitPrice);
  const q = toScaled(quantity, quantityScale);
  const p = toScaled(unitPrice, priceScale);
  if (q === null || p === null) return null;
  const scale = quantityScale + priceScale;
  if (scale <= digits) return q * p * 10n ** BigInt(digits - scale);
  return divideHalfEven(q * p, 10n ** BigInt(scale - digits));
}

/** Compares two decimal strings exactly: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  const x = toScaled(a, scale) ?? 0n;
  const y = toScaled(b, scale) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact sum of decimal strings, at the largest scale among them. */
export function sumDecimals(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map(scaleOf));
  return fromScaled(
    values.reduce((sum, value) => sum + (toScaled(value, scale) ?? 0n), 0n),
    scale,
  );
}
