import { describe, expect, it } from 'vitest';
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
        code: 'invalid_input',
        field: 'idempotencyKey',
      });
      expect(await ledger.snapshot()).toBe(before);
    },
  );
});
