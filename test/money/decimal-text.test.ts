import { describe, expect, it } from 'vitest';
import {
  currencyDecimalsMessage,
  decimalExample,
  decimalParts,
  notDecimalMessage,
  notDecimalSentence,
  positiveDecimalProblem,
  quoted,
  quotedLengthMax,
} from '../../services/money/decimal-text.js';

describe('quoted', () => {
  it('shows a string as JSON, cut after 40 characters', () => {
    expect(quotedLengthMax).toBe(40);
    expect(quoted('5.00')).toBe('"5.00"');
    expect(quoted('a"b\n')).toBe('"a\\"b\\n"');
    expect(quoted('x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
    expect(quoted('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
  });

  it('shows other values as JSON or text, cut alike', () => {
    expect(quoted(5)).toBe('5');
    expect(quoted(12n)).toBe('12');
    expect(quoted(null)).toBe('null');
    expect(quoted(undefined)).toBe('undefined');
    expect(quoted({ a: 1 })).toBe('{"a":1}');
    expect(quoted(10n ** 39n)).toBe('1'.padEnd(40, '0'));
    expect(quoted(10n ** 40n)).toBe(`${'1'.padEnd(40, '0')}…`);
  });
});

describe('decimalParts', () => {
  it('splits sign, whole and fraction', () => {
    expect(decimalParts('-12.50')).toEqual({ negative: true, whole: '12', fraction: '50' });
    expect(decimalParts('7')).toEqual({ negative: false, whole: '7', fraction: '' });
    for (const text of ['', '+1', '1.', '.5', '1e2', ' 1', '1 ', '--1', '1.2.3']) {
      expect(decimalParts(text)).toBeNull();
    }
  });
});

describe('not a decimal', () => {
  it('says why decimals travel as strings when given a number', () => {
    expect(decimalExample).toBe('"1250000.00"');
    expect(notDecimalMessage(5)).toBe(
      '5 is a number, not a decimal string such as "1250000.00": decimals travel as strings so that no digit is lost',
    );
    expect(notDecimalMessage(5n)).toBe(
      '5 is a number, not a decimal string such as "1250000.00": decimals travel as strings so that no digit is lost',
    );
    expect(notDecimalMessage('five')).toBe('"five" is not a decimal string such as "1250000.00"');
    expect(notDecimalMessage(true)).toBe('true is not a decimal string such as "1250000.00"');
    expect(notDecimalSentence('x', false)).toBe('x is not a decimal string such as "1250000.00"');
  });
});

describe('positiveDecimalProblem', () => {
  const rule = { what: 'a quantity', wholeDigitsMax: 3, fractionDigitsMax: 2 };

  it('accepts a positive decimal within the digits allowed', () => {
    expect(positiveDecimalProblem('999.99', rule)).toBeNull();
    expect(positiveDecimalProblem('0.01', rule)).toBeNull();
    // Whole and fraction alike: positive, though the two parts read as numbers would cancel out.
    expect(positiveDecimalProblem('12.12', rule)).toBeNull();
    expect(positiveDecimalProblem('1.234', { what: 'an amount', wholeDigitsMax: 3 })).toBeNull();
  });

  it('refuses what is not a decimal string', () => {
    expect(positiveDecimalProblem(5, rule)).toBe(notDecimalMessage(5));
    expect(positiveDecimalProblem('5,0', rule)).toBe('"5,0" is not a decimal string such as "1250000.00"');
  });

  it('refuses zero and negatives', () => {
    for (const text of ['0', '0.00', '000', '-1', '-0.5']) {
      expect(positiveDecimalProblem(text, rule)).toBe(
        `"${text}" is a decimal string, but a quantity must be positive`,
      );
    }
  });

  it('refuses too many digits on either side, counting them', () => {
    expect(positiveDecimalProblem('1000', rule)).toBe(
      '"1000" is too large: a quantity has at most 3 digits before the decimal point',
    );
    expect(positiveDecimalProblem('10', { what: 'a quantity', wholeDigitsMax: 1 })).toBe(
      '"10" is too large: a quantity has at most 1 digit before the decimal point',
    );
    expect(positiveDecimalProblem('1.234', rule)).toBe(
      '"1.234" has 3 decimals, but a quantity has at most 2',
    );
    expect(positiveDecimalProblem('1.5', { ...rule, fractionDigitsMax: 0 })).toBe(
      '"1.5" has 1 decimal, but a quantity has at most 0',
    );
  });
});

describe('currencyDecimalsMessage', () => {
  it('names the minor unit, or its absence', () => {
    expect(currencyDecimalsMessage('5.001', 3, 'CNY', 2)).toBe(
      '"5.001" has 3 decimals, but CNY has 2 (its minor unit is 0.01)',
    );
    expect(currencyDecimalsMessage('5.0001', 4, 'BHD', 3)).toBe(
      '"5.0001" has 4 decimals, but BHD has 3 (its minor unit is 0.001)',
    );
    expect(currencyDecimalsMessage('5.5', 1, 'JPY', 0)).toBe(
      '"5.5" has 1 decimal, but JPY has no minor unit: whole amounts only',
    );
  });
});
