import { describe, expect, it } from 'vitest';
import {
  amountWholeDigitsMax,
  currencyExponent,
  formatAmount,
  isCurrencyCode,
  parseAmount,
  parsePositiveAmount,
} from '../../services/money/money.js';

describe('currencies', () => {
  it('knows ISO 4217 codes and nothing else', () => {
    expect(isCurrencyCode('CNY')).toBe(true);
    expect(isCurrencyCode('JPY')).toBe(true);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('cny')).toBe(false);
  });

  it("takes each currency's minor unit from CLDR, the same on every call", () => {
    for (let round = 0; round < 2; round += 1) {
      expect(currencyExponent('CNY')).toBe(2);
      expect(currencyExponent('JPY')).toBe(0);
      expect(currencyExponent('BHD')).toBe(3);
    }
  });
});

describe('parseAmount', () => {
  it("reads an exact decimal string at the currency's minor unit", () => {
    expect(parseAmount('1250000.50', 'CNY')).toEqual({ ok: true, value: 125000050n });
    expect(parseAmount('1250000.5', 'CNY')).toEqual({ ok: true, value: 125000050n });
    expect(parseAmount('7', 'CNY')).toEqual({ ok: true, value: 700n });
    expect(parseAmount('-5.00', 'CNY')).toEqual({ ok: true, value: -500n });
    expect(parseAmount('1500', 'JPY')).toEqual({ ok: true, value: 1500n });
    expect(parseAmount('1.234', 'BHD')).toEqual({ ok: true, value: 1234n });
  });

  it('refuses more decimals than the currency has, naming the field and the unit', () => {
    expect(parseAmount('5.001', 'CNY', 'total')).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'total: "5.001" has 3 decimals, but CNY has 2 (its minor unit is 0.01)',
      field: 'total',
    });
    expect(parseAmount('5.5', 'JPY')).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'amount: "5.5" has 1 decimal, but JPY has no minor unit: whole amounts only',
      field: 'amount',
    });
  });

  it('refuses what is not a decimal string', () => {
    expect(parseAmount('1e3', 'CNY')).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'amount: "1e3" is not a decimal string such as "1250000.00"',
      field: 'amount',
    });
  });

  it(`allows ${amountWholeDigitsMax} digits before the decimal point and no more`, () => {
    expect(amountWholeDigitsMax).toBe(16);
    expect(parseAmount('9'.repeat(16), 'CNY')).toEqual({ ok: true, value: BigInt(`${'9'.repeat(16)}00`) });
    expect(parseAmount('1'.repeat(17), 'CNY')).toEqual({
      ok: false,
      code: 'invalid_input',
      message: `amount: "${'1'.repeat(17)}" is too large: an amount has at most 16 digits before the decimal point`,
      field: 'amount',
    });
  });
});

describe('parsePositiveAmount', () => {
  it('accepts a positive amount and refuses zero and negatives with the field named', () => {
    expect(parsePositiveAmount('0.01', 'CNY')).toEqual({ ok: true, value: 1n });
    expect(parsePositiveAmount('0.00', 'CNY', 'price')).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'price: "0.00" is a decimal string, but an amount must be positive',
      field: 'price',
    });
    expect(parsePositiveAmount('-5.00', 'CNY')).toMatchObject({
      ok: false,
      message: 'amount: "-5.00" is a decimal string, but an amount must be positive',
    });
    expect(parsePositiveAmount('5.001', 'CNY')).toMatchObject({ ok: false, field: 'amount' });
  });
});

describe('formatAmount', () => {
  it("prints the currency's full number of decimals", () => {
    expect(formatAmount(125000050n, 'CNY')).toBe('1250000.50');
    expect(formatAmount(5n, 'CNY')).toBe('0.05');
    expect(formatAmount(0n, 'CNY')).toBe('0.00');
    expect(formatAmount(-500n, 'CNY')).toBe('-5.00');
    expect(formatAmount(-5n, 'CNY')).toBe('-0.05');
    expect(formatAmount(1500n, 'JPY')).toBe('1500');
    expect(formatAmount(-7n, 'JPY')).toBe('-7');
    expect(formatAmount(1234n, 'BHD')).toBe('1.234');
  });

  it('round-trips with parseAmount', () => {
    for (const [text, currency] of [
      ['0.01', 'CNY'],
      ['-12.30', 'CNY'],
      ['0', 'JPY'],
      ['99.999', 'BHD'],
    ] as const) {
      const parsed = parseAmount(text, currency);
      expect(parsed.ok && formatAmount(parsed.value, currency)).toBe(text);
    }
  });
});
