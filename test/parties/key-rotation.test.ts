import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Ed25519KeyPair,
  generateKeyPair,
  keyIdOf,
  sha256,
  verify,
} from '../../services/crypto/index.js';
import type { LedgerEvent } from '../../services/events/event.js';
import { findActiveKey, findKey } from '../../services/parties/party-key.repository.js';
import { addPartyKey, revokePartyKey } from '../../services/registry/party-key.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { addSigned, appendSignedBy as appendSigned, signedAddition } from './key-support.js';

const ledger = useTestLedger();

function appendSignedBy(partyId: string, keyPair: Ed25519KeyPair) {
  return appendSigned(ledger.ledger, partyId, keyPair);
}

async function eventSignedBy(partyId: string, keyPair: Ed25519KeyPair): Promise<LedgerEvent> {
  const result = await appendSignedBy(partyId, keyPair);
  if (!result.ok) throw new Error(`expected an event, got ${result.code}`);
  return result.value.event;
}

/** Verifies a stored event the way an auditor would: against the key its keyId names. */
async function verifiesAgainstItsKey(event: LedgerEvent): Promise<boolean> {
  const key = await findKey(ledger.owner.db, event.keyId);
  if (!key) return false;
  return (
    sha256(event.statement).equals(event.eventHash) && verify(key.publicKey, event.eventHash, event.signature)
  );
}

function ownKeyPair(party: TestParty): Ed25519KeyPair {
  if (!party.keyPair) throw new Error('test setup: party without a key pair');
  return party.keyPair;
}

/** A rotation as the party makes it: signed by its current key, with proof of the new one. */
function rotate(party: TestParty, keyPair: Ed25519KeyPair) {
  return addSigned(ledger.ledger, party.actor, party.party.id, { current: ownKeyPair(party), next: keyPair });
}

describe('key rotation', () => {
  let party: TestParty;
  let oldKeys: Ed25519KeyPair;
  const newKeys = generateKeyPair();
  let signedBeforeRotation: LedgerEvent;

  beforeAll(async () => {
    party = await ledger.newParty(['core_enterprise']);
    oldKeys = ownKeyPair(party);
    signedBeforeRotation = await eventSignedBy(party.party.id, oldKeys);
    const rotated = await rotate(party, newKeys);
    if (!rotated.ok) throw new Error(`test setup: ${rotated.code}`);
  });

  it('makes the new key active and marks the previous one rotated with a retirement time', async () => {
    const active = await findActiveKey(ledger.owner.db, party.party.id);
    expect(active?.keyId).toBe(keyIdOf(newKeys.publicKey));
    expect(active?.retiredAt).toBeNull();
    const previous = await findKey(ledger.owner.db, keyIdOf(oldKeys.publicKey));
    expect(previous?.status).toBe('rotated');
    expect(previous?.retiredAt).toBeInstanceOf(Date);
  });

  it('still verifies an event signed before the rotation against the key it names', async () => {
    expect(signedBeforeRotation.keyId).toBe(keyIdOf(oldKeys.publicKey));
    expect(await verifiesAgainstItsKey(signedBeforeRotation)).toBe(true);
  });

  it('rejects a new event signed with the rotated key as signature_invalid and writes nothing', async () => {
    const before = await ledger.snapshot();
    const result = await appendSignedBy(party.party.id, oldKeys);
    expect(result).toMatchObject({ ok: false, code: 'signature_invalid', field: 'signature' });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('accepts a new event signed with the new key and records that key', async () => {
    const event = await eventSignedBy(party.party.id, newKeys);
    expect(event.keyId).toBe(keyIdOf(newKeys.publicKey));
    expect(await verifiesAgainstItsKey(event)).toBe(true);
  });
});

describe('key revocation', () => {
  it('stops the party from appending while its earlier events still verify', async () => {
    const party = await ledger.newParty(['supplier']);
    const keys = ownKeyPair(party);
    const earlier = await eventSignedBy(party.party.id, keys);
    const revoked = await revokePartyKey(ledger.ledger, party.actor, {
      keyId: keyIdOf(keys.publicKey),
      idempotencyKey: freshKey('revoke'),
    });
    expect(revoked).toMatchObject({ ok: true, value: { key: { status: 'revoked' }, replayed: false } });
    const stored = await findKey(ledger.owner.db, keyIdOf(keys.publicKey));
    expect(stored?.status).toBe('revoked');
    expect(stored?.retiredAt).toBeInstanceOf(Date);

    const before = await ledger.snapshot();
    const result = await appendSignedBy(party.party.id, keys);
    expect(result).toMatchObject({ ok: false, code: 'actor_has_no_active_key', field: 'actor' });
    expect(await ledger.snapshot()).toBe(before);
    expect(await verifiesAgainstItsKey(earlier)).toBe(true);
  });
});

describe('registry events', () => {
  it('are signed by the platform key, marked custodial, and verify', async () => {
    const party = await ledger.newParty(['lender']);
    const next = generateKeyPair();
    const rotated = await rotate(party, next);
    expect(rotated.ok).toBe(true);
    const rows = await ledger.owner.db
      .selectFrom('event')
      .selectAll()
      .where('counterparty_party_id', '=', party.party.id)
      .where('kind', 'in', ['party.registered', 'party_key.added'])
      .orderBy('recorded_at')
      .execute();
    expect(rows.map((row) => row.kind).sort()).toEqual(['party.registered', 'party_key.added']);
    const platformKey = await findActiveKey(ledger.owner.db, ledger.ledger.platformPartyId);
    expect(platformKey?.custodial).toBe(true);
    for (const row of rows) {
      expect(row.actor_party_id).toBe(ledger.ledger.platformPartyId);
      expect(row.key_id).toBe(platformKey?.keyId);
      expect(row.custodial).toBe(true);
      expect(row.event_hash.equals(sha256(row.statement))).toBe(true);
      expect(verify(platformKey?.publicKey ?? Buffer.alloc(32), row.event_hash, row.signature)).toBe(true);
    }
    const added = rows.find((row) => row.kind === 'party_key.added');
    expect(added?.payload).toMatchObject({
      partyId: party.party.id,
      keyId: keyIdOf(next.publicKey),
      rotatedKeyId: keyIdOf(ownKeyPair(party).publicKey),
      previousKeyId: keyIdOf(ownKeyPair(party).publicKey),
      custodial: false,
      authorization: 'rotated_by_previous_key',
      recovery: null,
    });
    // What the two keys signed travels with the event, so a verifier checks it without the ledger.
    const payload = added?.payload as {
      statement: string;
      currentKeySignature: string;
      proofOfPossession: string;
    };
    const statementHash = sha256(payload.statement);
    const signature = (hex: string) => Buffer.from(hex, 'hex');
    expect(verify(ownKeyPair(party).publicKey, statementHash, signature(payload.currentKeySignature))).toBe(
      true,
    );
    expect(verify(next.publicKey, statementHash, signature(payload.proofOfPossession))).toBe(true);
  });
});

describe('key management rejections', () => {
  let party: TestParty;
  let other: TestParty;

  beforeAll(async () => {
    party = await ledger.newParty(['supplier']);
    other = await ledger.newParty(['supplier']);
  });

  // Proofs that would not verify: these requests are refused before any signature is checked.
  const add = (fields: Partial<Parameters<typeof addPartyKey>[2]>, actor = party.actor) =>
    addPartyKey(ledger.ledger, actor, {
      partyId: party.party.id,
      publicKey: generateKeyPair().publicKey.toString('hex'),
      custodial: false,
      proofOfPossession: '00'.repeat(64),
      currentKeySignature: '00'.repeat(64),
      idempotencyKey: freshKey('add'),
      ...fields,
    });

  const cases: Array<[string, string, () => ReturnType<typeof addPartyKey>]> = [
    ['another party adding a key', 'forbidden', () => add({}, other.actor)],
    ['a partyId that is not a UUID', 'invalid_input', () => add({ partyId: 'party-1' })],
    ['both a public key and custodial', 'invalid_input', () => add({ custodial: true })],
    [
      'a custodial key with a proof of possession',
      'invalid_input',
      () => add({ publicKey: null, custodial: true }),
    ],
    [
      'a public key without a proof of possession',
      'proof_of_possession_required',
      () => add({ proofOfPossession: null }),
    ],
    ['a public key that is not 32 bytes', 'public_key_invalid', () => add({ publicKey: 'ab'.repeat(31) })],
    ['a small-order public key', 'public_key_invalid', () => add({ publicKey: `01${'00'.repeat(31)}` })],
    [
      'a public key registered already',
      'key_already_registered',
      () => add({ publicKey: ownKeyPair(other).publicKey.toString('hex') }),
    ],
    [
      'an unknown party',
      'party_not_found',
      () => add({ partyId: '00000000-0000-4000-8000-000000000000' }, ledger.admin),
    ],
    [
      'a custodial key without CUSTODY_KEY',
      'custody_unavailable',
      () =>
        addPartyKey({ ...ledger.ledger, custody: { key: null } }, party.actor, {
          partyId: party.party.id,
          publicKey: null,
          custodial: true,
          proofOfPossession: null,
          currentKeySignature: '00'.repeat(64),
          idempotencyKey: freshKey('add'),
        }),
    ],
    [
      'revoking a key of another party',
      'key_not_found',
      () =>
        revokePartyKey(ledger.ledger, party.actor, {
          keyId: keyIdOf(ownKeyPair(other).publicKey),
          idempotencyKey: freshKey('revoke'),
        }),
    ],
    [
      'revoking the platform registry key',
      'forbidden',
      async () => {
        const platformKey = await findActiveKey(ledger.owner.db, ledger.ledger.platformPartyId);
        return revokePartyKey(ledger.ledger, ledger.admin, {
          keyId: platformKey?.keyId ?? '',
          idempotencyKey: freshKey('revoke'),
        });
      },
    ],
  ];

  it.each(cases)('rejects %s with %s and writes nothing', async (_name, code, run) => {
    const before = await ledger.snapshot();
    expect(await run()).toMatchObject({ ok: false, code });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('rejects revoking a revoked key as key_already_revoked', async () => {
    const victim = await ledger.newParty(['supplier']);
    const keyId = keyIdOf(ownKeyPair(victim).publicKey);
    const first = await revokePartyKey(ledger.ledger, victim.actor, { keyId, idempotencyKey: freshKey('r') });
    expect(first.ok).toBe(true);
    const before = await ledger.snapshot();
    const again = await revokePartyKey(ledger.ledger, victim.actor, { keyId, idempotencyKey: freshKey('r') });
    expect(again).toMatchObject({ ok: false, code: 'key_already_revoked', field: 'keyId' });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('rejects the same idempotency key for another key as idempotency_key_reused', async () => {
    const owner = await ledger.newParty(['supplier']);
    const signers = { current: ownKeyPair(owner), next: generateKeyPair() };
    const first = await signedAddition(ledger.ledger, owner.actor, owner.party.id, signers);
    expect((await addPartyKey(ledger.ledger, owner.actor, first)).ok).toBe(true);
    const before = await ledger.snapshot();
    const other = await signedAddition(ledger.ledger, owner.actor, owner.party.id, {
      current: signers.next,
      next: generateKeyPair(),
    });
    const again = await addPartyKey(ledger.ledger, owner.actor, {
      ...other,
      idempotencyKey: first.idempotencyKey,
    });
    expect(again).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
    expect(await ledger.snapshot()).toBe(before);
  });
});
