/** The console's financing arithmetic: exact on decimal strings, checked against hand-worked cases. */
import { describe, expect, it } from 'vitest';
import {
  basisPointsToPercent,
  compareDecimal,
  daysBetween,
  effectiveAnnualCost,
  feeProblem,
  fractionToPercent,
  parseDecimal,
  randomUuid,
  rateProblem,
  requestAmountProblem,
  utilisationBasisPoints,
} from '../../web/src/pages/financing/terms.js';

describe('decimals', () => {
  it('parses plain non-negative decimals and nothing else', () => {
    expect(parseDecimal('1234.50')).toEqual({ units: 123450n, scale: 2 });
    expect(parseDecimal('7')).toEqual({ units: 7n, scale: 0 });
    for (const bad of ['', '-1', '1e3', '.5', '1.', '1,000.00', 'abc', '0x10']) {
      expect(parseDecimal(bad), bad).toBeNull();
    }
  });

  it('compares across scales, beyond float precision', () => {
    const a = parseDecimal('9007199254740993.01');
    const b = parseDecimal('9007199254740993.1');
    if (!a || !b) throw new Error('parse');
    expect(compareDecimal(a, b)).toBe(-1);
    expect(compareDecimal(b, a)).toBe(1);
    expect(compareDecimal({ units: 10n, scale: 1 }, { units: 100n, scale: 2 })).toBe(0);
  });
});

describe('rate validation (0 <= rate < 1, at most 6 decimals)', () => {
  it('accepts the API’s rates', () => {
    for (const good of ['0', '0.045', '0.999999', '0.000001', '0.1'])
      expect(rateProblem(good), good).toBeNull();
  });
  it('names what is wrong', () => {
    expect(rateProblem('4.5%')).toBe('format');
    expect(rateProblem('-0.01')).toBe('format');
    expect(rateProblem('')).toBe('format');
    expect(rateProblem('0.0450001')).toBe('decimals');
    expect(rateProblem('1')).toBe('range');
    expect(rateProblem('1.000000')).toBe('range');
    expect(rateProblem('4.5')).toBe('range');
  });
  it('shows a fraction as a percentage exactly', () => {
    expect(fractionToPercent('0.045')).toBe('4.5');
    expect(fractionToPercent('0.1')).toBe('10');
    expect(fractionToPercent('0')).toBe('0');
    expect(fractionToPercent('0.123456')).toBe('12.3456');
    expect(fractionToPercent('0.05')).toBe('5');
  });
});

describe('request amount and fee', () => {
  it('is positive, within the outstanding, in the currency’s minor unit', () => {
    expect(requestAmountProblem('1000.00', '1000.00', 2)).toBeNull();
    expect(requestAmountProblem('0.01', '1000.00', 2)).toBeNull();
    expect(requestAmountProblem('1000.01', '1000.00', 2)).toBe('exceeds');
    expect(requestAmountProblem('0.00', '1000.00', 2)).toBe('zero');
    expect(requestAmountProblem('1.001', '1000.00', 2)).toBe('decimals');
    expect(requestAmountProblem('-5', '1000.00', 2)).toBe('format');
  });
  it('takes a fee of zero or more', () => {
    expect(feeProblem('0', 2)).toBeNull();
    expect(feeProblem('50.00', 2)).toBeNull();
    expect(feeProblem('50.001', 2)).toBe('decimals');
    expect(feeProblem('-1', 2)).toBe('format');
  });
});

describe('effective annual cost', () => {
  it('is (discount + fee) / advance x 365 / days, exactly', () => {
    // The README's worked example: 1,000,000.00 at 4.5 % ACT/360 for 90 days, fee 500.00:
    // discount 11,250.00, advance 988,250.00. Cost 11,750 / 988,250 x 365 / 90 = 4.821936... %.
    expect(
      effectiveAnnualCost({
        amount: '1000000.00',
        advance: '988250.00',
        discount: '11250.00',
        fee: '500.00',
        days: 90,
      }),
    ).toBe('4.82');
    expect(
      effectiveAnnualCost(
        { amount: '1000000.00', advance: '988250.00', discount: '11250.00', fee: '500.00', days: 90 },
        6,
      ),
    ).toBe('4.821936');
  });

  it('rounds half to even once, at the end', () => {
    // 1 / 100 x 365 / 73 = 5 % exactly; 1 / 200 x 365 / 73 = 2.5 % -> "2" at no decimals, 3/200 -> 7.5 -> "8".
    expect(effectiveAnnualCost({ amount: '101', advance: '100', discount: '1', fee: '0', days: 73 }, 0)).toBe(
      '5',
    );
    expect(effectiveAnnualCost({ amount: '201', advance: '200', discount: '1', fee: '0', days: 73 }, 0)).toBe(
      '2',
    );
    expect(effectiveAnnualCost({ amount: '203', advance: '200', discount: '3', fee: '0', days: 73 }, 0)).toBe(
      '8',
    );
  });

  it('is exact where floats are not', () => {
    // Amounts beyond 2^53 minor units.
    const cost = effectiveAnnualCost(
      { amount: '90071992547409.93', advance: '90071992547408.93', discount: '1.00', fee: '0.00', days: 365 },
      20,
    );
    expect(cost).toBe('0.00000000000111022302');
  });

  it('is null without a positive advance or positive days', () => {
    expect(
      effectiveAnnualCost({ amount: '100', advance: '0', discount: '100', fee: '0', days: 30 }),
    ).toBeNull();
    expect(
      effectiveAnnualCost({ amount: '100', advance: '99', discount: '1', fee: '0', days: 0 }),
    ).toBeNull();
    expect(effectiveAnnualCost({ amount: 'x', advance: '99', discount: '1', fee: '0', days: 30 })).toBeNull();
  });
});

describe('portfolio figures', () => {
  it('shows basis points as percentages', () => {
    expect(basisPointsToPercent(2500)).toBe('25.00');
    expect(basisPointsToPercent(10000)).toBe('100.00');
    expect(basisPointsToPercent(7)).toBe('0.07');
  });
  it('measures utilisation against a limit, beyond 100 % when breached', () => {
    expect(utilisationBasisPoints('12500.50', '5000000.00')).toBe(25);
    expect(utilisationBasisPoints('6000000', '5000000.00')).toBe(12000);
    expect(utilisationBasisPoints('1', '0')).toBe(0);
  });
});

describe('ids and dates', () => {
  it('makes version-4 UUIDs in lowercase', () => {
    const id = randomUuid(() => new Uint8Array(16).fill(0xff));
    expect(id).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(randomUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('counts calendar days', () => {
    expect(daysBetween('2026-12-01', '2027-03-01')).toBe(90);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });
});
