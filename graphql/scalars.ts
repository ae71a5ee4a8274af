/**
 * Scalars that keep values exact on the wire: amounts as decimal strings (never floats), ISO 4217
 * currency codes, lowercase UUIDs, ISO 8601 instants with an offset, and bytes as lowercase hex.
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { isIsoInstant, isUuid } from '../services/events/envelope.js';
import { isInstantInRange } from '../services/input-rules.js';
import { isCalendarDate } from '../services/validation.js';
import { builder } from './builder.js';

const decimalPattern = /^-?(0|[1-9]\d{0,30})(\.\d{1,18})?$/;
const currencies = new Set(Intl.supportedValuesOf('currency'));

function stringInput(name: string, check: (value: string) => boolean, hint: string) {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !check(value)) throw new GraphQLError(`${name} must be ${hint}`);
    return value;
  };
  return {
    parseValue: parse,
    parseLiteral: (node: ValueNode) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string: ${hint}`);
      return parse(node.value);
    },
  };
}

builder.scalarType('Decimal', {
  description: 'An exact decimal amount as a string, e.g. "1250000.00". Never a float.',
  serialize: (value) => value,
  ...stringInput(
    'Decimal',
    (value) => decimalPattern.test(value),
    'an exact decimal string such as "1250000.00"',
  ),
});

builder.scalarType('CurrencyCode', {
  description: 'An ISO 4217 alphabetic currency code, e.g. "CNY".',
  serialize: (value) => value,
  ...stringInput('CurrencyCode', (value) => currencies.has(value), 'an ISO 4217 code such as "CNY"'),
});

builder.scalarType('UUID', {
  description: 'A UUID in lowercase hex with hyphens.',
  serialize: (value) => value,
  ...stringInput('UUID', isUuid, 'a lowercase UUID'),
});

builder.scalarType('DateTime', {
  description: 'An ISO 8601 instant with an offset, e.g. "2026-11-27T08:30:00Z".',
  serialize: (value) => value.toISOString(),
  ...(() => {
    const { parseValue, parseLiteral } = stringInput(
      'DateTime',
      (value) => isIsoInstant(value) && isInstantInRange(value),
      'an ISO 8601 instant with an offset, from 1900 to 2200',
    );
    return {
      parseValue: (value: unknown) => new Date(parseValue(value)),
      parseLiteral: (node: ValueNode) => new Date(parseLiteral(node)),
    };
  })(),
});

builder.scalarType('Date', {
  description: 'A calendar date "YYYY-MM-DD" (business dates: order, shipment, receipt, issue, due).',
  serialize: (value) => value,
  ...stringInput('Date', isCalendarDate, 'a date YYYY-MM-DD that exists'),
});

builder.scalarType('HexBytes', {
  description: 'Bytes as lowercase hex.',
  serialize: (value) => (typeof value === 'string' ? value : value.toString('hex')),
  ...stringInput(
    'HexBytes',
    (value) => /^([0-9a-fA-F]{2})*$/.test(value),
    'hex with an even number of digits',
  ),
});
