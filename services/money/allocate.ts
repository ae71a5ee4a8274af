/**
 * Splitting an amount by weights so that the parts add up exactly (no minor unit lost or created).
 * Rounding rule, named: largest remainder. Each part first gets floor(amount * weight / total);
 * the units left over go one each to the parts with the largest remainders, ties to the earlier
 * part in the given order. Like Dinero.js allocate: 1003 split in two is 502 + 501.
 */
import { assert } from '../assert.js';

export function allocate(amount: bigint, weights: readonly bigint[]): bigint[] {
  assert(amount >= 0n, 'allocate: amount must not be negative');
  assert(weights.length > 0, 'allocate: at least one weight');
  assert(
    weights.every((weight) => weight >= 0n),
    'allocate: weights must not be negative',
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  assert(total > 0n, 'allocate: weights must not all be zero');
  const parts = weights.map((weight) => (amount * weight) / total);
  const remainders = weights.map((weight, index) => ({ index, remainder: (amount * weight) % total }));
  let left = amount - parts.reduce((sum, part) => sum + part, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  // Fewer units are left over than there are parts, so one pass hands out every one of them: the
  // parts sum to the amount (test/money/allocate.test.ts checks it over random amounts and weights).
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts;
}
