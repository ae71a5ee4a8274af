import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../services/assert.js';
import {
  divideHalfEven,
  fromScaled,
  lineAmountMinor,
  normalizeDecimal,
  quantityScale,
  toScaled,
  unitPriceScale,
} from '../../services/money/decimal.js';

describe('toScaled', () => {
  it('scales a decimal string to a bigint at the given scale', () => {
    expect(toScaled('12.5', 6)).toBe(12_500_000n);
    expect(toScaled('12', 6)).toBe(12_000_000n);
    expect(toScaled('0.000001', 6)).toBe(1n);
    expect(toScaled('7', 0)).toBe(7n);
  });

  it('refuses more decimals than the scale, and anything that is not a plain decimal', () => {
    expect(toScaled('0.0000001', 6)).toBeNull();
    expect(toScaled('1.5', 0)).toBeNull();
    for (const text of ['', '-1', '1.', '.5', ' 1', '1 ', '1e3', 'x1', '1x', '1.2.3']) {
      expect(toScaled(text, 6)).toBeNull();
    }
  });
});

describe('fromScaled', () => {
  it('prints the shortest exact form', () => {
    expect(fromScaled(12_500_000n, 6)).toBe('12.5');
    expect(fromScaled(12_000_000n, 6)).toBe('12');
    expect(fromScaled(1n, 6)).toBe('0.000001');
    expect(fromScaled(0n, 6)).toBe('0');
    expect(fromScaled(100n, 2)).toBe('1');
    expect(fromScaled(1050n, 2)).toBe('10.5');
    expect(fromScaled(7n, 0)).toBe('7');
  });

  it('keeps zeros inside the whole part and the fraction', () => {
    expect(fromScaled(100_000_000n, 6)).toBe('100');
    expect(fromScaled(100_000_001n, 6)).toBe('100.000001');
  });

  it('refuses a negative value', () => {
    expect(() => fromScaled(-1n, 6)).toThrow(new AssertionFailure('fromScaled: negative'));
  });
});

describe('normalizeDecimal', () => {
  it('gives equal values one form', () => {
    expect(normalizeDecimal('012.50', 6)).toBe('12.5');
    expect(normalizeDecimal('3.000', 6)).toBe('3');
    expect(normalizeDecimal('1.0000001', 6)).toBeNull();
    expect(normalizeDecimal('abc', 6)).toBeNull();
  });
});

describe('divideHalfEven', () => {
  it('rounds below a half down and above a half up', () => {
    expect(divideHalfEven(14n, 10n)).toBe(1n);
    expect(divideHalfEven(16n, 10n)).toBe(2n);
    expect(divideHalfEven(10n, 10n)).toBe(1n);
    expect(divideHalfEven(0n, 7n)).toBe(0n);
  });

  it('rounds an exact half to the even neighbour', () => {
    expect(divideHalfEven(5n, 10n)).toBe(0n);
    expect(divideHalfEven(15n, 10n)).toBe(2n);
    expect(divideHalfEven(25n, 10n)).toBe(2n);
    expect(divideHalfEven(35n, 10n)).toBe(4n);
    expect(divideHalfEven(3n, 2n)).toBe(2n);
    expect(divideHalfEven(5n, 2n)).toBe(2n);
  });

  it('tells a remainder just over a half from an exact half with an odd quotient', () => {
    // 7/3 = 2.33 (down), 8/3 = 2.67 (up), 11/4 = 2.75 (up), 9/4 = 2.25 (down), 10/4 = 2.5 (even: 2).
    expect(divideHalfEven(7n, 3n)).toBe(2n);
    expect(divideHalfEven(8n, 3n)).toBe(3n);
    expect(divideHalfEven(11n, 4n)).toBe(3n);
    expect(divideHalfEven(9n, 4n)).toBe(2n);
    expect(divideHalfEven(10n, 4n)).toBe(2n);
    expect(divideHalfEven(14n, 4n)).toBe(4n);
  });

  it('refuses a negative numerator and a denominator that is not positive', () => {
    const message = new AssertionFailure('divideHalfEven: non-negative numerator, positive denominator');
    expect(() => divideHalfEven(-1n, 2n)).toThrow(message);
    expect(() => divideHalfEven(1n, 0n)).toThrow(message);
    expect(() => divideHalfEven(1n, -2n)).toThrow(message);
  });
});

describe('lineAmountMinor', () => {
  it('works at six decimals for quantities and unit prices', () => {
    expect(quantityScale).toBe(6);
    expect(unitPriceScale).toBe(6);
  });

  it("rounds quantity x unit price half-even at each currency's minor unit", () => {
    expect(lineAmountMinor('3', '1.5', 'CNY')).toBe(450n);
    expect(lineAmountMinor('0.5', '0.05', 'CNY')).toBe(2n); // 2.5 fen -> 2
    expect(lineAmountMinor('0.5', '0.07', 'CNY')).toBe(4n); // 3.5 fen -> 4
    expect(lineAmountMinor('1.5', '1', 'JPY')).toBe(2n); // 1.5 yen -> 2
    expect(lineAmountMinor('2.5', '1', 'JPY')).toBe(2n); // 2.5 yen -> 2
    expect(lineAmountMinor('0.000001', '0.000001', 'BHD')).toBe(0n);
    expect(lineAmountMinor('1.0005', '1', 'BHD')).toBe(1000n); // 1000.5 fils -> 1000
    expect(lineAmountMinor('1.0015', '1', 'BHD')).toBe(1002n); // 1001.5 fils -> 1002
    expect(lineAmountMinor('12.345678', '9.876543', 'CNY')).toBe(12193n); // 121.932...
  });

  it('is a caller bug when either decimal has not been parsed first', () => {
    const message = new AssertionFailure('lineAmountMinor: parse the decimals first');
    expect(() => lineAmountMinor('x', '1', 'CNY')).toThrow(message);
    expect(() => lineAmountMinor('1', '1.0000001', 'CNY')).toThrow(message);
  });
});
