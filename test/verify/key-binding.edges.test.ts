/**
 * Key binding at its edges: revocations that must change nothing, each condition of the platform's
 * self-registration on its own, and a registration whose key ID and public key name different keys.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyIdOf, toHex } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import { type Verification, verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleLeaves,
  bundleOf,
  envelopeAt,
  eventLabel,
  keyPairOf,
  keyRevokedEnvelope,
  newLog,
  partyIds,
  platformPartyId,
  registeredEnvelope,
} from './material.js';

const [partyA, partyB] = partyIds;
const noSelfRegistration =
  'key binding: the bundle holds no self-registration of the platform (a party.registered stated by a party about itself, signed by the key it registers)';

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

/** The standard bundle of a log with leaf `index` replaced by `envelope`, and that leaf's label. */
function verifyWith(index: number, envelope: Envelope, signer?: ReturnType<typeof generateKeyPair>) {
  const log = newLog({
    rewrite: (leaf) => (leaf === index ? envelope : null),
    signer: (leaf) => (leaf === index && signer ? signer : null),
  });
  const leaves = [...new Set([...bundleLeaves, index])].sort((a, b) => a - b);
  const bundle = bundleOf(log, undefined, leaves);
  const position = leaves.indexOf(index);
  const label = eventLabel(bundle.events[position] ?? expect.fail('the event'), position);
  return { result: verifyBundle(bundle, { logKey: log.vkey }), label, position };
}

describe('revocations that revoke nothing the bundle relies on', () => {
  it("a revocation naming one party with another party's key ID leaves that key bound", () => {
    const { result } = verifyWith(5, keyRevokedEnvelope(5, partyA, keyPairOf(partyB).publicKey));
    expect(failure(result)).toBe('VALID');
  });

  it('a revocation stated by a party rather than the platform is ignored', () => {
    const byParty = { ...keyRevokedEnvelope(5, partyB, keyPairOf(partyB).publicKey), actor: partyB };
    const { result } = verifyWith(5, byParty);
    expect(failure(result)).toBe('VALID');
  });

  it('a revocation by the platform of the same key does revoke it, for comparison', () => {
    const { result, position } = verifyWith(5, keyRevokedEnvelope(5, partyB, keyPairOf(partyB).publicKey));
    expect(failure(result)).toContain(
      `was revoked by events[${position}] (leaf 5) before this event (leaf 7)`,
    );
  });
});

describe("each condition of the platform's self-registration", () => {
  const self = envelopeAt(0);
  const payload = self.payload as { key: Record<string, unknown> };

  it('needs the party to state it about itself: as actor', () => {
    const { result } = verifyWith(0, { ...self, actor: partyA }, keyPairOf(platformPartyId));
    expect(failure(result)).toBe(noSelfRegistration);
  });

  it('needs the party to state it about itself: as counterparty', () => {
    expect(failure(verifyWith(0, { ...self, counterparty: null }).result)).toBe(noSelfRegistration);
    expect(failure(verifyWith(0, { ...self, counterparty: partyA }).result)).toBe(noSelfRegistration);
  });

  it('needs the key ID it registers to be the signer key ID', () => {
    const key = { ...payload.key, keyId: keyIdOf(generateKeyPair().publicKey) };
    expect(failure(verifyWith(0, { ...self, payload: { ...self.payload, key } }).result)).toBe(
      noSelfRegistration,
    );
  });

  it('needs the public key it registers to be the signer key', () => {
    const key = { ...payload.key, publicKey: toHex(generateKeyPair().publicKey) };
    expect(failure(verifyWith(0, { ...self, payload: { ...self.payload, key } }).result)).toBe(
      noSelfRegistration,
    );
  });

  it('needs a key at all', () => {
    expect(failure(verifyWith(0, { ...self, payload: { ...self.payload, key: null } }).result)).toBe(
      noSelfRegistration,
    );
  });
});

describe('a registration whose key ID and public key disagree', () => {
  it("binds no event: the key ID of the party's key with another public key", () => {
    const genuine = registeredEnvelope(2, partyB, keyPairOf(partyB));
    const key = (genuine.payload as { key: Record<string, unknown> }).key;
    const other = toHex(generateKeyPair().publicKey);
    const { result } = verifyWith(2, {
      ...genuine,
      payload: { ...genuine.payload, key: { ...key, publicKey: other } },
    });
    expect(failure(result)).toMatch(/is not registered to actor 9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f by any/);
  });

  it("binds no event: the party's public key with another key ID", () => {
    const genuine = registeredEnvelope(2, partyB, keyPairOf(partyB));
    const key = (genuine.payload as { key: Record<string, unknown> }).key;
    const otherId = keyIdOf(generateKeyPair().publicKey);
    const { result } = verifyWith(2, {
      ...genuine,
      payload: { ...genuine.payload, key: { ...key, keyId: otherId } },
    });
    expect(failure(result)).toMatch(/is not registered to actor 9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f by any/);
  });
});
