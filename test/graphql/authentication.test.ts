import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { freshKey, freshUscc } from '../support/fixtures.js';
import { type GraphqlAnswer, type TestParty, testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

/** A request with exactly this Authorization header (or none), through the real handler. */
let send: (query: string, authorization: string | null) => Promise<GraphqlAnswer>;

beforeAll(() => {
  const yoga = createGraphqlHandler({
    ledger: ledger.ledger,
    logSigner: ledger.logSigner,
    graphiql: false,
    ...testLimits,
  });
  send = async (query, authorization) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== null) headers.authorization = authorization;
    const response = await yoga.fetch('http://ledger.test/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
});

const unknownUuid = '00000000-0000-4000-8000-000000000000';

describe('a request without an Authorization header', () => {
  it.each([
    ['me', '{ me { id } }', null],
    ['parties', '{ parties(first: 5) { edges { node { id } } } }', null],
    ['events', '{ events(first: 5) { edges { node { id } } } }', null],
    ['party', `{ party(id: "${unknownUuid}") { id } }`, { party: null }],
  ])('is refused %s as UNAUTHENTICATED with status 200', async (_label, query, data) => {
    const answer = await ledger.gql(query, {}, null);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual(data);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  let party: TestParty;
  beforeAll(async () => {
    party = await ledger.newParty(['supplier']);
  });
  const keyId = 'ab'.repeat(32);
  const registerInput = () =>
    `{ legalName: "Anonymous Ltd", registrationId: "${freshUscc()}", roles: [SUPPLIER], idempotencyKey: "${freshKey()}" }`;
  it.each([
    ['registerParty', () => `registerParty(input: ${registerInput()})`],
    ['addPartyKey', () => `addPartyKey(partyId: "${party.party.id}", custodial: true, idempotencyKey: "a")`],
    ['revokePartyKey', () => `revokePartyKey(keyId: "${keyId}", idempotencyKey: "a")`],
    ['createApiKey', () => `createApiKey(partyId: "${party.party.id}", label: "x", idempotencyKey: "a")`],
    ['revokeApiKey', () => `revokeApiKey(apiKeyId: "${unknownUuid}", idempotencyKey: "a")`],
  ])('is refused %s as UNAUTHENTICATED, writing nothing', async (_label, field) => {
    const before = await ledger.snapshot();
    const answer = await ledger.gql(`mutation { ${field()} { __typename } }`, {}, null);
    expect(answer.data).toBeNull();
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(await ledger.snapshot()).toBe(before);
  });
});

describe('a request with a bad Authorization header', () => {
  let revokedSecret: string;
  beforeAll(async () => {
    const party = await ledger.newParty(['supplier']);
    const keys = await ledger.gql('{ me { apiKeys { id } } }', {}, party.apiKey);
    await ledger.gql(
      'mutation ($id: UUID!) { revokeApiKey(apiKeyId: $id, idempotencyKey: "r") { __typename } }',
      { id: keys.data.me.apiKeys[0].id },
      party.apiKey,
    );
    revokedSecret = party.apiKey;
  });
  const unknownSecret = `tp_${'A'.repeat(43)}`;

  it.each([
    ['another scheme', () => `Token ${unknownSecret}`],
    ['"Bearer" alone', () => 'Bearer'],
    ['"Bearer " with no key', () => 'Bearer '],
    ['two words after Bearer', () => `Bearer ${unknownSecret} extra`],
    ['an unknown key', () => `Bearer ${unknownSecret}`],
    ['a key too short to be one', () => 'Bearer tp_short'],
    ['a revoked key', () => `Bearer ${revokedSecret}`],
  ])('is refused with 401 UNAUTHENTICATED for %s, never echoing it', async (_label, header) => {
    const authorization = header();
    const before = await ledger.snapshot();
    const answer = await send(
      'mutation { createApiKey(label: "x", idempotencyKey: "k") { __typename } }',
      authorization,
    );
    expect(answer.status).toBe(401);
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const secret = authorization.split(' ')[1];
    if (secret) expect(JSON.stringify(answer)).not.toContain(secret);
    expect(await ledger.snapshot()).toBe(before);
  });

  it('accepts the Bearer scheme in any letter case', async () => {
    const answer = await send('{ me { id } }', `bearer ${ledger.adminApiKey}`);
    expect(answer.data.me.id).toBe(ledger.ledger.platformPartyId);
  });
});

describe('events', () => {
  const eventsQuery = (args: string) =>
    `{ events(${args}) { edges { cursor node { id kind actor { id } counterparty { id } } }
       pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }`;
  type Page = {
    edges: {
      cursor: string;
      node: { id: string; kind: string; actor: { id: string }; counterparty: { id: string } | null };
    }[];
    pageInfo: {
      startCursor: string | null;
      endCursor: string | null;
      hasNextPage: boolean;
      hasPreviousPage: boolean;
    };
  };
  async function page(args: string, apiKey: string): Promise<Page> {
    const answer = await ledger.gql(eventsQuery(args), {}, apiKey);
    expect(answer.errors).toBeUndefined();
    return answer.data.events;
  }
  /** Event ids in (recorded_at, id) order, straight from the database. */
  async function storedEventIds(viewer: string | null): Promise<string[]> {
    const rows = await ledger.owner.db
      .selectFrom('event')
      .select('id')
      .$if(viewer !== null, (query) =>
        query.where((eb) =>
          eb.or([eb('actor_party_id', '=', viewer), eb('counterparty_party_id', '=', viewer)]),
        ),
      )
      .orderBy(sql`recorded_at, id`)
      .execute();
    return rows.map((row) => row.id);
  }

  let supplier: TestParty;
  let otherSupplier: TestParty;
  beforeAll(async () => {
    supplier = await ledger.newParty(['supplier']);
    otherSupplier = await ledger.newParty(['supplier']);
    for (const label of ['one', 'two', 'three', 'four']) {
      await ledger.gql(
        'mutation ($label: String!, $key: String!) { createApiKey(label: $label, idempotencyKey: $key) { __typename } }',
        { label, key: freshKey() },
        supplier.apiKey,
      );
    }
  });

  it('shows a supplier only the events it is actor or counterparty of', async () => {
    const { edges } = await page('first: 20', otherSupplier.apiKey);
    expect(edges.map((edge) => edge.node.kind)).toEqual(['party.registered', 'api_key.created']);
    for (const { node } of edges) {
      expect(node.actor.id).toBe(ledger.ledger.platformPartyId);
      expect(node.counterparty?.id).toBe(otherSupplier.party.id);
    }
    const own = await page('first: 20', supplier.apiKey);
    expect(own.edges.map((edge) => edge.node.id)).toEqual(await storedEventIds(supplier.party.id));
    expect(own.edges.every((edge) => edge.node.counterparty?.id === supplier.party.id)).toBe(true);
  });

  it('shows an auditor every event', async () => {
    const auditor = await ledger.newParty(['auditor']);
    const answer = await ledger.gql('{ events(first: 100) { edges { node { id } } } }', {}, auditor.apiKey);
    const edges: { node: { id: string } }[] = answer.data.events.edges;
    const all = await storedEventIds(null);
    expect(all.length).toBeGreaterThan(10);
    expect(edges.map((edge) => edge.node.id)).toEqual(all);
  });

  it('walks every visible event exactly once forwards with first: 2', async () => {
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 10; pages++) {
      const { edges, pageInfo } = await page(`first: 2${after}`, supplier.apiKey);
      expect(edges.length).toBeLessThanOrEqual(2);
      seen.push(...edges.map((edge) => edge.node.id));
      if (!pageInfo.hasNextPage) break;
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor);
      after = `, after: "${pageInfo.endCursor}"`;
    }
    const expected = await storedEventIds(supplier.party.id);
    expect(expected).toHaveLength(6);
    expect(seen).toEqual(expected);
  });

  it('walks every visible event exactly once backwards with last: 2', async () => {
    const seen: string[] = [];
    let before = '';
    for (let pages = 0; pages < 10; pages++) {
      const { edges, pageInfo } = await page(`last: 2${before}`, supplier.apiKey);
      expect(edges.length).toBeLessThanOrEqual(2);
      seen.unshift(...edges.map((edge) => edge.node.id));
      if (!pageInfo.hasPreviousPage) break;
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor);
      before = `, before: "${pageInfo.startCursor}"`;
    }
    expect(seen).toEqual(await storedEventIds(supplier.party.id));
  });

  it('returns the events strictly between two cursors', async () => {
    const { edges } = await page('first: 6', supplier.apiKey);
    const between = await page(
      `first: 10, after: "${edges[1]?.cursor}", before: "${edges[4]?.cursor}"`,
      supplier.apiKey,
    );
    expect(between.edges.map((edge) => edge.node.id)).toEqual(edges.slice(2, 4).map((edge) => edge.node.id));
  });

  it.each([
    ['a cursor that is not base64 JSON', 'after: "not a cursor"', 'invalid cursor'],
    [
      'a cursor of the wrong shape',
      `after: "${Buffer.from('["x"]').toString('base64url')}"`,
      'invalid cursor',
    ],
    [
      'a before cursor with a bad id',
      `before: "${Buffer.from('["2026-01-01T00:00:00.000Z","x"]').toString('base64url')}"`,
      'invalid cursor',
    ],
    ['first: 101', 'first: 101', 'page size must be between 0 and 100'],
    ['last: 101', 'last: 101', 'page size must be between 0 and 100'],
    ['first: -1', 'first: -1', 'page size must be between 0 and 100'],
  ])('rejects %s', async (_label, args, message) => {
    const answer = await ledger.gql(`{ events(${args}) { edges { node { id } } } }`, {}, supplier.apiKey);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('accepts first: 100', async () => {
    const answer = await ledger.gql('{ events(first: 100) { edges { node { id } } } }', {}, supplier.apiKey);
    expect(answer.data.events.edges).toHaveLength(6);
  });
});
