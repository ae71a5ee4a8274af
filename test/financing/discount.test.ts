/**
 * The discount rule (services/financing/discount.ts): discount = amount x rate x days / basis in
 * bigint rationals, rounded half-even to the minor unit once; advance = amount - discount - fee. The
 * README's worked examples are checked here, and a property test holds the parts to the amount and
 * the rounding to an independent computation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discountMinor, formatRate, offerTerms, parseRate } from '../../services/financing/discount.js';
import { addDays } from '../../services/receivables/receivable.js';

describe('parseRate', () => {
  it.each([
    ['0.045', 45_000n],
    ['0', 0n],
    ['0.999999', 999_999n],
    ['0.0450', 45_000n],
  ])('reads %s as %s millionths', (text, micros) => {
    expect(parseRate(text)).toEqual({ ok: true, value: micros });
  });

  it.each([['-0.01'], ['1'], ['1.5'], ['0.0000001'], ['4.5%'], ['']])('refuses %j', (text) => {
    expect(parseRate(text)).toMatchObject({ ok: false, code: 'invalid_input', field: 'rate' });
  });

  it('prints the normal form', () => {
    expect(formatRate(45_000n)).toBe('0.045');
    expect(formatRate(0n)).toBe('0');
  });
});

describe('the worked examples of README', () => {
  it('1,000,000.00 CNY at 4.5 % ACT/360 for 90 days with a 500.00 fee advances 988,250.00', () => {
    const terms = offerTerms({
      amountMinor: 100_000_000n,
      rateMicros: 45_000n,
      dayCount: 'act_360',
      feeMinor: 50_000n,
      advanceDate: '2026-12-01',
      dueDate: '2027-03-01',
    });
    expect(terms).toEqual({ days: 90, discountMinor: 1_125_000n, advanceMinor: 98_825_000n });
  });

  it('rounds an exact half to the even minor unit: 101.00 and 103.00 at 5 % ACT/360 for 36 days', () => {
    // 10100 x 0.05 x 36 / 360 = 50.5 minor units (0.505 CNY): exactly half-way, to the even 0.50.
    expect(discountMinor(10_100n, 50_000n, 36, 'act_360')).toBe(50n);
    // 10300 x 0.05 x 36 / 360 = 51.5 (0.515 CNY): half-way again, to the even 0.52.
    expect(discountMinor(10_300n, 50_000n, 36, 'act_360')).toBe(52n);
    // 10001 x 0.05 x 36 / 360 = 50.005: not a half, below it: 0.50.
    expect(discountMinor(10_001n, 50_000n, 36, 'act_360')).toBe(50n);
  });

  it('uses 365 days a year for ACT/365F', () => {
    // 123,456.78 CNY at 3.75 % for 73 days: 12345678 x 0.0375 x 73 / 365 = 92592.585 -> 92593.
    expect(discountMinor(12_345_678n, 37_500n, 73, 'act_365f')).toBe(92_593n);
  });
});

/** Round half to even by decimal strings of the exact quotient: another route to the same answer. */
function independentHalfEven(numerator: bigint, denominator: bigint): bigint {
  const scaled = (numerator * 10n) / denominator; // one digit more than the quotient
  const exact = (numerator * 10n) % denominator === 0n;
  const floor = scaled / 10n;
  const digit = scaled % 10n;
  if (digit > 5n || (digit === 5n && !exact)) return floor + 1n;
  if (digit < 5n) return floor;
  return floor % 2n === 0n ? floor : floor + 1n;
}

describe('the discount rule, for random inputs', () => {
  it('adds up: advance + discount + fee = amount, and the discount is rounded half-even once', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 18n }),
        fc.bigInt({ min: 0n, max: 999_999n }),
        fc.integer({ min: 1, max: 3650 }),
        fc.constantFrom('act_360' as const, 'act_365f' as const),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (amountMinor, rateMicros, days, dayCount, feeMinor) => {
          const advanceDate = '2026-01-01';
          const terms = offerTerms({
            amountMinor,
            rateMicros,
            dayCount,
            feeMinor,
            advanceDate,
            dueDate: addDays(advanceDate, days),
          });
          expect(terms.days).toBe(days);
          expect(terms.advanceMinor + terms.discountMinor + feeMinor).toBe(amountMinor);
          const basis = dayCount === 'act_360' ? 360n : 365n;
          const numerator = amountMinor * rateMicros * BigInt(days);
          expect(terms.discountMinor).toBe(independentHalfEven(numerator, 1_000_000n * basis));
          // Never more than half a minor unit from the exact rational.
          const twiceError = 2n * terms.discountMinor * 1_000_000n * basis - 2n * numerator;
          expect(twiceError <= 1_000_000n * basis && twiceError >= -1_000_000n * basis).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
