/**
 * Authentication is cached per process (services/parties/api-key-cache.ts), revocation is not: a
 * revoked key is refused on the very next request, by the process that cached it and by another
 * process on the same database that cached it too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../services/crypto/index.js';
import { cachedKey } from '../../services/parties/api-key-cache.js';
import { useTestDatabase } from '../support/database.js';
import { freshKey } from '../support/fixtures.js';
import { useTestLedger } from '../support/ledger.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';

const revokeMutation = `mutation ($apiKeyId: UUID!, $idempotencyKey: String!) {
  revokeApiKey(apiKeyId: $apiKeyId, idempotencyKey: $idempotencyKey) {
    __typename ... on DomainError { code }
  }
}`;
const createMutation = `mutation ($partyId: UUID, $idempotencyKey: String!) {
  createApiKey(partyId: $partyId, label: "revocable", idempotencyKey: $idempotencyKey) {
    __typename ... on ApiKeyPayload { secret apiKey { id } } ... on DomainError { code }
  }
}`;

describe('a cached API key in this process', () => {
  const ledger = useTestLedger();

  it('is refused on the request right after its revocation', async () => {
    const holder = await ledger.newParty(['supplier']);
    const created = await ledger.gql(createMutation, {
      partyId: holder.party.id,
      idempotencyKey: freshKey('key'),
    });
    const { secret, apiKey } = created.data.createApiKey;
    for (let request = 0; request < 2; request++) {
      const me = await ledger.gql('{ me { id } }', {}, secret);
      expect(me.data?.me.id).toBe(holder.party.id);
    }
    // The answers above came through the cache: what this test is about.
    expect(cachedKey(sha256(secret).toString('hex'))?.apiKeyId).toBe(apiKey.id);

    const revoked = await ledger.gql(revokeMutation, { apiKeyId: apiKey.id, idempotencyKey: freshKey('r') });
    expect(revoked.data.revokeApiKey.__typename).toBe('RevokeApiKeyPayload');
    const after = await ledger.gql('{ me { id } }', {}, secret);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(cachedKey(sha256(secret).toString('hex'))).toBeUndefined();
    // The holder's other key is untouched.
    expect((await ledger.gql('{ me { id } }', {}, holder.apiKey)).data?.me.id).toBe(holder.party.id);
  });
});

describe('a cached API key in two API processes on one database', { timeout: 180_000 }, () => {
  const database = useTestDatabase();
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await stopServerProcess(server);
  });

  async function post(server: ServerProcess, apiKey: string, query: string, variables = {}) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
    return { status: response.status, ...((await response.json()) as any) };
  }

  it('is refused by both on the request right after one of them revoked it', async () => {
    const adminApiKey = `tp_${randomBytes(32).toString('base64url')}`;
    const env = {
      DATABASE_URL: database.ownerUrl,
      APP_DATABASE_URL: database.appUrl,
      CUSTODY_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: adminApiKey,
      WEBHOOK_DELIVERY: 'false',
    };
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess({ ...env, ANCHORING: 'false' }));
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const created = await post(first, adminApiKey, createMutation, { idempotencyKey: freshKey('key') });
    const { secret, apiKey } = created.data.createApiKey;
    for (const server of [first, second, first, second]) {
      expect((await post(server, secret, '{ me { id } }')).data?.me.id).toBeTruthy();
    }

    const revoked = await post(first, adminApiKey, revokeMutation, {
      apiKeyId: apiKey.id,
      idempotencyKey: freshKey('r'),
    });
    expect(revoked.data.revokeApiKey.__typename).toBe('RevokeApiKeyPayload');
    for (const server of [second, first]) {
      const after = await post(server, secret, '{ me { id } }');
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
