/**
 * What a client meets when the database is unreachable or contention outlasts every retry: a
 * retryable, typed answer (a DomainError value on mutations, an error with an extensions.code on
 * queries, HTTP 503 when even authentication could not run), never "Unexpected error.".
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { type Db, setRetryPolicy } from '../../services/db/transaction.js';
import { freshKey } from '../support/fixtures.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();

type Trouble = 'none' | 'conflict' | 'unreachable';

const troubleErrors = {
  conflict: () => Object.assign(new Error('could not serialize access'), { code: '40001' }),
  unreachable: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
};

/** The test database, except that the transactions `plan` names fail that way. */
function troubledDb(db: Db, plan: () => Trouble): Db {
  const troubled = new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'transaction') return typeof value === 'function' ? value.bind(target) : value;
      return () => {
        const now = plan();
        if (now === 'none') return target.transaction();
        const failing = {
          execute: () => Promise.reject(troubleErrors[now]()),
          setIsolationLevel: () => failing,
          setAccessMode: () => failing,
        };
        return failing;
      };
    },
  });
  setRetryPolicy(troubled, { connectionRetryMs: 50, backoffBaseMs: 1, backoffCapMs: 4 });
  return troubled;
}

interface Answer {
  status: number;
  body: {
    data?: Record<string, Record<string, unknown>>;
    errors?: { message: string; extensions?: unknown }[];
  };
}

let trouble: Trouble = 'none';
let healthyTransactions = 0;
let fetchGraphql: (query: string, apiKey?: string) => Promise<Answer>;

beforeAll(() => {
  const plan = (): Trouble => {
    if (healthyTransactions > 0) {
      healthyTransactions -= 1;
      return 'none';
    }
    return trouble;
  };
  const ledger = { ...t.ledger, db: troubledDb(t.ledger.db, plan) };
  const yoga = createGraphqlHandler({ ledger, logSigner: t.logSigner, graphiql: false, ...testLimits });
  fetchGraphql = async (query, apiKey = t.adminApiKey) => {
    const response = await yoga.fetch('http://ledger.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
});

/**
 * Authenticates on a healthy database; every transaction after that fails. The key was seen before
 * (beforeAll), so authentication is one revocation read outside any transaction.
 */
async function withTroubleAfterAuthentication(now: Trouble, query: string): Promise<Answer> {
  trouble = now;
  healthyTransactions = 0;
  try {
    return await fetchGraphql(query);
  } finally {
    trouble = 'none';
  }
}

const createApiKey =
  () => `mutation { createApiKey(label: "trouble", idempotencyKey: "${freshKey('trouble')}") {
  __typename ... on DomainError { code retryable message } } }`;

describe('database trouble', () => {
  beforeAll(async () => {
    expect((await fetchGraphql('{ me { id } }')).status).toBe(200);
  });

  it('answers a mutation whose conflicts outlast the retries with a retryable DomainError', async () => {
    const { status, body } = await withTroubleAfterAuthentication('conflict', createApiKey());
    expect(status).toBe(200);
    expect(body.data?.createApiKey).toMatchObject({
      __typename: 'DomainError',
      code: 'CONFLICT_RETRY_EXHAUSTED',
      retryable: true,
    });
  });

  it('answers a mutation that cannot reach the database with a retryable DomainError', async () => {
    const { body } = await withTroubleAfterAuthentication('unreachable', createApiKey());
    expect(body.data?.createApiKey).toMatchObject({
      __typename: 'DomainError',
      code: 'DATABASE_UNAVAILABLE',
      retryable: true,
    });
  });

  it('answers a query with a retryable error code, not "Unexpected error."', async () => {
    const { body } = await withTroubleAfterAuthentication(
      'conflict',
      '{ parties(first: 5) { edges { node { id } } } }',
    );
    expect(body.errors?.[0]?.message).not.toBe('Unexpected error.');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT_RETRY_EXHAUSTED', retryable: true });
  });

  it('answers HTTP 503 with DATABASE_UNAVAILABLE when the API key cannot even be checked', async () => {
    trouble = 'unreachable';
    healthyTransactions = 0;
    const { status, body } = await fetchGraphql(
      '{ me { id } }',
      `tp_${randomBytes(32).toString('base64url')}`,
    );
    trouble = 'none';
    expect(status).toBe(503);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
  });
});
