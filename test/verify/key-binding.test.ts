/**
 * The key-binding check of a bundle: a leaf commits to the statement, not to its signer, so every
 * signer key must be registered to the statement's actor by registry events in the bundle, in a chain
 * that ends at the platform's self-registration. Each log here is real: every event is in the tree.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, generateKeyPair, keyIdOf, sha256, sign, toHex } from '../../services/crypto/index.js';
import { keyAdditionStatement } from '../../services/parties/key-statement.js';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { type Verification, verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleLeaves,
  bundleOf,
  clone,
  envelopeAt,
  eventLabel,
  type KeyAdditionOptions,
  keyAddedEnvelope,
  keyPairOf,
  keyRevokedEnvelope,
  newLog,
  partyIds,
  platformPartyId,
  registeredEnvelope,
  tradeLeaves,
} from './material.js';

const [partyA, partyB] = partyIds;
const stranger = generateKeyPair();
const short = (publicKey: Buffer) => `${keyIdOf(publicKey).slice(0, 8)}…`;

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

/**
 * The bundle of `leaves` of `log` and of the invoice's whole chain (which every bundle carries), the
 * position of `leaf` in it, and the label the verifier gives it.
 */
function bundleWith(log: ReturnType<typeof newLog>, registry: number[], options = { chain: true }) {
  // A test of one failing check may leave the chain out, so that no other event fails first.
  const leaves = options.chain ? [...new Set([...registry, ...tradeLeaves])].sort((a, b) => a - b) : registry;
  const bundle = bundleOf(log, undefined, leaves);
  const at = (leaf: number) => {
    const position = leaves.indexOf(leaf);
    const event = bundle.events[position] ?? expect.fail(`no leaf ${leaf} in the bundle`);
    return { position, event, label: eventLabel(event, position) };
  };
  return { bundle, at };
}

/** Event `position` signed afresh by `signer`, with the keyId of that key: all per-event checks pass. */
function resign(bundle: ProofBundle, position: number, signer = stranger): ProofBundle {
  const copy = clone(bundle);
  const event = copy.events[position] ?? expect.fail(`no event ${position}`);
  event.signature = toHex(sign(signer.privateKey, Buffer.from(event.eventHash, 'hex')));
  event.signerPublicKey = toHex(signer.publicKey);
  event.keyId = keyIdOf(signer.publicKey);
  return copy;
}

describe('a bundle whose keys are all bound', () => {
  it('passes, each event bound to its actor through the registry, back to the self-registration', () => {
    const log = newLog();
    const result = verifyBundle(bundleOf(log), { logKey: log.vkey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks.filter((check) => check.includes(' is bound to actor '))).toHaveLength(
      bundleLeaves.length,
    );
  });

  it('passes across a key rotation and a rotation of the platform key, and with a later revocation', () => {
    const nextA = generateKeyPair();
    const nextPlatform = generateKeyPair();
    const log = newLog({
      rewrite: (index) =>
        index === 4
          ? keyAddedEnvelope(4, platformPartyId, nextPlatform)
          : index === 5
            ? keyAddedEnvelope(5, partyA, nextA)
            : index === 8
              ? keyRevokedEnvelope(8, partyB, keyPairOf(partyB).publicKey)
              : null,
      // The platform's new key is vouched for by its first key, then signs the next registry events.
      signer: (index) => (index === 5 || index === 8 ? nextPlatform : index === 6 ? nextA : null),
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 4, 5, 6, 7, 8, 12]);
    const result = verifyBundle(bundle, { logKey: log.vkey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks).toContain(
      `${at(5).label}: signer key ${short(nextPlatform.publicKey)} is bound to actor ${platformPartyId} by events[${at(4).position}]`,
    );
    expect(result.checks).toContain(
      `${at(6).label}: signer key ${short(nextA.publicKey)} is bound to actor ${partyA} by events[${at(5).position}]`,
    );
    // Rotated, not revoked: the first key of A still binds A's later events.
    expect(result.checks).toContain(
      `${at(12).label}: signer key ${short(keyPairOf(partyA).publicKey)} is bound to actor ${partyA} by events[${at(1).position}]`,
    );
  });
});

describe('an event re-signed by another key with a matching keyId', () => {
  const log = newLog();
  const { bundle, at } = bundleWith(log, [...bundleLeaves]);

  it('passes every per-event check, then fails the binding, for every event of the receivable', () => {
    for (const leaf of [3, 6, 7, 12]) {
      const { position, label } = at(leaf);
      const actor = envelopeAt(leaf).actor;
      const result = verifyBundle(resign(bundle, position), { logKey: log.vkey });
      expect(result.checks).toContain(
        `${label}: signature verifies with the signer's public key (keyId ${short(stranger.publicKey)})`,
      );
      expect(failure(result)).toBe(
        `${label}: signer key ${short(stranger.publicKey)} is not registered to actor ${actor} by any registry event in the bundle`,
      );
    }
  });

  it('fails when the key is registered, but to another party', () => {
    const { position, label } = at(7);
    const result = verifyBundle(resign(bundle, position, keyPairOf(partyA)), { logKey: log.vkey });
    expect(failure(result)).toBe(
      `${label}: signer key ${short(keyPairOf(partyA).publicKey)} is not registered to actor ${partyB} by any registry event in the bundle`,
    );
  });

  it('fails when the bundle leaves out the registration of the actor key', () => {
    const { bundle: partial, at: atPartial } = bundleWith(log, [0, 1, 3, 6, 7, 12]);
    expect(failure(verifyBundle(partial, { logKey: log.vkey }))).toBe(
      `${atPartial(3).label}: signer key ${short(keyPairOf(partyB).publicKey)} is not registered to actor ${partyB} by any registry event in the bundle`,
    );
  });
});

describe('a registry event signed by a key that is not bound', () => {
  it('fails at the registry event when a stranger signed it', () => {
    const log = newLog({ signer: (index) => (index === 2 ? stranger : null) });
    const { bundle, at } = bundleWith(log, [...bundleLeaves]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(2).label}: signer key ${short(stranger.publicKey)} is not registered to actor ${platformPartyId} by any registry event in the bundle`,
    );
  });

  it('fails when the key registering itself is the only thing binding it (a cycle)', () => {
    const log = newLog({
      rewrite: (index) => (index === 5 ? keyAddedEnvelope(5, platformPartyId, stranger) : null),
      signer: (index) => (index === 2 || index === 5 ? stranger : null),
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 5, 6, 7, 12]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(2).label}: signer key ${short(stranger.publicKey)} is registered to actor ${platformPartyId} only by events[${at(5).position}], whose own signer key is not bound to the platform's self-registration`,
    );
  });

  it('fails when the registration is stated by a party rather than the platform', () => {
    const log = newLog({
      rewrite: (index) => (index === 5 ? keyAddedEnvelope(5, partyB, stranger, partyA) : null),
      signer: (index) => (index === 7 ? stranger : null),
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 5, 6, 7, 12]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(7).label}: signer key ${short(stranger.publicKey)} is registered to actor ${partyB} only by events[${at(5).position}], not stated by the platform ${platformPartyId}`,
    );
  });
});

describe('a revoked key', () => {
  const nextB = generateKeyPair();
  const revokedLog = newLog({
    rewrite: (index) =>
      index === 4
        ? keyAddedEnvelope(4, partyB, nextB)
        : index === 5
          ? keyRevokedEnvelope(5, partyB, keyPairOf(partyB).publicKey)
          : null,
  });

  it('binds the events before its revocation but none after it', () => {
    const { bundle, at } = bundleWith(revokedLog, [0, 1, 2, 3, 4, 5, 6, 7, 12]);
    const result = verifyBundle(bundle, { logKey: revokedLog.vkey });
    expect(result.checks).toContain(
      `${at(3).label}: signer key ${short(keyPairOf(partyB).publicKey)} is bound to actor ${partyB} by events[${at(2).position}]`,
    );
    expect(failure(result)).toBe(
      `${at(7).label}: signer key ${short(keyPairOf(partyB).publicKey)} of actor ${partyB} was revoked by events[${at(5).position}] (leaf 5) before this event (leaf 7)`,
    );
  });

  it('binds nothing it signs as a registry key after its revocation either', () => {
    const log = newLog({
      rewrite: (index) =>
        index === 4
          ? keyAddedEnvelope(4, platformPartyId, stranger)
          : index === 5
            ? keyRevokedEnvelope(5, platformPartyId, keyPairOf(platformPartyId).publicKey)
            : index === 8
              ? registeredEnvelope(8, partyB, stranger)
              : null,
      signer: (index) => (index === 5 ? stranger : null),
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 4, 5, 8]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(8).label}: signer key ${short(keyPairOf(platformPartyId).publicKey)} of actor ${platformPartyId} was revoked by events[${at(5).position}] (leaf 5) before this event (leaf 8)`,
    );
  });
});

describe('the self-registration of the platform', () => {
  const log = newLog();

  it('fails a bundle that leaves it out', () => {
    const { bundle } = bundleWith(log, [1, 2, 3, 6, 7, 12]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      'key binding: the bundle holds no self-registration of the platform (a party.registered stated by a party about itself, signed by the key it registers)',
    );
  });

  it('is none when signed by a key other than the one it registers, or without the platform role', () => {
    const self = envelopeAt(0);
    const forgeries = [
      newLog({ signer: (index) => (index === 0 ? stranger : null) }),
      newLog({
        rewrite: (index) =>
          index === 0 ? { ...self, payload: { ...self.payload, roles: ['supplier'] } } : null,
      }),
    ];
    for (const forged of forgeries) {
      const { bundle } = bundleWith(forged, [...bundleLeaves]);
      expect(failure(verifyBundle(bundle, { logKey: forged.vkey }))).toMatch(
        /^key binding: the bundle holds no self-registration of the platform/,
      );
    }
  });

  it('fails a bundle with self-registrations of two different platforms', () => {
    const rivalId = '7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908';
    const rival = generateKeyPair();
    const self = registeredEnvelope(5, rivalId, rival);
    const twice = newLog({
      rewrite: (index) =>
        index === 5
          ? {
              ...self,
              actor: rivalId,
              payload: { ...self.payload, roles: ['platform_admin'], requestedBy: rivalId },
            }
          : null,
      signer: (index) => (index === 5 ? rival : null),
    });
    const { bundle, at } = bundleWith(twice, [0, 1, 2, 3, 5, 6]);
    expect(failure(verifyBundle(bundle, { logKey: twice.vkey }))).toBe(
      `key binding: events[0] and events[${at(5).position}] are self-registrations of two different platforms`,
    );
  });

  it('fails an event whose statement is not an envelope, having no actor to bind to', () => {
    const odd = newLog();
    const statement = canonicalJson({ kind: 'note.left', text: 'no actor here' });
    const eventHash = sha256(statement);
    const pair = keyPairOf(partyA);
    odd.events[4] = {
      kind: 'note.left',
      statement,
      eventHash,
      signature: sign(pair.privateKey, eventHash),
      signerPublicKey: pair.publicKey,
    };
    const { bundle, at } = bundleWith(odd, [0, 1, 2, 3, 4]);
    expect(failure(verifyBundle(bundle, { logKey: odd.vkey }))).toBe(
      `${at(4).label}: statement is not an event envelope (kind, actor, counterparty, payload)`,
    );
  });
});

describe('the authority behind a key addition', () => {
  const nextA = generateKeyPair();
  const keyA = keyPairOf(partyA);
  /** A log whose leaf 5 adds nextA to party A (as `options` say), and whose leaf 6 nextA signs. */
  const rotated = (options: KeyAdditionOptions = {}, patch?: (payload: Record<string, unknown>) => void) =>
    newLog({
      rewrite: (index) => {
        if (index !== 5) return null;
        const envelope = keyAddedEnvelope(5, partyA, nextA, undefined, options);
        patch?.(envelope.payload);
        return envelope;
      },
      signer: (index) => (index === 6 ? nextA : null),
    });
  const leaves = [0, 1, 2, 3, 5, 6];
  const replacedA = `key ${short(keyA.publicKey)} of party ${partyA}`;

  it('passes a rotation signed by the self-held key it replaces, with proof of possession of the new one', () => {
    const log = rotated();
    const { bundle, at } = bundleWith(log, leaves);
    const result = verifyBundle(bundle, { logKey: log.vkey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks).toContain(
      `${at(5).label}: the new key ${short(nextA.publicKey)} proves possession over its key addition statement`,
    );
    expect(result.checks).toContain(
      `${at(5).label}: signed by the self-held ${replacedA} it replaces (bound by events[${at(1).position}])`,
    );
  });

  it.each([
    ['no signature of the replaced key', { currentSigner: null, authorization: 'api_key' }],
    ["a stranger's signature in its place", { currentSigner: stranger }],
  ] as const)('fails a rotation away from a self-held key with %s', (_label, options) => {
    const log = rotated(options);
    const { bundle, at } = bundleWith(log, leaves);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(5).label}: replaces the self-held ${replacedA} without a valid signature by that key, and is not marked administrator recovery`,
    );
  });

  it('passes an administrator recovery without that signature, and says so for the addition and what the new key signs', () => {
    const log = rotated({ currentSigner: null, authorization: 'administrator_recovery' });
    const { bundle, at } = bundleWith(log, leaves);
    const result = verifyBundle(bundle, { logKey: log.vkey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks).toContain(
      `${at(5).label}: replaces the self-held ${replacedA} by administrator recovery, without that key's signature`,
    );
    expect(result.checks).toContain(
      `${at(6).label}: signer key ${short(nextA.publicKey)} is bound to actor ${partyA} by events[${at(5).position}], a key installed by administrator recovery`,
    );
  });

  it("says that replacing the platform's custodial key rests on its word", () => {
    const nextPlatform = generateKeyPair();
    const log = newLog({
      rewrite: (index) => (index === 4 ? keyAddedEnvelope(4, platformPartyId, nextPlatform) : null),
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 4]);
    const result = verifyBundle(bundle, { logKey: log.vkey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks).toContain(
      `${at(4).label}: replaces the custodial key ${short(keyPairOf(platformPartyId).publicKey)} of party ${platformPartyId}: the platform's word, no signature of the party`,
    );
  });

  it('fails when the registration of the replaced key is left out of the bundle', () => {
    const log = rotated();
    const { bundle, at } = bundleWith(log, [0, 2, 3, 5, 6], { chain: false });
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(5).label}: replaces ${replacedA}, whose registration is not in the bundle`,
    );
  });

  it('fails when it names a previous key other than the latest bound to the party', () => {
    const log = rotated({ previous: stranger, currentSigner: stranger });
    const { bundle, at } = bundleWith(log, leaves);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(5).label}: replaces key ${short(stranger.publicKey)}, yet the latest key bound to party ${partyA} before it is ${short(keyA.publicKey)} (events[${at(1).position}])`,
    );
  });

  it('fails when the replaced self-held key was revoked before it, even with that key signing', () => {
    const log = newLog({
      rewrite: (index) =>
        index === 4
          ? keyRevokedEnvelope(4, partyA, keyA.publicKey)
          : index === 5
            ? keyAddedEnvelope(5, partyA, nextA)
            : null,
    });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 4, 5], { chain: false });
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `${at(5).label}: replaces the self-held ${replacedA}, revoked by events[${at(4).position}] before it, and is not marked administrator recovery`,
    );
  });

  it.each([
    [
      'a statement for another key',
      (payload: Record<string, unknown>) => {
        payload.publicKey = toHex(stranger.publicKey);
        payload.keyId = keyIdOf(stranger.publicKey);
      },
      (label: string) =>
        `${label}: its key addition statement does not state this addition (party, key, custody or previous key differ)`,
    ],
    [
      'a proof of possession by another key',
      (payload: Record<string, unknown>) => {
        payload.proofOfPossession = toHex(sign(stranger.privateKey, sha256(String(payload.statement))));
      },
      (label: string) =>
        `${label}: proof of possession of the new key ${short(nextA.publicKey)} does not verify over its key addition statement`,
    ],
    [
      'no previous key named, though the party had one',
      (payload: Record<string, unknown>) => {
        const { statement, statementHash } = keyAdditionStatement({
          partyId: partyA,
          publicKey: toHex(nextA.publicKey),
          custodial: false,
          previousKeyId: null,
        });
        Object.assign(payload, {
          previousKeyId: null,
          authorization: 'api_key',
          statement,
          currentKeySignature: null,
          proofOfPossession: toHex(sign(nextA.privateKey, statementHash)),
        });
      },
      (label: string) =>
        `${label}: names no previous key, yet events[1] bound key ${short(keyA.publicKey)} to party ${partyA} before it`,
    ],
    [
      'no statement at all, as before key custody',
      (payload: Record<string, unknown>) => {
        delete payload.statement;
      },
      (label: string) =>
        `${label}: party_key.added carries no key addition statement with its signatures (previousKeyId, authorization, statement, currentKeySignature, proofOfPossession)`,
    ],
  ])('fails an addition with %s', (_label, patch, expected) => {
    const log = rotated({}, patch);
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3, 5], { chain: false });
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(expected(at(5).label));
  });

  it.each([
    [
      'a proof of possession by another key',
      (key: Record<string, unknown>) => {
        key.proofOfPossession = toHex(sign(stranger.privateKey, sha256(String(key.statement))));
      },
      (label: string) =>
        `${label}: proof of possession of the registered key ${short(keyA.publicKey)} does not verify over its registration statement`,
    ],
    [
      'no registration statement',
      (key: Record<string, unknown>) => {
        key.statement = null;
      },
      (label: string, registrationId: string) =>
        `${label}: the self-held key ${short(keyA.publicKey)} is registered without its registration statement for ${registrationId}`,
    ],
  ])('fails a self-held key registered with %s', (_label, patch, expected) => {
    const registration = registeredEnvelope(1, partyA, keyA);
    patch(registration.payload.key as Record<string, unknown>);
    const log = newLog({ rewrite: (index) => (index === 1 ? registration : null) });
    const { bundle, at } = bundleWith(log, [0, 1, 2, 3]);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      expected(at(1).label, String(registration.payload.registrationId)),
    );
  });
});
