/** Small numeric helpers for benchmark reports. */

/** Nearest-rank percentile (0 < p ≤ 1) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567.8 -> "1,234,568". */
export function formatCount(value: number): string {
  return grouped.format(value);
}

/** A number with `digits` significant digits, never in exponent form. */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  return new Intl.NumberFormat('en-US', { maximumSignificantDigits: digits }).format(value);
}
