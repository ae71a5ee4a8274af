import { beforeAll, describe, expect, it } from 'vitest';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

const createMutation = `mutation ($partyId: UUID, $label: String!, $idempotencyKey: String!) {
  createApiKey(partyId: $partyId, label: $label, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DomainError { code field message }
    ... on ApiKeyPayload { secret replayed apiKey { id label revokedAt } }
  }
}`;

const revokeMutation = `mutation ($apiKeyId: UUID!, $idempotencyKey: String!) {
  revokeApiKey(apiKeyId: $apiKeyId, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DomainError { code field message }
    ... on RevokeApiKeyPayload { replayed apiKey { id label revokedAt } }
  }
}`;

type Variables = Record<string, unknown>;

/** Table rows: each request in `requests`, made by `caller`, is rejected with `code` naming `field`. */
function rejects(
  code: string,
  field: string | null,
  caller: 'admin' | 'owner',
  requests: Record<string, () => Variables>,
) {
  return Object.entries(requests).map(
    ([label, variables]) => [label, code, field, caller, variables] as const,
  );
}

async function createKey(variables: Variables, apiKey?: string | null) {
  const answer = await ledger.gql(
    createMutation,
    { label: 'integration', idempotencyKey: freshKey('create'), ...variables },
    apiKey,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data.createApiKey;
}

async function revokeKey(variables: Variables, apiKey?: string | null) {
  const answer = await ledger.gql(
    revokeMutation,
    { idempotencyKey: freshKey('revoke'), ...variables },
    apiKey,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data.revokeApiKey;
}

async function whoIs(secret: string) {
  return ledger.gql('{ me { id } }', {}, secret);
}

describe('createApiKey', () => {
  it("creates a key for the caller's own party whose secret authenticates", async () => {
    const supplier = await ledger.newParty(['supplier']);
    const result = await createKey({ label: 'erp connector' }, supplier.apiKey);
    expect(result).toMatchObject({
      __typename: 'ApiKeyPayload',
      replayed: false,
      apiKey: { label: 'erp connector', revokedAt: null },
    });
    expect(result.secret).toMatch(/^tp_[A-Za-z0-9_-]{43}$/);
    const me = await whoIs(result.secret);
    expect(me).toMatchObject({ status: 200, data: { me: { id: supplier.party.id } } });
  });

  it('lets an administrator create a key for another party', async () => {
    const lender = await ledger.newParty(['lender']);
    const result = await createKey({ partyId: lender.party.id });
    expect((await whoIs(result.secret)).data.me.id).toBe(lender.party.id);
  });

  it('returns the same key without its secret for a replay, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const variables = { label: 'replayed', idempotencyKey: freshKey() };
    const first = await createKey(variables, supplier.apiKey);
    const before = await ledger.snapshot();
    const replay = await createKey(variables, supplier.apiKey);
    expect(replay).toEqual({ ...first, secret: null, replayed: true });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('accepts a label of 100 characters', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const result = await createKey({ label: 'L'.repeat(100) }, supplier.apiKey);
    expect(result.apiKey.label).toBe('L'.repeat(100));
  });

  describe('rejections', () => {
    let owner: TestParty;
    let other: TestParty;
    let usedIdempotencyKey: string;
    beforeAll(async () => {
      owner = await ledger.newParty(['supplier']);
      other = await ledger.newParty(['supplier']);
      usedIdempotencyKey = freshKey();
      await createKey({ label: 'first', idempotencyKey: usedIdempotencyKey }, owner.apiKey);
    });

    const unknownParty = '00000000-0000-4000-8000-000000000000';
    const cases = [
      ...rejects('INVALID_INPUT', 'label', 'owner', {
        'an empty label': () => ({ label: '' }),
        'a 101-character label': () => ({ label: 'L'.repeat(101) }),
        'a label with a leading space': () => ({ label: ' erp' }),
        'a label with a trailing space': () => ({ label: 'erp ' }),
      }),
      ...rejects('INVALID_INPUT', 'idempotencyKey', 'owner', {
        'an empty idempotency key': () => ({ idempotencyKey: '' }),
        'an idempotency key of 129 characters': () => ({ idempotencyKey: 'k'.repeat(129) }),
      }),
      ...rejects('IDEMPOTENCY_KEY_REUSED', 'idempotencyKey', 'owner', {
        'a used idempotency key with another label': () => ({
          label: 'second',
          idempotencyKey: usedIdempotencyKey,
        }),
      }),
      ...rejects('FORBIDDEN', null, 'owner', {
        "another party's id": () => ({ partyId: other.party.id }),
        'an unknown party id': () => ({ partyId: unknownParty }),
      }),
      ...rejects('PARTY_NOT_FOUND', 'partyId', 'admin', {
        'an unknown party id, as administrator': () => ({ partyId: unknownParty }),
      }),
    ];

    it.each(cases)('rejects %s with %s, writing nothing', async (_label, code, field, caller, variables) => {
      const before = await ledger.snapshot();
      const result = await createKey(variables(), caller === 'admin' ? undefined : owner.apiKey);
      expect(result).toMatchObject({ __typename: 'DomainError', code, field });
      expect(await ledger.snapshot()).toBe(before);
    });
  });
});

describe('revokeApiKey', () => {
  it('revokes a key so that it no longer authenticates, leaving the others working', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({ label: 'to revoke' }, supplier.apiKey);
    const result = await revokeKey({ apiKeyId: created.apiKey.id }, supplier.apiKey);
    expect(result).toMatchObject({
      __typename: 'RevokeApiKeyPayload',
      replayed: false,
      apiKey: { id: created.apiKey.id, label: 'to revoke' },
    });
    expect(Date.parse(result.apiKey.revokedAt)).not.toBeNaN();
    const rejected = await whoIs(created.secret);
    expect(rejected.status).toBe(401);
    expect(rejected.data).toBeUndefined();
    expect(rejected.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await whoIs(supplier.apiKey)).data.me.id).toBe(supplier.party.id);
  });

  it('lets a party revoke the very key it calls with', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const keys = await ledger.gql('{ me { apiKeys { id } } }', {}, supplier.apiKey);
    await revokeKey({ apiKeyId: keys.data.me.apiKeys[0].id }, supplier.apiKey);
    expect((await whoIs(supplier.apiKey)).status).toBe(401);
  });

  it("lets an administrator revoke any party's key", async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({}, supplier.apiKey);
    expect(await revokeKey({ apiKeyId: created.apiKey.id })).toMatchObject({ replayed: false });
    expect((await whoIs(created.secret)).status).toBe(401);
  });

  it('returns the revoked key with replayed: true for a replay, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({}, supplier.apiKey);
    const variables = { apiKeyId: created.apiKey.id, idempotencyKey: freshKey() };
    const first = await revokeKey(variables, supplier.apiKey);
    const before = await ledger.snapshot();
    expect(await revokeKey(variables, supplier.apiKey)).toEqual({ ...first, replayed: true });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('rejects revoking a key twice with api_key_already_revoked, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({}, supplier.apiKey);
    await revokeKey({ apiKeyId: created.apiKey.id }, supplier.apiKey);
    const before = await ledger.snapshot();
    const again = await revokeKey({ apiKeyId: created.apiKey.id }, supplier.apiKey);
    expect(again).toMatchObject({ code: 'API_KEY_ALREADY_REVOKED', field: 'apiKeyId' });
    expect(await ledger.snapshot()).toBe(before);
  });

  it.each([
    ["another party's key", true],
    ['an unknown key', false],
  ])('rejects %s as a non-administrator with api_key_not_found, writing nothing', async (_label, exists) => {
    const [owner, caller] = [await ledger.newParty(['supplier']), await ledger.newParty(['supplier'])];
    const created = await createKey({ label: 'kept' }, owner.apiKey);
    const apiKeyId = exists ? created.apiKey.id : '00000000-0000-4000-8000-000000000000';
    const before = await ledger.snapshot();
    const result = await revokeKey({ apiKeyId }, caller.apiKey);
    expect(result).toMatchObject({ __typename: 'DomainError', code: 'API_KEY_NOT_FOUND', field: 'apiKeyId' });
    expect(await ledger.snapshot()).toBe(before);
    expect((await whoIs(created.secret)).data.me.id).toBe(owner.party.id);
  });

  it('rejects an empty idempotency key, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({}, supplier.apiKey);
    const before = await ledger.snapshot();
    const result = await revokeKey({ apiKeyId: created.apiKey.id, idempotencyKey: '' }, supplier.apiKey);
    expect(result).toMatchObject({ code: 'INVALID_INPUT', field: 'idempotencyKey' });
    expect(await ledger.snapshot()).toBe(before);
  });
});

describe('Party.apiKeys', () => {
  const query = 'query ($id: UUID!) { party(id: $id) { id apiKeys { id label revokedAt } } }';

  it('lists labels, never secrets, to the party itself', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const created = await createKey({ label: 'second' }, supplier.apiKey);
    const answer = await ledger.gql(query, { id: supplier.party.id }, supplier.apiKey);
    expect(answer.data.party.apiKeys.map((key: { label: string }) => key.label)).toEqual(['test', 'second']);
    expect(answer.data.party.apiKeys[1]).toEqual({ id: created.apiKey.id, label: 'second', revokedAt: null });
    const text = JSON.stringify(answer);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(supplier.apiKey);
  });

  it('lists them to an administrator', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const answer = await ledger.gql(query, { id: supplier.party.id });
    expect(answer.data.party.apiKeys).toEqual([expect.objectContaining({ label: 'test' })]);
  });

  it('is null for a caller who does not manage the party', async () => {
    const [owner, stranger] = [await ledger.newParty(['supplier']), await ledger.newParty(['auditor'])];
    const answer = await ledger.gql(query, { id: owner.party.id }, stranger.apiKey);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.party).toEqual({ id: owner.party.id, apiKeys: null });
  });

  it('has no field that could hold a secret', async () => {
    const answer = await ledger.gql('{ me { apiKeys { secret } } }');
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.message).toContain('Cannot query field "secret" on type "ApiKey"');
  });
});
