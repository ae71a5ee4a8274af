import { beforeAll, describe, expect, it } from 'vitest';
import { registrationProof } from '../../scripts/client/key-proofs.js';
import { generateKeyPair, keyIdOf, sign } from '../../services/crypto/index.js';
import { registrationStatement } from '../../services/parties/key-statement.js';
import { freshKey, freshLei, freshUscc } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

const registerMutation = `mutation ($input: RegisterPartyInput!) {
  registerParty(input: $input) {
    __typename
    ... on DomainError { code field message retryable }
    ... on PartyPayload {
      replayed
      party {
        id legalName registrationScheme registrationId roles
        parent { id }
        keys { keyId publicKey status custodial }
      }
    }
  }
}`;

const partiesPage = `query ($after: String) {
  parties(first: 3, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } }
}`;

interface PartiesConnection {
  edges: { node: { id: string } }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

type Input = Record<string, unknown>;

function validInput(overrides: Input = {}): Input {
  return {
    legalName: `Acme Trading ${freshKey()}`,
    registrationId: freshUscc(),
    roles: ['SUPPLIER'],
    idempotencyKey: freshKey('register'),
    ...overrides,
  };
}

async function register(input: Input, apiKey?: string | null) {
  const answer = await ledger.gql(registerMutation, { input }, apiKey);
  expect(answer.errors).toBeUndefined();
  return answer.data.registerParty;
}

function freshPublicKey(): string {
  return generateKeyPair().publicKey.toString('hex');
}

/** A registration with a fresh key of the registrant's own and its proof of possession. */
function ownKeyInput(overrides: Input = {}): Input {
  const input = validInput(overrides);
  const { publicKey, proofOfPossession } = registrationProof(
    generateKeyPair().privateKey,
    String(input.registrationId),
  );
  return { ...input, publicKey, proofOfPossession };
}

/** Table rows: every input in `inputs` is rejected with `code`, naming `field`. */
function rejects(code: string, field: string, inputs: Record<string, () => Input>) {
  return Object.entries(inputs).map(([label, overrides]) => [label, code, field, overrides] as const);
}

/** A registration id of the same scheme whose check character(s) are wrong. */
function withWrongCheck(id: string): string {
  if (id.length === 20) {
    const digits = (Number(id.slice(18)) + 1) % 100;
    return `${id.slice(0, 18)}${String(digits).padStart(2, '0')}`;
  }
  return `${id.slice(0, 17)}${id.endsWith('A') ? 'B' : 'A'}`;
}

describe('registerParty', () => {
  it('registers a party by USCC with no key', async () => {
    const input = validInput({ roles: ['SUPPLIER', 'LOGISTICS'] });
    const result = await register(input);
    expect(result).toMatchObject({
      __typename: 'PartyPayload',
      replayed: false,
      party: {
        legalName: input.legalName,
        registrationScheme: 'USCC',
        registrationId: input.registrationId,
        roles: ['SUPPLIER', 'LOGISTICS'],
        parent: null,
        keys: [],
      },
    });
    expect(result.party.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('registers a party by LEI, normalising it to uppercase', async () => {
    const lei = freshLei();
    const result = await register(
      validInput({ registrationId: ` ${lei.toLowerCase()} `, roles: ['LENDER'] }),
    );
    expect(result.party).toMatchObject({ registrationScheme: 'LEI', registrationId: lei, roles: ['LENDER'] });
  });

  it('registers a party with its own public key as the active key', async () => {
    const input = ownKeyInput();
    const publicKey = Buffer.from(String(input.publicKey), 'hex');
    const result = await register(input);
    expect(result.party.keys).toEqual([
      { keyId: keyIdOf(publicKey), publicKey: publicKey.toString('hex'), status: 'ACTIVE', custodial: false },
    ]);
  });

  it('accepts a proof over the normalized registration id when the input is in lowercase', async () => {
    const lei = freshLei();
    const proof = registrationProof(generateKeyPair().privateKey, lei);
    const result = await register(
      validInput({
        registrationId: lei.toLowerCase(),
        publicKey: proof.publicKey,
        proofOfPossession: proof.proofOfPossession,
      }),
    );
    expect(result).toMatchObject({ __typename: 'PartyPayload', party: { registrationId: lei } });
  });

  it('records the registration statement and its proof in party.registered', async () => {
    const input = ownKeyInput();
    const { party } = await register(input);
    const row = await ledger.owner.db
      .selectFrom('event')
      .select('payload')
      .where('kind', '=', 'party.registered')
      .where('counterparty_party_id', '=', party.id)
      .executeTakeFirstOrThrow();
    const { statement } = registrationStatement(String(input.registrationId), String(input.publicKey));
    expect((row.payload as { key: unknown }).key).toMatchObject({
      publicKey: input.publicKey,
      custodial: false,
      statement,
      proofOfPossession: input.proofOfPossession,
    });
  });

  it('registers a party with a custodial key the platform holds', async () => {
    const result = await register(validInput({ custodialKey: true }));
    expect(result.party.keys).toHaveLength(1);
    expect(result.party.keys[0]).toMatchObject({ status: 'ACTIVE', custodial: true });
    expect(result.party.keys[0].publicKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('registers a subsidiary under an existing parent', async () => {
    const parent = await ledger.newParty(['core_enterprise']);
    const result = await register(validInput({ parentPartyId: parent.party.id }));
    expect(result.party.parent).toEqual({ id: parent.party.id });
  });

  it('shows the new party through party(id:) and in parties', async () => {
    const input = validInput();
    const { party } = await register(input);
    const found = await ledger.gql('query ($id: UUID!) { party(id: $id) { id legalName registrationId } }', {
      id: party.id,
    });
    expect(found.data.party).toEqual({
      id: party.id,
      legalName: input.legalName,
      registrationId: input.registrationId,
    });
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const answer = await ledger.gql(partiesPage, { after });
      const { edges, pageInfo }: PartiesConnection = answer.data.parties;
      ids.push(...edges.map((edge) => edge.node.id));
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after !== null);
    expect(ids).toContain(party.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('returns the first party with replayed: true for a replay, writing nothing', async () => {
    const input = ownKeyInput();
    const first = await register(input);
    const before = await ledger.snapshot();
    const replay = await register(input);
    expect(replay).toMatchObject({
      __typename: 'PartyPayload',
      replayed: true,
      party: { id: first.party.id },
    });
    expect(replay.party).toEqual(first.party);
    expect(await ledger.snapshot()).toBe(before);
  });

  it('rejects the same idempotency key with a different input, writing nothing', async () => {
    const input = validInput();
    await register(input);
    const before = await ledger.snapshot();
    const result = await register({ ...input, legalName: `${input.legalName} Ltd` });
    expect(result).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'idempotencyKey',
      retryable: false,
    });
    expect(await ledger.snapshot()).toBe(before);
  });
});

describe('registerParty rejections', () => {
  let existing: TestParty;
  let existingLei: string;
  beforeAll(async () => {
    existing = await ledger.newParty(['supplier']);
    existingLei = freshLei();
    await register(validInput({ registrationId: existingLei }));
  });

  const id = (value: () => string) => () => ({ registrationId: value() });
  const anyProof = '00'.repeat(64);
  const key = (value: () => string | undefined) => () => ({
    publicKey: value(),
    proofOfPossession: anyProof,
  });
  const otherKey = () => existing.keyPair?.publicKey.toString('hex') ?? '';
  const victim = generateKeyPair();
  /** The victim's key, with a proof its holder made: for `registrationId` if given, else for the thief's. */
  const victimKey = (signedFor?: () => string) => () => {
    const input = validInput();
    const statementId = signedFor ? signedFor() : String(input.registrationId);
    const { statementHash } = registrationStatement(statementId, victim.publicKey.toString('hex'));
    const signer = signedFor ? victim : generateKeyPair();
    return {
      registrationId: input.registrationId,
      publicKey: victim.publicKey.toString('hex'),
      proofOfPossession: sign(signer.privateKey, statementHash).toString('hex'),
    };
  };
  const cases = [
    ...rejects('REGISTRATION_ID_CHECK_FAILED', 'registrationId', {
      'a USCC with a wrong check character': id(() => withWrongCheck(freshUscc())),
      'an LEI with wrong check digits': id(() => withWrongCheck(freshLei())),
    }),
    ...rejects('REGISTRATION_ID_INVALID_FORMAT', 'registrationId', {
      'a 17-character id': id(() => freshUscc().slice(0, 17)),
      'a 19-character id': id(() => `${freshUscc()}0`),
      'a USCC with the letter I': id(() => `${freshUscc().slice(0, 8)}I${freshUscc().slice(9)}`),
      'a USCC with the letter O': id(() => `${freshUscc().slice(0, 8)}O${freshUscc().slice(9)}`),
      'an id with a hyphen': id(() => `${freshUscc().slice(0, 17)}-`),
      'an empty id': id(() => ''),
    }),
    ...rejects('REGISTRATION_ID_TAKEN', 'registrationId', {
      'a USCC registered already': id(() => existing.party.registrationId),
      'a USCC registered already, in lowercase': id(() => existing.party.registrationId.toLowerCase()),
      'an LEI registered already': id(() => existingLei),
    }),
    ...rejects('INVALID_INPUT', 'roles', {
      'empty roles': () => ({ roles: [] }),
      'duplicate roles': () => ({ roles: ['SUPPLIER', 'LENDER', 'SUPPLIER'] }),
    }),
    ...rejects('PARENT_PARTY_NOT_FOUND', 'parentPartyId', {
      'an unknown parent': () => ({ parentPartyId: '00000000-0000-4000-8000-000000000000' }),
    }),
    ...rejects('PUBLIC_KEY_INVALID', 'publicKey', {
      'a 31-byte public key': key(() => '11'.repeat(31)),
      'a 33-byte public key': key(() => '11'.repeat(33)),
      'an empty public key': key(() => ''),
      'the all-zero small-order point': key(() => '00'.repeat(32)),
      'the identity point': key(() => `01${'00'.repeat(31)}`),
      'the identity point with the sign bit set': key(() => `01${'00'.repeat(30)}80`),
      'a mistyped key that is not a curve point': key(() => `02${'00'.repeat(31)}`),
      'a y coordinate that is not below p': key(() => `ef${'ff'.repeat(30)}7f`),
    }),
    ...rejects('INVALID_INPUT', 'custodialKey', {
      'both a public key and a custodial key': () => ({ publicKey: freshPublicKey(), custodialKey: true }),
    }),
    ...rejects('PROOF_OF_POSSESSION_REQUIRED', 'proofOfPossession', {
      'a public key without proofOfPossession': () => ({ publicKey: freshPublicKey() }),
    }),
    ...rejects('INVALID_INPUT', 'proofOfPossession', {
      'proofOfPossession without a public key': () => ({ proofOfPossession: anyProof }),
      'proofOfPossession with a custodial key': () => ({ custodialKey: true, proofOfPossession: anyProof }),
    }),
    ...rejects('PROOF_OF_POSSESSION_INVALID', 'proofOfPossession', {
      "a victim's public key, with a proof signed by another key": victimKey(),
      "a victim's public key, with the victim's proof for its own registration": victimKey(freshUscc),
      'a proof of 63 bytes': () => ({ publicKey: freshPublicKey(), proofOfPossession: '00'.repeat(63) }),
    }),
    ...rejects('KEY_ALREADY_REGISTERED', 'publicKey', {
      'a public key registered to another party': key(otherKey),
      'a public key registered already, in uppercase hex': key(() => otherKey().toUpperCase()),
    }),
    ...rejects('INVALID_INPUT', 'legalName', {
      'an empty legal name': () => ({ legalName: '' }),
      'a legal name with a leading space': () => ({ legalName: ' Acme' }),
      'a legal name with a trailing space': () => ({ legalName: 'Acme ' }),
      'a legal name of 301 characters': () => ({ legalName: 'A'.repeat(301) }),
    }),
    ...rejects('INVALID_INPUT', 'idempotencyKey', {
      'an empty idempotency key': () => ({ idempotencyKey: '' }),
      'an idempotency key of 129 characters': () => ({ idempotencyKey: 'k'.repeat(129) }),
      'an idempotency key with a control character': () => ({ idempotencyKey: 'key\n1' }),
    }),
  ];

  it.each(cases)('rejects %s with %s, writing nothing', async (_label, code, field, overrides) => {
    const before = await ledger.snapshot();
    const result = await register(validInput(overrides()));
    expect(result).toMatchObject({ __typename: 'DomainError', code, field, retryable: false });
    expect(result.message.length).toBeGreaterThan(0);
    expect(await ledger.snapshot()).toBe(before);
  });

  it('accepts the longest legal name and idempotency key', async () => {
    const result = await register(
      validInput({ legalName: 'A'.repeat(300), idempotencyKey: 'k'.repeat(128) }),
    );
    expect(result).toMatchObject({ __typename: 'PartyPayload', party: { legalName: 'A'.repeat(300) } });
  });

  it('rejects a supplier registering a party with forbidden, writing nothing', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const before = await ledger.snapshot();
    const result = await register(validInput(), supplier.apiKey);
    expect(result).toMatchObject({ __typename: 'DomainError', code: 'FORBIDDEN', field: null });
    expect(await ledger.snapshot()).toBe(before);
  });

  it.each([
    ['a parentPartyId that is not a UUID', { parentPartyId: 'not-a-uuid' }, 'UUID'],
    ['an uppercase parentPartyId', { parentPartyId: '00000000-0000-4000-A000-000000000000' }, 'UUID'],
    ['a publicKey that is not hex', { publicKey: 'zz'.repeat(32) }, 'is not hex'],
    ['a publicKey with an odd number of digits', { publicKey: '1'.repeat(63) }, 'odd number of hex digits'],
    ['an unknown role', { roles: ['banker'] }, 'PartyRole'],
    ['a missing idempotency key', { idempotencyKey: undefined }, 'idempotencyKey'],
  ])('rejects %s before the service runs, writing nothing', async (_label, overrides, mentioned) => {
    const before = await ledger.snapshot();
    const answer = await ledger.gql(registerMutation, { input: validInput(overrides) });
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.message).toContain(mentioned);
    expect(await ledger.snapshot()).toBe(before);
  });
});
