/**
 * NODE_ENV=production through the real handler: introspection needs a key, no field suggestions,
 * CORS only for listed origins and never with credentials; the log's public face stays anonymous.
 */
import { getIntrospectionQuery } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CorsOrigins } from '../../graphql/production.js';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { anchorAll } from '../support/anchor.js';
import { type GraphqlAnswer, testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const allowedOrigin = 'https://console.example.com';

function handler(production: boolean, corsOrigins: CorsOrigins) {
  return createGraphqlHandler({
    ledger: ledger.ledger,
    logSigner: ledger.logSigner,
    graphiql: false,
    production,
    corsOrigins,
    ...testLimits,
  });
}
type Handler = ReturnType<typeof handler>;

async function ask(
  yoga: Handler,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<GraphqlAnswer & { headers: Headers }> {
  const response = await yoga.fetch('http://ledger.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

const withKey = () => ({ authorization: `Bearer ${ledger.adminApiKey}` });
const messages = (answer: GraphqlAnswer) => answer.errors?.map((error) => error.message) ?? [];

describe('in production', () => {
  let production: Handler;
  beforeAll(() => {
    production = handler(true, [allowedOrigin]);
  });

  it.each([
    ['__schema', getIntrospectionQuery()],
    ['__type', '{ __type(name: "Party") { fields { name } } }'],
    ['an aliased __type', '{ t: __type(name: "Party") { name } }'],
  ])('refuses introspection by %s without an API key', async (_name, query) => {
    const answer = await ask(production, { query });
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(answer.errors?.[0]?.message).toMatch(/introspection needs an API key/);
  });

  it('lets a caller with an API key introspect', async () => {
    const answer = await ask(production, { query: getIntrospectionQuery() }, withKey());
    expect(answer.errors).toBeUndefined();
    expect(answer.data.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses introspection with a wrong key as 401', async () => {
    const answer = await ask(
      production,
      { query: '{ __schema { queryType { name } } }' },
      { authorization: 'Bearer nope' },
    );
    expect(answer.status).toBe(401);
    expect(answer.data).toBeUndefined();
  });

  it('serves the public log anonymously: verifier key, checkpoint, consistency proof, __typename', async () => {
    const older = await anchorAll(ledger);
    await ledger.newParty(['supplier']);
    const size = await anchorAll(ledger);
    const answer = await ask(production, {
      query: `{ __typename logVerifierKey
        checkpoint { __typename ... on Checkpoint { treeSize note } }
        consistencyProof(fromSize: ${older}, toSize: ${size}) { __typename } }`,
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.logVerifierKey).toMatch(/\+[0-9a-f]{8}\+/);
    expect(answer.data.checkpoint.treeSize).toBe(size);
    expect(answer.data.consistencyProof.__typename).toBe('ConsistencyProof');
  });

  it.each([
    ['a misspelt field', { query: '{ me { legalNam } }' }, 'Cannot query field "legalNam" on type "Party".'],
    [
      'a misspelt enum value',
      { query: '{ receivables(side: HOLDR, first: 1) { edges { cursor } } }' },
      'Value "HOLDR" does not exist in "ReceivableSide" enum.',
    ],
    [
      'a misspelt input field in the variables',
      {
        query: 'mutation ($input: RegisterPartyInput!) { registerParty(input: $input) { __typename } }',
        variables: { input: { legalname: 'x', registrationId: 'x', roles: [], idempotencyKey: 'k' } },
      },
      'Variable "$input" got invalid value { legalname: "x", registrationId: "x", roles: [], idempotencyKey: "k" }; Field "legalname" is not defined by type "RegisterPartyInput".',
    ],
  ])('answers %s without a "Did you mean" hint, to anyone', async (_name, body, message) => {
    const answer = await ask(production, body, withKey());
    expect(messages(answer)).toContain(message);
    expect(JSON.stringify(answer.errors)).not.toMatch(/did you mean/i);
  });

  it('answers an allowed origin with CORS headers and no credentials', async () => {
    const answer = await ask(production, { query: '{ __typename }' }, { origin: allowedOrigin });
    expect(answer.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('vary')).toMatch(/Origin/);
  });

  it('answers another origin without any CORS header', async () => {
    const answer = await ask(production, { query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect([...answer.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(answer.headers.get('vary')).toMatch(/Origin/);
  });

  it.each([
    [allowedOrigin, true],
    ['https://evil.example', false],
  ])('answers a preflight from %s (allowed: %s)', async (origin, allowed) => {
    const response = await production.fetch('http://ledger.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed ? origin : null);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    if (allowed) {
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'accept, authorization, content-type',
      );
    }
  });

  it('allows no origin at all with an empty list (the production default)', async () => {
    const closed = handler(true, []);
    const answer = await ask(closed, { query: '{ __typename }' }, { origin: allowedOrigin });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('outside production', () => {
  let development: Handler;
  beforeAll(() => {
    development = handler(false, 'any');
  });

  it('lets anyone introspect', async () => {
    const answer = await ask(development, { query: '{ __type(name: "Party") { name } }' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.__type.name).toBe('Party');
  });

  it('keeps the "Did you mean" hints', async () => {
    const answer = await ask(development, { query: '{ me { legalNam } }' }, withKey());
    expect(messages(answer)).toContain(
      'Cannot query field "legalNam" on type "Party". Did you mean "legalName"?',
    );
  });

  it('answers any origin by default, still without credentials', async () => {
    const answer = await ask(development, { query: '{ __typename }' }, { origin: 'http://localhost:5173' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
