/**
 * Scalars that keep values exact on the wire: amounts as decimal strings (never floats), ISO 4217
 * currency codes, lowercase UUIDs, RFC 3339 instants with an offset, calendar dates, and bytes as hex.
 * Each names its standard with @specifiedBy where one exists.
 *
 * A value not of its scalar's form is refused before anything runs, as a GraphQL error BAD_USER_INPUT
 * (bad-user-input.ts) whose message quotes the value and says what is wrong with it. What a
 * well-formed value means for one input (an amount must be positive and have no more decimals than
 * its currency) is a business rule: the service answers it as a DomainError naming the field, and
 * runs the same check on a statement submitted as JSON, which no scalar ever sees.
 */
import { Kind, print, type ValueNode } from 'graphql';
import { isIsoInstant } from '../services/events/envelope.js';
import { isInstantInRange, isUuid } from '../services/input-rules.js';
import { decimalParts, notDecimalSentence, quoted, quotedLengthMax } from '../services/money/decimal-text.js';
import { isCalendarDate } from '../services/validation.js';
import { badUserInput } from './bad-user-input.js';
import { builder } from './builder.js';

/** Digits a Decimal may carry before and after its point: the widest the ledger stores, and then some. */
export const decimalWholeDigitsMax = 31;
export const decimalFractionDigitsMax = 18;

const currencies = new Set(Intl.supportedValuesOf('currency'));

interface ScalarRule {
  /** What is wrong with a string value, or null when it is of the scalar's form. */
  problem: (text: string) => string | null;
  /** The sentence for a value that is not a string: `shown` as quoted() prints it. */
  notString: (shown: string, isNumber: boolean) => string;
}

/** parseValue (variables) and parseLiteral (the document), refusing alike with BAD_USER_INPUT. */
function stringInput(rule: ScalarRule) {
  return {
    parseValue: (value: unknown): string => {
      if (typeof value !== 'string')
        throw badUserInput(rule.notString(quoted(value), typeof value === 'number'));
      const problem = rule.problem(value);
      if (problem) throw badUserInput(problem);
      return value;
    },
    parseLiteral: (node: ValueNode): string => {
      if (node.kind !== Kind.STRING) {
        const printed = print(node);
        const shown = printed.length > quotedLengthMax ? `${printed.slice(0, quotedLengthMax)}…` : printed;
        throw badUserInput(rule.notString(shown, node.kind === Kind.INT || node.kind === Kind.FLOAT), node);
      }
      const problem = rule.problem(node.value);
      if (problem) throw badUserInput(problem, node);
      return node.value;
    },
  };
}

const notA = (what: string) => (shown: string) => `${shown} is not ${what}`;

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

function decimalProblem(text: string): string | null {
  const parts = decimalParts(text);
  if (!parts) return notDecimalSentence(quoted(text), false);
  if (parts.whole.length > 1 && parts.whole.startsWith('0')) {
    const plain = `${parts.negative ? '-' : ''}${parts.whole.replace(/^0+(?=\d)/, '')}${parts.fraction ? `.${parts.fraction}` : ''}`;
    return `${quoted(text)} has a leading zero: write ${quoted(plain)}`;
  }
  if (parts.whole.length > decimalWholeDigitsMax) {
    return `${quoted(text)} has ${plural(parts.whole.length, 'digit')} before the decimal point; a Decimal has at most ${decimalWholeDigitsMax}`;
  }
  if (parts.fraction.length > decimalFractionDigitsMax) {
    return `${quoted(text)} has ${plural(parts.fraction.length, 'digit')} after the decimal point; a Decimal has at most ${decimalFractionDigitsMax}`;
  }
  return null;
}

builder.scalarType('Decimal', {
  description:
    'An exact decimal number as a string, never a float: an optional "-", 1 to 31 digits without ' +
    'leading zeros, optionally "." and 1 to 18 digits, e.g. "1250000.00". Whether an input must be ' +
    "positive, and how many decimals its currency's minor unit allows, the mutation checks (DomainError).",
  serialize: (value) => value,
  ...stringInput({ problem: decimalProblem, notString: notDecimalSentence }),
});

builder.scalarType('CurrencyCode', {
  description: 'An ISO 4217 alphabetic currency code in upper case, e.g. "CNY".',
  specifiedByURL: 'https://www.iso.org/iso-4217-currency-codes.html',
  serialize: (value) => value,
  ...stringInput({
    problem: (text) => {
      if (currencies.has(text)) return null;
      const upper = text.toUpperCase();
      if (currencies.has(upper))
        return `${quoted(text)} is not an ISO 4217 currency code: write ${quoted(upper)}`;
      return `${quoted(text)} is not an ISO 4217 currency code such as "CNY"`;
    },
    notString: notA('an ISO 4217 currency code such as "CNY"'),
  }),
});

builder.scalarType('UUID', {
  description:
    'A UUID (RFC 9562) in lowercase hex with hyphens, e.g. "0b9c4f0e-5d1a-4c53-9f0e-2a6b7c8d9e10". ' +
    'Upper case is refused: ids are compared as text, in statements that are signed.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc9562',
  serialize: (value) => value,
  ...stringInput({
    problem: (text) => {
      const lower = text.toLowerCase();
      if (isUuid(text)) return null;
      if (isUuid(lower)) return `${quoted(text)} is not a lowercase UUID: write ${quoted(lower)}`;
      return `${quoted(text)} is not a lowercase UUID`;
    },
    notString: notA('a lowercase UUID'),
  }),
});

const dateTimeExample = '"2026-11-27T08:30:00Z"';

function dateTimeProblem(text: string): string | null {
  const day = text.slice(0, 10);
  if (!isIsoInstant(text)) {
    if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !isCalendarDate(day)) {
      return `${quoted(text)} names a day that does not exist`;
    }
    return `${quoted(text)} is not an RFC 3339 date-time with an offset, such as ${dateTimeExample}`;
  }
  if (!isInstantInRange(text)) return `${quoted(text)} is a date-time, but it must lie from 1900 to 2200`;
  return null;
}

builder.scalarType('DateTime', {
  description:
    'An instant: an RFC 3339 date-time with an offset (upper-case T and Z, seconds, up to 9 decimals ' +
    'of them), e.g. "2026-11-27T08:30:00Z", from 1900 to 2200. Sent back in UTC with milliseconds.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => value.toISOString(),
  ...(() => {
    const { parseValue, parseLiteral } = stringInput({
      problem: dateTimeProblem,
      notString: notA(`an RFC 3339 date-time such as ${dateTimeExample}`),
    });
    return {
      parseValue: (value: unknown) => new Date(parseValue(value)),
      parseLiteral: (node: ValueNode) => new Date(parseLiteral(node)),
    };
  })(),
});

builder.scalarType('Date', {
  description:
    'A calendar date: an RFC 3339 full-date "YYYY-MM-DD" that exists, e.g. "2026-11-27" ' +
    '(business dates: order, shipment, receipt, issue, due).',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => value,
  ...stringInput({
    problem: (text) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
        return `${quoted(text)} is not a date YYYY-MM-DD such as "2026-11-27"`;
      return isCalendarDate(text) ? null : `${quoted(text)} names a day that does not exist`;
    },
    notString: notA('a date YYYY-MM-DD such as "2026-11-27"'),
  }),
});

builder.scalarType('HexBytes', {
  description: 'Bytes as hex, two digits a byte, e.g. "00ff": sent back in lower case, read in either case.',
  serialize: (value) => (typeof value === 'string' ? value : value.toString('hex')),
  ...stringInput({
    problem: (text) => {
      if (!/^[0-9a-fA-F]*$/.test(text)) return `${quoted(text)} is not hex: only the digits 0-9 and a-f`;
      if (text.length % 2 === 1) {
        return `${quoted(text)} has an odd number of hex digits (${text.length}): a byte is two`;
      }
      return null;
    },
    notString: notA('a hex string such as "00ff"'),
  }),
});
