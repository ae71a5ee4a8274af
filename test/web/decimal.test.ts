/** The console's own exact arithmetic (web/src/format/decimal.ts): what the clerk sees must add up. */
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  divideHalfEven,
  fromScaled,
  lineAmountMinor,
  sumDecimals,
  toScaled,
} from '../../web/src/format/decimal';

describe('decimal strings as scaled bigints', () => {
  it('parses exactly at a scale, and refuses digits the scale cannot hold', () => {
    expect(toScaled('1250000.00', 2)).toBe(125000000n);
    expect(toScaled('0.1', 2)).toBe(10n);
    expect(toScaled('-5.5', 2)).toBe(-550n);
    expect(toScaled('1.500', 2)).toBe(150n);
    expect(toScaled('1.005', 2)).toBeNull();
    expect(toScaled('1,000.00', 2)).toBeNull();
    expect(toScaled('abc', 2)).toBeNull();
    expect(toScaled('1e3', 2)).toBeNull();
  });

  it("formats back with the scale's digits", () => {
    expect(fromScaled(125000000n, 2)).toBe('1250000.00');
    expect(fromScaled(5n, 2)).toBe('0.05');
    expect(fromScaled(-5n, 2)).toBe('-0.05');
    expect(fromScaled(5000n, 0)).toBe('5000');
  });

  it('rounds half to even, as the ledger rounds line amounts', () => {
    expect(divideHalfEven(5n, 2n)).toBe(2n);
    expect(divideHalfEven(7n, 2n)).toBe(4n);
    expect(divideHalfEven(11n, 4n)).toBe(3n);
    expect(divideHalfEven(-5n, 2n)).toBe(-2n);
    // README: 3 × 0.335 CNY = 1.005, rounded half-even to 1.00
    expect(lineAmountMinor('3', '0.335', 2)).toBe(100n);
    expect(lineAmountMinor('3', '0.345', 2)).toBe(104n);
    expect(lineAmountMinor('120', '1050.00', 2)).toBe(12600000n);
    expect(lineAmountMinor('2.5', '3', 0)).toBe(8n);
  });

  it('sums and compares without floating point', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['99999999999999999.99', '0.01'])).toBe('100000000000000000.00');
    expect(compareDecimal('10', '9.99')).toBe(1);
    expect(compareDecimal('1.50', '1.5')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
  });
});
