import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../services/assert.js';
import { allocate } from '../../services/money/allocate.js';

describe('allocate', () => {
  it('gives each part floor(amount * weight / total) when nothing is left over', () => {
    expect(allocate(1200n, [1n, 2n, 3n])).toEqual([200n, 400n, 600n]);
  });

  it('hands the units left over to the largest remainders, not to the first parts', () => {
    // 100 by 1:3:7: floors 9, 27, 63 (99), remainders 1, 3, 7 (of 11): the one unit goes to the 7.
    expect(allocate(100n, [1n, 3n, 7n])).toEqual([9n, 27n, 64n]);
    // 8 by 1:1:1: floors 2 each, equal remainders: the two units go to the earlier parts.
    expect(allocate(8n, [1n, 1n, 1n])).toEqual([3n, 3n, 2n]);
  });

  it('orders unequal remainders largest first whichever position they hold', () => {
    // 100 by 7:3:1: remainders 7, 3, 1 of 11, floors 63, 27, 9: the unit goes to the first part.
    expect(allocate(100n, [7n, 3n, 1n])).toEqual([64n, 27n, 9n]);
    // 7 by 2:3:4 (total 9): 14/9, 21/9, 28/9 -> floors 1, 2, 3 (6), remainders 5, 3, 1: one unit to the first.
    expect(allocate(7n, [2n, 3n, 4n])).toEqual([2n, 2n, 3n]);
    // 7 by 4:3:2: remainders 1, 3, 5: one unit to the last.
    expect(allocate(7n, [4n, 3n, 2n])).toEqual([3n, 2n, 2n]);
    // 5 by 1:1:1:3 (total 6): 5/6, 5/6, 5/6, 15/6 -> floors 0, 0, 0, 2, remainders 5, 5, 5, 3:
    // three units go to the three equal, larger remainders, not to the last part's smaller one.
    expect(allocate(5n, [1n, 1n, 1n, 3n])).toEqual([1n, 1n, 1n, 2n]);
    // 5 by 3:1:1:1: remainders 3, 5, 5, 5 -> the same rule from the other side.
    expect(allocate(5n, [3n, 1n, 1n, 1n])).toEqual([2n, 1n, 1n, 1n]);
  });

  it('breaks ties between equal remainders in favour of the earlier part', () => {
    expect(allocate(1003n, [1n, 1n])).toEqual([502n, 501n]);
    expect(allocate(1n, [1n, 1n, 1n])).toEqual([1n, 0n, 0n]);
    expect(allocate(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    // 5 by 2:2:1:1 (total 6): 10/6, 10/6, 5/6, 5/6 -> floors 1, 1, 0, 0 (2), remainders 4, 4, 5, 5:
    // three units: the two 5s (earlier one first), then the first 4.
    expect(allocate(5n, [2n, 2n, 1n, 1n])).toEqual([2n, 1n, 1n, 1n]);
    // Reversed positions: remainders 5, 5, 4, 4.
    expect(allocate(5n, [1n, 1n, 2n, 2n])).toEqual([1n, 1n, 2n, 1n]);
  });

  it('keeps a zero weight at zero', () => {
    expect(allocate(10n, [0n, 1n, 0n])).toEqual([0n, 10n, 0n]);
    expect(allocate(0n, [1n, 2n])).toEqual([0n, 0n]);
  });

  it('refuses what can only be a caller bug, each with its own reason', () => {
    expect(() => allocate(-1n, [1n])).toThrow(new AssertionFailure('allocate: amount must not be negative'));
    expect(() => allocate(1n, [])).toThrow(new AssertionFailure('allocate: at least one weight'));
    expect(() => allocate(1n, [1n, -1n, 2n])).toThrow(
      new AssertionFailure('allocate: weights must not be negative'),
    );
    expect(() => allocate(1n, [0n, 0n])).toThrow(
      new AssertionFailure('allocate: weights must not all be zero'),
    );
  });

  it('always sums to the amount', () => {
    for (let amount = 0n; amount < 40n; amount += 1n) {
      for (const weights of [[1n], [1n, 2n], [3n, 3n, 1n], [5n, 0n, 7n, 2n]]) {
        expect(allocate(amount, weights).reduce((a, b) => a + b, 0n)).toBe(amount);
      }
    }
  });
});
