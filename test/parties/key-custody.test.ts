/**
 * Key custody: an API key alone never replaces a signing key the party holds itself. A thief holding
 * the party's API key (or an administrator, who cannot sign for the party either) is refused every
 * way in and writes nothing; the party, with its current key, rotates as before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import { findActiveKey } from '../../services/parties/party-key.repository.js';
import { addPartyKey, revokePartyKey } from '../../services/registry/party-key.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { addSigned, appendSignedBy, type Signers, signedAddition, statementHashFor } from './key-support.js';

const ledger = useTestLedger();
const thiefKeys = generateKeyPair();

function ownKeyPair(party: TestParty): Ed25519KeyPair {
  return party.keyPair ?? expect.fail('test setup: a party with its own key pair expected');
}

async function expectRefusedWritingNothing(run: () => Promise<unknown>, code: string, field?: string) {
  const before = await ledger.snapshot();
  const result = await run();
  expect(result).toMatchObject({ ok: false, code, ...(field ? { field } : {}) });
  expect(await ledger.snapshot()).toBe(before);
}

describe('a thief holding only the API key of a self-signing party', () => {
  let victim: TestParty;
  beforeAll(async () => {
    victim = await ledger.newParty(['supplier']);
  });

  const attempts: Array<[string, () => Signers, string, string]> = [
    [
      'rotate to its own key, unsigned',
      () => ({ next: thiefKeys }),
      'current_key_signature_required',
      'currentKeySignature',
    ],
    [
      'switch the party to a custodial key, unsigned',
      () => ({}),
      'current_key_signature_required',
      'currentKeySignature',
    ],
    [
      'rotate, signing as the current key with its own key',
      () => ({ current: thiefKeys, next: generateKeyPair() }),
      'current_key_signature_invalid',
      'currentKeySignature',
    ],
    [
      'switch to custodial, signing with its own key',
      () => ({ current: thiefKeys }),
      'current_key_signature_invalid',
      'currentKeySignature',
    ],
  ];

  it.each(attempts)('cannot %s, writing nothing', async (_label, signers, code, field) => {
    const input = await signedAddition(ledger.ledger, victim.actor, victim.party.id, signers());
    await expectRefusedWritingNothing(() => addPartyKey(ledger.ledger, victim.actor, input), code, field);
    expect((await findActiveKey(ledger.owner.db, victim.party.id))?.keyId).toBe(
      keyIdOf(ownKeyPair(victim).publicKey),
    );
  });

  it('cannot reuse a current-key signature the party made for another new key', async () => {
    const genuine = await signedAddition(ledger.ledger, victim.actor, victim.party.id, {
      current: ownKeyPair(victim),
      next: generateKeyPair(),
    });
    const hash = await statementHashFor(ledger.ledger, victim.actor, {
      partyId: victim.party.id,
      publicKey: toHex(thiefKeys.publicKey),
      custodial: false,
    });
    const stolen = {
      ...genuine,
      publicKey: toHex(thiefKeys.publicKey),
      proofOfPossession: toHex(sign(thiefKeys.privateKey, hash)),
    };
    await expectRefusedWritingNothing(
      () => addPartyKey(ledger.ledger, victim.actor, stolen),
      'current_key_signature_invalid',
    );
  });

  it('cannot install any key after revoking the active one, which takes an administrator recovery', async () => {
    const party = await ledger.newParty(['supplier']);
    const revoked = await revokePartyKey(ledger.ledger, party.actor, {
      keyId: keyIdOf(ownKeyPair(party).publicKey),
      idempotencyKey: freshKey('revoke'),
    });
    expect(revoked.ok).toBe(true);
    for (const signers of [
      { next: thiefKeys },
      {},
      { current: ownKeyPair(party), next: generateKeyPair() },
    ]) {
      const input = await signedAddition(ledger.ledger, party.actor, party.party.id, signers);
      await expectRefusedWritingNothing(
        () => addPartyKey(ledger.ledger, party.actor, input),
        'key_recovery_required',
        'partyId',
      );
    }
  });
});

describe('an administrator acting alone', () => {
  it('cannot replace or switch a self-held key: it cannot sign for the party', async () => {
    const party = await ledger.newParty(['core_enterprise']);
    for (const signers of [{ next: generateKeyPair() }, {}]) {
      const input = await signedAddition(ledger.ledger, ledger.admin, party.party.id, signers);
      await expectRefusedWritingNothing(
        () => addPartyKey(ledger.ledger, ledger.admin, input),
        'current_key_signature_required',
      );
    }
  });
});

describe('the party with its current key', () => {
  it('rotates, and the new key signs events marked rotated_by_previous_key', async () => {
    const party = await ledger.newParty(['supplier']);
    const next = generateKeyPair();
    const added = await addSigned(ledger.ledger, party.actor, party.party.id, {
      current: ownKeyPair(party),
      next,
    });
    expect(added).toMatchObject({ ok: true, value: { key: { authorization: 'rotated_by_previous_key' } } });
    const appended = await appendSignedBy(ledger.ledger, party.party.id, next);
    expect(appended).toMatchObject({ ok: true, value: { event: { keyId: keyIdOf(next.publicKey) } } });
  });

  it('switches to a custodial key', async () => {
    const party = await ledger.newParty(['supplier']);
    const added = await addSigned(ledger.ledger, party.actor, party.party.id, { current: ownKeyPair(party) });
    expect(added).toMatchObject({
      ok: true,
      value: { key: { custodial: true, authorization: 'rotated_by_previous_key' } },
    });
  });

  it('must still prove possession of the new key', async () => {
    const party = await ledger.newParty(['supplier']);
    const input = await signedAddition(ledger.ledger, party.actor, party.party.id, {
      current: ownKeyPair(party),
      next: generateKeyPair(),
    });
    const forged = { ...input, proofOfPossession: toHex(sign(thiefKeys.privateKey, Buffer.alloc(32))) };
    await expectRefusedWritingNothing(
      () => addPartyKey(ledger.ledger, party.actor, forged),
      'proof_of_possession_invalid',
      'proofOfPossession',
    );
  });

  it('replays an addition idempotently, writing nothing the second time', async () => {
    const party = await ledger.newParty(['supplier']);
    const input = await signedAddition(ledger.ledger, party.actor, party.party.id, {
      current: ownKeyPair(party),
      next: generateKeyPair(),
    });
    const first = await addPartyKey(ledger.ledger, party.actor, input);
    const before = await ledger.snapshot();
    const replay = await addPartyKey(ledger.ledger, party.actor, input);
    expect(replay).toEqual(first.ok ? { ok: true, value: { ...first.value, replayed: true } } : first);
    expect(await ledger.snapshot()).toBe(before);
  });
});

describe('a party whose active key is custodial, or that never had a key', () => {
  it('adds a self-held key by API key alone, with proof of possession, marked api_key', async () => {
    const party = await ledger.newParty(['supplier'], { custodial: true });
    const added = await addSigned(ledger.ledger, party.actor, party.party.id, { next: generateKeyPair() });
    expect(added).toMatchObject({ ok: true, value: { key: { custodial: false, authorization: 'api_key' } } });
  });

  it('refuses a currentKeySignature it cannot have made', async () => {
    const party = await ledger.newParty(['supplier'], { custodial: true });
    const input = await signedAddition(ledger.ledger, party.actor, party.party.id, {
      current: thiefKeys,
      next: generateKeyPair(),
    });
    await expectRefusedWritingNothing(
      () => addPartyKey(ledger.ledger, party.actor, input),
      'invalid_input',
      'currentKeySignature',
    );
  });

  it('refuses a new self-held key whose proof of possession does not verify', async () => {
    const party = await ledger.newParty(['supplier'], { custodial: true });
    const input = await signedAddition(ledger.ledger, party.actor, party.party.id, {
      next: generateKeyPair(),
    });
    await expectRefusedWritingNothing(
      () => addPartyKey(ledger.ledger, party.actor, { ...input, proofOfPossession: '11'.repeat(64) }),
      'proof_of_possession_invalid',
    );
  });
});
