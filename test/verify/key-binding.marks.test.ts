/**
 * Key binding, continued: the custodial mark (which no signature covers) must be what the registry
 * said of the key, registry payloads that bind nothing are passed over without a fault, a key may
 * sign its own revocation, a registry event signed by a revoked key vouches for nothing, and a
 * refusal names every registry event it weighed.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyIdOf } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { type Verification, verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleLeaves,
  bundleOf,
  clone,
  envelopeAt,
  eventLabel,
  keyAddedEnvelope,
  keyPairOf,
  keyRevokedEnvelope,
  newLog,
  partyIds,
  platformPartyId,
} from './material.js';

const [partyA, partyB] = partyIds;

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

const short = (keyId: string) => `${keyId.slice(0, 8)}…`;

/** A log with some leaves rewritten and re-signed, its bundle over `leaves`, and labels by leaf. */
function bundleFor(
  rewrite: Record<number, Envelope>,
  signers: Record<number, ReturnType<typeof generateKeyPair>> = {},
  leaves: number[] = [...bundleLeaves],
) {
  const log = newLog({ rewrite: (leaf) => rewrite[leaf] ?? null, signer: (leaf) => signers[leaf] ?? null });
  const sorted = [...new Set([...leaves, ...Object.keys(rewrite).map(Number)])].sort((a, b) => a - b);
  const bundle = bundleOf(log, undefined, sorted);
  const at = (leaf: number) => {
    const position = sorted.indexOf(leaf);
    const event = bundle.events[position] ?? expect.fail(`no leaf ${leaf}`);
    return { position, event, label: eventLabel(event, position) };
  };
  const verify = (changed: ProofBundle = bundle) => verifyBundle(changed, { logKey: log.vkey });
  return { bundle, at, verify };
}

function withoutCustodial(envelope: Envelope, inKey: boolean): Envelope {
  const payload = clone(envelope.payload) as Record<string, unknown> & { key?: Record<string, unknown> };
  if (inKey && payload.key) delete payload.key.custodial;
  else delete payload.custodial;
  return { ...envelope, payload };
}

describe('the custodial mark of an event', () => {
  it('is refused when it says custodial for a key the party holds itself', () => {
    const { bundle, at, verify } = bundleFor({});
    const confirmed = at(6);
    const flipped = clone(bundle);
    (flipped.events[confirmed.position] ?? expect.fail('event')).custodial = true;
    expect(failure(verify(flipped))).toBe(
      `${confirmed.label}: marked custodial: true, but signer key ${short(confirmed.event.keyId)} was registered by events[${at(1).position}] as a key the party holds itself`,
    );
  });

  it('is refused when it says self-held for the custodial key the platform signs with', () => {
    const { bundle, at, verify } = bundleFor({});
    const self = at(0);
    const flipped = clone(bundle);
    (flipped.events[self.position] ?? expect.fail('event')).custodial = false;
    expect(failure(verify(flipped))).toBe(
      `${self.label}: marked custodial: false, but signer key ${short(self.event.keyId)} was registered by events[${self.position}] as a custodial key (the platform signs)`,
    );
  });

  it('reads a registration that does not say custodial as a key the party holds', () => {
    const { verify } = bundleFor({ 2: withoutCustodial(envelopeAt(2), true) });
    expect(failure(verify())).toBe('VALID');
  });

  it('reads a key addition that does not say custodial as self-held, then refuses its missing statement', () => {
    const next = generateKeyPair();
    const { at, verify } = bundleFor(
      { 5: withoutCustodial(keyAddedEnvelope(5, partyB, next), false) },
      { 7: next },
    );
    // The binding is read as self-held, so the self-held mark of leaf 7 passes; the key authority
    // then refuses the addition, whose signed statement says what it no longer carries.
    expect(failure(verify())).toBe(
      `${at(5).label}: party_key.added carries no key addition statement with its signatures (previousKeyId, authorization, statement, currentKeySignature, proofOfPossession)`,
    );
  });
});

describe('registry events that bind no key', () => {
  it('passes over a registration of a party without a key', () => {
    const registration = envelopeAt(2);
    const keyless: Envelope = {
      ...registration,
      counterparty: partyA,
      payload: { ...registration.payload, partyId: partyA, key: null },
      idempotencyKey: 'keyless',
    };
    const { verify } = bundleFor({ 4: keyless });
    expect(failure(verify())).toBe('VALID');
  });

  it('passes over a key addition whose payload is not one', () => {
    const addition = keyAddedEnvelope(4, partyB, generateKeyPair());
    const { keyId: _dropped, ...payload } = addition.payload as Record<string, unknown>;
    const { verify } = bundleFor({ 4: { ...addition, payload } });
    expect(() => verify()).not.toThrow();
    expect(failure(verify())).not.toMatch(/TypeError|Cannot/);
  });
});

describe('revocations and the keys they end', () => {
  const second = generateKeyPair();
  const platformKey = keyPairOf(platformPartyId);

  it('lets a key sign its own revocation: the revocation is at its leaf, not before it', () => {
    const { verify } = bundleFor(
      {
        4: keyAddedEnvelope(4, platformPartyId, second, undefined, { previous: platformKey }),
        5: keyRevokedEnvelope(5, platformPartyId, second.publicKey),
      },
      { 5: second },
    );
    expect(failure(verify())).toBe('VALID');
  });

  it('trusts no registry event signed by a key revoked before it', () => {
    const nextB = generateKeyPair();
    const { at, verify } = bundleFor(
      {
        4: keyAddedEnvelope(4, platformPartyId, second, undefined, { previous: platformKey }),
        5: keyRevokedEnvelope(5, platformPartyId, second.publicKey),
        8: keyAddedEnvelope(8, partyB, nextB),
      },
      { 8: second, 9: nextB },
      [...bundleLeaves, 9],
    );
    expect(failure(verify())).toBe(
      `${at(8).label}: signer key ${short(keyIdOf(second.publicKey))} of actor ${platformPartyId} was revoked by events[${at(5).position}] (leaf 5) before this event (leaf 8)`,
    );
  });
});

/** The bundle with the event of leaf `moved` placed just before the event of leaf `before`. */
function moveBefore(bundle: ProofBundle, moved: number, before: number): ProofBundle {
  const copy = clone(bundle);
  const event =
    copy.events.find((candidate) => candidate.leafIndex === moved) ?? expect.fail(`leaf ${moved}`);
  copy.events = copy.events.filter((candidate) => candidate !== event);
  copy.events.splice(
    copy.events.findIndex((candidate) => candidate.leafIndex === before),
    0,
    event,
  );
  return copy;
}

describe('trust in registry events, whatever order the bundle lists them in', () => {
  const second = generateKeyPair();
  const platformKey = keyPairOf(platformPartyId);
  const nextB = generateKeyPair();
  const rewrite = {
    4: keyAddedEnvelope(4, platformPartyId, second, undefined, { previous: platformKey }),
    8: keyAddedEnvelope(8, partyB, nextB),
  };

  it('trusts a registry event vouched for by one listed after it', () => {
    // Leaf 8 (signed by the platform's second key) comes first; leaf 4, which adds that key, after.
    const { bundle, verify } = bundleFor(rewrite, { 8: second, 9: nextB }, [...bundleLeaves, 9]);
    expect(failure(verify(moveBefore(bundle, 8, 4)))).toBe('VALID');
    expect(failure(verify(moveBefore(bundle, 9, 4)))).toBe('VALID');
  });

  it('trusts no registry event signed by a revoked key, even before it is checked itself', () => {
    const { bundle, verify } = bundleFor(
      { ...rewrite, 5: keyRevokedEnvelope(5, platformPartyId, second.publicKey) },
      { 8: second, 9: nextB },
      [...bundleLeaves, 9],
    );
    const reordered = moveBefore(bundle, 9, 8);
    const position = (leaf: number) => reordered.events.findIndex((event) => event.leafIndex === leaf);
    const label = eventLabel(reordered.events[position(9)] ?? expect.fail('leaf 9'), position(9));
    expect(failure(verify(reordered))).toBe(
      `${label}: signer key ${short(keyIdOf(nextB.publicKey))} is registered to actor ${partyB} only by events[${position(8)}], whose own signer key is not bound to the platform's self-registration`,
    );
  });
});

describe("the platform's self-registration without roles", () => {
  it('is no self-registration (its roles must name platform_admin)', () => {
    const self = envelopeAt(0);
    const { roles: _none, ...payload } = self.payload as Record<string, unknown>;
    const { verify } = bundleFor({ 0: { ...self, payload } });
    expect(failure(verify())).toBe(
      'key binding: the bundle holds no self-registration of the platform (a party.registered stated by a party about itself, signed by the key it registers)',
    );
  });
});

describe('a refusal names every registry event it weighed', () => {
  it('lists each registration of the key by a party other than the platform', () => {
    const stranger = generateKeyPair();
    const { at, verify } = bundleFor(
      {
        4: keyAddedEnvelope(4, partyB, stranger, partyA),
        5: keyAddedEnvelope(5, partyB, stranger, partyA),
      },
      { 7: stranger },
    );
    expect(failure(verify())).toBe(
      `${at(7).label}: signer key ${short(keyIdOf(stranger.publicKey))} is registered to actor ${partyB} only by events[${at(4).position}], events[${at(5).position}], not stated by the platform ${platformPartyId}`,
    );
  });
});
