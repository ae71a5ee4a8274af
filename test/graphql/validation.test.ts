import { GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../graphql/schema.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

describe('input validation', () => {
  it.each([
    ['empty', ''],
    ['129 characters', 'k'.repeat(129)],
  ])(
    'refuses an idempotency key that is %s as invalid_input before any database work',
    async (_label, key) => {
      const before = await ledger.snapshot();
      const answer = await ledger.gql(
        `mutation($key: String!) { createApiKey(label: "x", idempotencyKey: $key) {
        __typename ... on DomainError { code field } } }`,
        { key },
      );
      expect(answer.data.createApiKey).toEqual({
        __typename: 'DomainError',
        code: 'INVALID_INPUT',
        field: 'idempotencyKey',
      });
      expect(await ledger.snapshot()).toBe(before);
    },
  );
});

describe('the DateTime scalar', () => {
  const scalar = schema.getType('DateTime');

  it.each(['1899-12-31T23:59:59Z', '2201-01-01T00:00:00Z', '0000-01-01T00:00:00Z'])(
    'refuses an instant outside 1900 to 2200: %s',
    (instant) => {
      if (!(scalar instanceof GraphQLScalarType)) throw new Error('no DateTime scalar');
      expect(() => scalar.parseValue(instant)).toThrow(/from 1900 to 2200/);
    },
  );

  it('reads an instant inside the range', () => {
    if (!(scalar instanceof GraphQLScalarType)) throw new Error('no DateTime scalar');
    expect(scalar.parseValue('2200-12-31T23:59:59+00:00')).toEqual(new Date('2200-12-31T23:59:59Z'));
  });
});
