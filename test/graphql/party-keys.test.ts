import { beforeAll, describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import { freshKey, freshUscc } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

const addMutation = `mutation ($partyId: UUID!, $publicKey: HexBytes, $custodial: Boolean, $proofOfPossession: HexBytes,
    $currentKeySignature: HexBytes, $idempotencyKey: String!) {
  addPartyKey(partyId: $partyId, publicKey: $publicKey, custodial: $custodial, proofOfPossession: $proofOfPossession,
      currentKeySignature: $currentKeySignature, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DomainError { code field message }
    ... on PartyKeyPayload { replayed key { keyId publicKey status custodial authorization retiredAt } }
  }
}`;

const prepareMutation = `mutation ($partyId: UUID!, $publicKey: HexBytes, $custodial: Boolean) {
  preparePartyKeyAddition(partyId: $partyId, publicKey: $publicKey, custodial: $custodial) {
    __typename
    ... on DomainError { code field message }
    ... on PreparedKeyAddition {
      statement statementHash previousKeyId currentKeySignatureRequired proofOfPossessionRequired recoveryRequired
    }
  }
}`;

const revokeMutation = `mutation ($keyId: String!, $idempotencyKey: String!) {
  revokePartyKey(keyId: $keyId, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DomainError { code field message }
    ... on PartyKeyPayload { replayed key { keyId status retiredAt } }
  }
}`;

type Variables = Record<string, unknown>;

function freshPublicKey(): string {
  return generateKeyPair().publicKey.toString('hex');
}

function activeKeyId(party: TestParty): string {
  if (!party.keyPair) throw new Error('test setup: a party with its own key pair expected');
  return keyIdOf(party.keyPair.publicKey);
}

type Caller = 'admin' | 'owner' | 'revoked';

/** Table rows: each request in `requests`, made by `caller`, is rejected with `code` naming `field`. */
function rejects(
  code: string,
  field: string | null,
  caller: Caller,
  requests: Record<string, () => Variables>,
) {
  return Object.entries(requests).map(
    ([label, variables]) => [label, code, field, caller, variables] as const,
  );
}

async function addKey(variables: Variables, apiKey?: string | null) {
  const answer = await ledger.gql(addMutation, { idempotencyKey: freshKey('add'), ...variables }, apiKey);
  expect(answer.errors).toBeUndefined();
  return answer.data.addPartyKey;
}

async function revokeKey(variables: Variables, apiKey?: string | null) {
  const answer = await ledger.gql(
    revokeMutation,
    { idempotencyKey: freshKey('revoke'), ...variables },
    apiKey,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data.revokePartyKey;
}

async function prepare(variables: Variables, apiKey?: string | null) {
  const answer = await ledger.gql(prepareMutation, variables, apiKey);
  expect(answer.errors).toBeUndefined();
  return answer.data.preparePartyKeyAddition;
}

/**
 * addPartyKey variables for `party` as its key holders make them: prepared as `apiKey`, signed by the
 * current key (`current`) and the new self-held key (`next`; a custodial key when null).
 */
async function signedVariables(
  party: TestParty,
  signers: { current: Ed25519KeyPair | null; next: Ed25519KeyPair | null },
  apiKey: string | null = party.apiKey,
): Promise<Variables> {
  const choice = signers.next
    ? { partyId: party.party.id, publicKey: toHex(signers.next.publicKey) }
    : { partyId: party.party.id, custodial: true };
  const prepared = await prepare(choice, apiKey);
  expect(prepared.__typename).toBe('PreparedKeyAddition');
  const hash = Buffer.from(prepared.statementHash, 'hex');
  return {
    ...choice,
    ...(signers.next ? { proofOfPossession: toHex(sign(signers.next.privateKey, hash)) } : {}),
    ...(signers.current ? { currentKeySignature: toHex(sign(signers.current.privateKey, hash)) } : {}),
  };
}

function ownKeyPair(party: TestParty): Ed25519KeyPair {
  return party.keyPair ?? expect.fail('test setup: a party with its own key pair expected');
}

async function keysOf(party: TestParty): Promise<Array<{ keyId: string; status: string }>> {
  const answer = await ledger.gql('{ me { keys { keyId status } } }', {}, party.apiKey);
  return answer.data.me.keys;
}

describe('addPartyKey', () => {
  it('makes the new key active and the previous one rotated, when the previous key signs', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const next = generateKeyPair();
    const publicKey = toHex(next.publicKey);
    const variables = await signedVariables(supplier, { current: ownKeyPair(supplier), next });
    const result = await addKey(variables, supplier.apiKey);
    const keyId = keyIdOf(next.publicKey);
    expect(result).toEqual({
      __typename: 'PartyKeyPayload',
      replayed: false,
      key: {
        keyId,
        publicKey,
        status: 'ACTIVE',
        custodial: false,
        authorization: 'ROTATED_BY_PREVIOUS_KEY',
        retiredAt: null,
      },
    });
    expect(await keysOf(supplier)).toEqual([
      { keyId: activeKeyId(supplier), status: 'ROTATED' },
      { keyId, status: 'ACTIVE' },
    ]);
  });

  it('adds a custodial key when the previous key signs, rotating the previous one', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const variables = await signedVariables(supplier, { current: ownKeyPair(supplier), next: null });
    const result = await addKey(variables, supplier.apiKey);
    expect(result.key).toMatchObject({
      status: 'ACTIVE',
      custodial: true,
      authorization: 'ROTATED_BY_PREVIOUS_KEY',
    });
    expect(await keysOf(supplier)).toEqual([
      { keyId: activeKeyId(supplier), status: 'ROTATED' },
      { keyId: result.key.keyId, status: 'ACTIVE' },
    ]);
  });

  it("lets an administrator add a key to a custodial party's registry by API key alone", async () => {
    const lender = await ledger.newParty(['lender'], { custodial: true });
    const variables = await signedVariables(lender, { current: null, next: generateKeyPair() }, undefined);
    const result = await addKey(variables);
    expect(result).toMatchObject({
      __typename: 'PartyKeyPayload',
      key: { status: 'ACTIVE', authorization: 'API_KEY' },
    });
    expect((await keysOf(lender)).map((key) => key.status)).toEqual(['ROTATED', 'ACTIVE']);
  });

  it('returns the same key with replayed: true for a replay, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const signers = { current: ownKeyPair(supplier), next: generateKeyPair() };
    const variables = { ...(await signedVariables(supplier, signers)), idempotencyKey: freshKey() };
    const first = await addKey(variables, supplier.apiKey);
    const before = await ledger.snapshot();
    const replay = await addKey(variables, supplier.apiKey);
    expect(replay).toEqual({ ...first, replayed: true });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('rejects the same idempotency key for another key, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const next = generateKeyPair();
    const variables = {
      ...(await signedVariables(supplier, { current: ownKeyPair(supplier), next })),
      idempotencyKey: freshKey(),
    };
    await addKey(variables, supplier.apiKey);
    const before = await ledger.snapshot();
    const other = await signedVariables(supplier, { current: next, next: generateKeyPair() });
    const result = await addKey({ ...other, idempotencyKey: variables.idempotencyKey }, supplier.apiKey);
    expect(result).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await ledger.snapshot()).toBe(before);
  });

  describe('rejections', () => {
    let owner: TestParty;
    let other: TestParty;
    beforeAll(async () => {
      owner = await ledger.newParty(['supplier']);
      other = await ledger.newParty(['supplier']);
    });
    // Signatures that would not verify: these requests are refused before any is checked.
    const unverified = { proofOfPossession: '00'.repeat(64), currentKeySignature: '00'.repeat(64) };
    const own = (extra: Variables) => () => ({ partyId: owner.party.id, ...extra });
    const unknownParty = '00000000-0000-4000-8000-000000000000';

    const keyOf = (party: () => TestParty) => () => ({
      partyId: owner.party.id,
      publicKey: party().keyPair?.publicKey.toString('hex'),
      ...unverified,
    });
    const cases = [
      ...rejects('INVALID_INPUT', 'publicKey', 'owner', {
        'neither a public key nor custodial': own({}),
        'custodial: false and no public key': own({ custodial: false }),
        'both a public key and custodial': own({ custodial: true, publicKey: freshPublicKey() }),
      }),
      ...rejects('PUBLIC_KEY_INVALID', 'publicKey', 'owner', {
        'a 31-byte public key': own({ publicKey: '11'.repeat(31), ...unverified }),
        'a small-order public key': own({ publicKey: '00'.repeat(32), ...unverified }),
        'a public key that is not a curve point': own({ publicKey: `02${'00'.repeat(31)}`, ...unverified }),
      }),
      ...rejects('PROOF_OF_POSSESSION_REQUIRED', 'proofOfPossession', 'owner', {
        'a public key without proofOfPossession': own({ publicKey: freshPublicKey() }),
      }),
      ...rejects('INVALID_INPUT', 'proofOfPossession', 'owner', {
        'a custodial key with proofOfPossession': own({
          custodial: true,
          proofOfPossession: '00'.repeat(64),
        }),
      }),
      ...rejects('KEY_ALREADY_REGISTERED', 'publicKey', 'owner', {
        "the party's own active key": keyOf(() => owner),
        "another party's key": keyOf(() => other),
      }),
      ...rejects('INVALID_INPUT', 'idempotencyKey', 'owner', {
        'an empty idempotency key': own({ publicKey: freshPublicKey(), idempotencyKey: '' }),
      }),
      ...rejects('PARTY_NOT_FOUND', 'partyId', 'admin', {
        'an unknown party, as administrator': () => ({
          partyId: unknownParty,
          publicKey: freshPublicKey(),
          ...unverified,
        }),
      }),
      ...rejects('FORBIDDEN', null, 'owner', {
        "another party's id, as a non-administrator": () => ({ partyId: other.party.id, custodial: true }),
        'an unknown party, as a non-administrator': () => ({ partyId: unknownParty, custodial: true }),
      }),
    ];

    it.each(cases)('rejects %s with %s, writing nothing', async (_label, code, field, caller, variables) => {
      const before = await ledger.snapshot();
      const result = await addKey(variables(), caller === 'admin' ? undefined : owner.apiKey);
      expect(result).toMatchObject({ __typename: 'DomainError', code, field });
      expect(await ledger.snapshot()).toBe(before);
    });
  });
});

describe('revokePartyKey', () => {
  it('revokes its own key', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const keyId = activeKeyId(supplier);
    const result = await revokeKey({ keyId }, supplier.apiKey);
    expect(result).toMatchObject({
      __typename: 'PartyKeyPayload',
      replayed: false,
      key: { keyId, status: 'REVOKED' },
    });
    expect(Date.parse(result.key.retiredAt)).not.toBeNaN();
    expect(await keysOf(supplier)).toEqual([{ keyId, status: 'REVOKED' }]);
  });

  it('revokes a rotated key, leaving the active one alone', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const signers = { current: ownKeyPair(supplier), next: generateKeyPair() };
    const added = await addKey(await signedVariables(supplier, signers), supplier.apiKey);
    await revokeKey({ keyId: activeKeyId(supplier) }, supplier.apiKey);
    expect(await keysOf(supplier)).toEqual([
      { keyId: activeKeyId(supplier), status: 'REVOKED' },
      { keyId: added.key.keyId, status: 'ACTIVE' },
    ]);
  });

  it('returns the revoked key with replayed: true for a replay, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const variables = { keyId: activeKeyId(supplier), idempotencyKey: freshKey() };
    const first = await revokeKey(variables, supplier.apiKey);
    const before = await ledger.snapshot();
    expect(await revokeKey(variables, supplier.apiKey)).toEqual({ ...first, replayed: true });
    expect(await ledger.snapshot()).toBe(before);
  });

  it("lets an administrator revoke any party's key", async () => {
    const supplier = await ledger.newParty(['supplier']);
    const result = await revokeKey({ keyId: activeKeyId(supplier) });
    expect(result).toMatchObject({ key: { keyId: activeKeyId(supplier), status: 'REVOKED' } });
    expect(await keysOf(supplier)).toEqual([{ keyId: activeKeyId(supplier), status: 'REVOKED' }]);
  });

  describe('rejections', () => {
    let owner: TestParty;
    let other: TestParty;
    let revoked: TestParty;
    let platformKeyId: string;
    let usedIdempotencyKey: string;
    beforeAll(async () => {
      owner = await ledger.newParty(['supplier']);
      other = await ledger.newParty(['supplier']);
      revoked = await ledger.newParty(['supplier']);
      usedIdempotencyKey = freshKey();
      await revokeKey({ keyId: activeKeyId(revoked), idempotencyKey: usedIdempotencyKey }, revoked.apiKey);
      const me = await ledger.gql('{ me { keys { keyId status } } }');
      platformKeyId = me.data.me.keys.find((key: { status: string }) => key.status === 'ACTIVE').keyId;
    });

    const key =
      (id: () => string, extra: Variables = {}) =>
      () => ({ keyId: id(), ...extra });
    const cases = [
      ...rejects('KEY_ALREADY_REVOKED', 'keyId', 'revoked', {
        'a key revoked already': key(() => activeKeyId(revoked)),
      }),
      ...rejects('KEY_NOT_FOUND', 'keyId', 'owner', {
        "another party's key, as a non-administrator": key(() => activeKeyId(other)),
        'an unknown key': key(() => 'ab'.repeat(32)),
      }),
      ...rejects('KEY_NOT_FOUND', 'keyId', 'admin', {
        'an unknown key, as administrator': key(() => 'ab'.repeat(32)),
      }),
      ...rejects('INVALID_INPUT', 'keyId', 'owner', {
        'a key id in uppercase hex': key(() => activeKeyId(owner).toUpperCase()),
        'a key id of 63 characters': key(() => activeKeyId(owner).slice(1)),
        'a key id that is not hex': key(() => 'zz'.repeat(32)),
        'an empty key id': key(() => ''),
      }),
      ...rejects('INVALID_INPUT', 'idempotencyKey', 'owner', {
        'an empty idempotency key': key(() => activeKeyId(owner), { idempotencyKey: '' }),
      }),
      ...rejects('IDEMPOTENCY_KEY_REUSED', 'idempotencyKey', 'revoked', {
        'a used idempotency key for another key': () => ({
          keyId: activeKeyId(owner),
          idempotencyKey: usedIdempotencyKey,
        }),
      }),
      ...rejects('FORBIDDEN', null, 'admin', {
        "the platform's own registry key": key(() => platformKeyId),
      }),
    ];

    it.each(cases)('rejects %s with %s, writing nothing', async (_label, code, field, caller, variables) => {
      const apiKey = { admin: undefined, owner: owner.apiKey, revoked: revoked.apiKey }[caller];
      const before = await ledger.snapshot();
      const result = await revokeKey(variables(), apiKey);
      expect(result).toMatchObject({ __typename: 'DomainError', code, field });
      expect(await ledger.snapshot()).toBe(before);
    });
  });
});

describe('a stolen API key of a self-signing party', () => {
  const thief = generateKeyPair();

  it('is told what the addition needs: the current key signature', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const prepared = await prepare({ partyId: supplier.party.id, custodial: true }, supplier.apiKey);
    expect(prepared).toMatchObject({
      __typename: 'PreparedKeyAddition',
      previousKeyId: activeKeyId(supplier),
      currentKeySignatureRequired: true,
      proofOfPossessionRequired: false,
      recoveryRequired: false,
    });
    expect(JSON.parse(prepared.statement)).toEqual({
      kind: 'party_key.addition',
      partyId: supplier.party.id,
      publicKey: null,
      custodial: true,
      previousKeyId: activeKeyId(supplier),
    });
  });

  it('prepares the same statement twice, writing nothing, and refuses another party', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const other = await ledger.newParty(['supplier']);
    const choice = { partyId: supplier.party.id, publicKey: freshPublicKey() };
    const before = await ledger.snapshot();
    const first = await prepare(choice, supplier.apiKey);
    expect(await prepare(choice, supplier.apiKey)).toEqual(first);
    expect(await prepare(choice, other.apiKey)).toMatchObject({
      __typename: 'DomainError',
      code: 'FORBIDDEN',
    });
    expect(await ledger.snapshot()).toBe(before);
  });

  it.each([
    ['rotate to its own key', { next: thief }, 'CURRENT_KEY_SIGNATURE_REQUIRED'],
    ['switch the party to a custodial key', { next: null }, 'CURRENT_KEY_SIGNATURE_REQUIRED'],
    [
      'rotate, signing with its own key as the current one',
      { next: thief, current: thief },
      'CURRENT_KEY_SIGNATURE_INVALID',
    ],
  ] as const)('cannot %s, writing nothing', async (_label, signers, code) => {
    const supplier = await ledger.newParty(['supplier']);
    const variables = await signedVariables(supplier, { current: null, ...signers });
    const before = await ledger.snapshot();
    const result = await addKey(variables, supplier.apiKey);
    expect(result).toMatchObject({ __typename: 'DomainError', code, field: 'currentKeySignature' });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('can revoke the key as an emergency stop, but then install none', async () => {
    const supplier = await ledger.newParty(['supplier']);
    await revokeKey({ keyId: activeKeyId(supplier) }, supplier.apiKey);
    const prepared = await prepare({ partyId: supplier.party.id, custodial: true }, supplier.apiKey);
    expect(prepared).toMatchObject({ currentKeySignatureRequired: false, recoveryRequired: true });
    for (const next of [thief, null]) {
      const variables = await signedVariables(supplier, { current: null, next });
      const before = await ledger.snapshot();
      const result = await addKey(variables, supplier.apiKey);
      expect(result).toMatchObject({
        __typename: 'DomainError',
        code: 'KEY_RECOVERY_REQUIRED',
        field: 'partyId',
      });
      expect(await ledger.snapshot()).toBe(before);
    }
  });

  it("cannot register the victim's public key to a party of its own", async () => {
    const victim = await ledger.newParty(['supplier']);
    const before = await ledger.snapshot();
    const answer = await ledger.gql(
      `mutation ($input: RegisterPartyInput!) { registerParty(input: $input) {
        ... on DomainError { code field } ... on PartyPayload { party { id } } } }`,
      {
        input: {
          legalName: 'Thief Trading Co',
          registrationId: freshUscc(),
          roles: ['SUPPLIER'],
          publicKey: toHex(ownKeyPair(victim).publicKey),
          proofOfPossession: toHex(sign(thief.privateKey, Buffer.alloc(32))),
          idempotencyKey: freshKey(),
        },
      },
    );
    expect(answer.data.registerParty).toEqual({ code: 'KEY_ALREADY_REGISTERED', field: 'publicKey' });
    expect(await ledger.snapshot()).toBe(before);
  });
});
