/**
 * requestKeyRecovery / approveKeyRecovery over GraphQL: four eyes on real API keys, and the mark the
 * recovered key puts on every event it signs (Event.keyAuthorization, PartyKey.authorization).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import { appendSignedBy as appendSigned } from '../parties/key-support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

const prepareMutation = `mutation ($partyId: UUID!, $publicKey: HexBytes) {
  preparePartyKeyAddition(partyId: $partyId, publicKey: $publicKey) {
    ... on PreparedKeyAddition { statementHash recoveryRequired }
    ... on DomainError { code message }
  }
}`;

const requestMutation = `mutation ($partyId: UUID!, $publicKey: HexBytes, $proofOfPossession: HexBytes, $reason: String!,
    $idempotencyKey: String!) {
  requestKeyRecovery(partyId: $partyId, publicKey: $publicKey, proofOfPossession: $proofOfPossession, reason: $reason,
      idempotencyKey: $idempotencyKey) {
    __typename
    ... on KeyRecoveryRequestPayload { replayed request { id party { id } publicKey custodial reason statement } }
    ... on DomainError { code field message }
  }
}`;

const approveMutation = `mutation ($requestId: UUID!, $idempotencyKey: String!) {
  approveKeyRecovery(requestId: $requestId, idempotencyKey: $idempotencyKey) {
    __typename
    ... on PartyKeyPayload { replayed key { keyId status custodial authorization } }
    ... on DomainError { code field message }
  }
}`;

let secondAdminApiKey: string;

beforeAll(async () => {
  const created = await ledger.gql(
    `mutation ($key: String!) { createApiKey(label: "second administrator", idempotencyKey: $key) {
      ... on ApiKeyPayload { secret } } }`,
    { key: freshKey('admin') },
  );
  secondAdminApiKey = created.data.createApiKey.secret;
});

function ownKeyPair(party: TestParty): Ed25519KeyPair {
  return party.keyPair ?? expect.fail('test setup: a party with its own key pair expected');
}

async function call(mutation: string, variables: Record<string, unknown>, apiKey?: string) {
  const answer = await ledger.gql(mutation, variables, apiKey);
  expect(answer.errors).toBeUndefined();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  return Object.values(answer.data)[0] as Record<string, any>;
}

/**
 * A party that signed one event, then had its key revoked, and a recovery request (by the first
 * administrator API key) for a new key of its own.
 */
async function lostKeyRecovery() {
  const party = await ledger.newParty(['supplier']);
  const signedBefore = await appendSignedBy(party, ownKeyPair(party));
  const revoked = await call(
    'mutation ($keyId: String!, $key: String!) { revokePartyKey(keyId: $keyId, idempotencyKey: $key) { __typename } }',
    { keyId: keyIdOf(ownKeyPair(party).publicKey), key: freshKey() },
    party.apiKey,
  );
  expect(revoked.__typename).toBe('PartyKeyPayload');
  const next = generateKeyPair();
  const choice = { partyId: party.party.id, publicKey: toHex(next.publicKey) };
  const prepared = await call(prepareMutation, choice);
  expect(prepared.recoveryRequired).toBe(true);
  const proofOfPossession = toHex(sign(next.privateKey, Buffer.from(prepared.statementHash, 'hex')));
  const variables = {
    ...choice,
    proofOfPossession,
    reason: 'key lost; identity checked',
    idempotencyKey: freshKey(),
  };
  const requested = await call(requestMutation, variables);
  expect(requested.__typename).toBe('KeyRecoveryRequestPayload');
  return { party, next, signedBefore, requestId: requested.request.id as string, variables };
}

async function appendSignedBy(party: TestParty, keyPair: Ed25519KeyPair): Promise<string> {
  const appended = await appendSigned(ledger.ledger, party.party.id, keyPair);
  if (!appended.ok) expect.fail(`append: ${appended.code}`);
  return appended.value.event.id;
}

describe('key recovery over GraphQL', () => {
  it('installs the key on approval by a second administrator API key and marks what it signs', async () => {
    const { party, next, signedBefore, requestId, variables } = await lostKeyRecovery();
    const approved = await call(
      approveMutation,
      { requestId, idempotencyKey: freshKey() },
      secondAdminApiKey,
    );
    expect(approved).toEqual({
      __typename: 'PartyKeyPayload',
      replayed: false,
      key: {
        keyId: keyIdOf(next.publicKey),
        status: 'ACTIVE',
        custodial: false,
        authorization: 'ADMINISTRATOR_RECOVERY',
      },
    });
    const after = await appendSignedBy(party, next);
    const events = await ledger.gql(
      '{ events(last: 100) { edges { node { id keyAuthorization } } } }',
      {},
      party.apiKey,
    );
    const marks = new Map(
      events.data.events.edges.map((edge: { node: { id: string; keyAuthorization: string } }) => [
        edge.node.id,
        edge.node.keyAuthorization,
      ]),
    );
    expect(marks.get(signedBefore)).toBe('REGISTERED');
    expect(marks.get(after)).toBe('ADMINISTRATOR_RECOVERY');
    // A replay of the request answers the same request and writes nothing.
    const snapshot = await ledger.snapshot();
    expect(await call(requestMutation, variables)).toMatchObject({
      replayed: true,
      request: { id: requestId },
    });
    expect(await ledger.snapshot()).toBe(snapshot);
  });

  it('refuses the requesting API key and a non-administrator as approvers, writing nothing', async () => {
    const { party, requestId } = await lostKeyRecovery();
    for (const apiKey of [undefined, party.apiKey]) {
      const before = await ledger.snapshot();
      const refused = await call(approveMutation, { requestId, idempotencyKey: freshKey() }, apiKey);
      expect(refused).toMatchObject({ __typename: 'DomainError', code: 'FORBIDDEN' });
      expect(await ledger.snapshot()).toBe(before);
    }
  });
});
