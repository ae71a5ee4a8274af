/**
 * The key-authority check of a bundle, at the cases a lender relies on it for: which key statements
 * the verifier refuses (a statement about another key, party or previous key), which it accepts
 * without a signature it cannot ask for (a custodial key, a party's first key), and that the key a
 * rotation must be signed by is the party's latest by leaf, not by the order the bundle lists events
 * in, and not one revoked only for another party, only under another key, or only later.
 */
import { describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import { keyAdditionStatement, registrationStatement } from '../../services/parties/key-statement.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleOf,
  eventLabel,
  keyAddedEnvelope,
  keyPairOf,
  keyRevokedEnvelope,
  newLog,
  partyIds,
  registeredEnvelope,
  tradeLeaves,
} from './material.js';

const [partyA, partyB] = partyIds;
const keyA = keyPairOf(partyA);
const nextA = generateKeyPair();
const stranger = generateKeyPair();
const short = (publicKey: Buffer) => `${keyIdOf(publicKey).slice(0, 8)}…`;
const registryAndChain = [0, 1, 2, ...tradeLeaves];

/**
 * Verifies the bundle of `leaves` (in that order) of a log whose leaves `rewrites` replaces, each
 * signed by its actor's registered key unless `signers` names another.
 */
function verify(
  leaves: readonly number[],
  rewrites: Record<number, Envelope>,
  signers: Record<number, Ed25519KeyPair> = {},
) {
  const log = newLog({
    rewrite: (index) => rewrites[index] ?? null,
    signer: (index) => signers[index] ?? null,
  });
  const bundle = bundleOf(log, undefined, leaves);
  const result = verifyBundle(bundle, { logKey: log.vkey });
  const at = (leaf: number) => {
    const position = leaves.indexOf(leaf);
    return {
      position,
      label: eventLabel(bundle.events[position] ?? expect.fail(`no leaf ${leaf}`), position),
    };
  };
  return { failed: result.valid ? 'VALID' : result.failed, checks: result.checks, at };
}

/** A `party_key.added` at leaf 5 of nextA to party A whose key addition statement states `addition`. */
function additionStating(addition: Parameters<typeof keyAdditionStatement>[0]): Envelope {
  const envelope = keyAddedEnvelope(5, partyA, nextA);
  const { statement, statementHash } = keyAdditionStatement(addition);
  Object.assign(envelope.payload, {
    statement,
    currentKeySignature: toHex(sign(keyA.privateKey, statementHash)),
    proofOfPossession: toHex(sign(nextA.privateKey, statementHash)),
  });
  return envelope;
}

describe('a key statement about something else, though the right keys signed it', () => {
  it('refuses a registration whose statement registers another public key', () => {
    const registration = registeredEnvelope(1, partyA, keyA);
    const key = registration.payload.key as Record<string, unknown>;
    const registrationId = String(registration.payload.registrationId);
    const { statement, statementHash } = registrationStatement(registrationId, toHex(stranger.publicKey));
    Object.assign(key, { statement, proofOfPossession: toHex(sign(keyA.privateKey, statementHash)) });
    const { failed, at } = verify([0, 1, 2, 3], { 1: registration });
    expect(failed).toBe(
      `${at(1).label}: the self-held key ${short(keyA.publicKey)} is registered without its registration statement for ${registrationId}`,
    );
  });

  it('refuses a key registered without saying custodial and without a registration statement, as the self-held key it binds', () => {
    const registration = registeredEnvelope(1, partyA, keyA);
    const key = registration.payload.key as Record<string, unknown>;
    delete key.custodial;
    Object.assign(key, { statement: null, proofOfPossession: null });
    const { failed, at } = verify(registryAndChain, { 1: registration });
    expect(failed).toBe(
      `${at(1).label}: the self-held key ${short(keyA.publicKey)} is registered without its registration statement for ${String(registration.payload.registrationId)}`,
    );
  });

  it('refuses a key registered with a statement that is not text, rather than skip its proof of possession', () => {
    const registration = registeredEnvelope(1, partyA, keyA);
    Object.assign(registration.payload.key as Record<string, unknown>, { statement: 7 });
    const { failed, at } = verify(registryAndChain, { 1: registration });
    expect(failed).toBe(
      `${at(1).label}: party.registered states a key without what a registration carries (registrationId, key.publicKey, key.custodial, key.statement, key.proofOfPossession)`,
    );
  });

  const faithful = {
    partyId: partyA,
    publicKey: toHex(nextA.publicKey),
    custodial: false,
    previousKeyId: keyIdOf(keyA.publicKey),
  };
  it.each([
    ['another party', { ...faithful, partyId: partyB }],
    ['another previous key', { ...faithful, previousKeyId: keyIdOf(stranger.publicKey) }],
    ['no previous key', { ...faithful, previousKeyId: null }],
  ])('refuses a key addition whose statement names %s', (_label, addition) => {
    const { failed, at } = verify([0, 1, 2, 3, 5], { 5: additionStating(addition) });
    expect(failed).toBe(
      `${at(5).label}: its key addition statement does not state this addition (party, key, custody or previous key differ)`,
    );
  });

  it('refuses a key addition whose statement is not a key addition statement at all', () => {
    const envelope = keyAddedEnvelope(5, partyA, nextA);
    const { statement, statementHash } = registrationStatement('91310000MA1K000005', toHex(nextA.publicKey));
    Object.assign(envelope.payload, {
      statement,
      currentKeySignature: toHex(sign(keyA.privateKey, statementHash)),
      proofOfPossession: toHex(sign(nextA.privateKey, statementHash)),
    });
    const { failed, at } = verify([0, 1, 2, 3, 5], { 5: envelope });
    expect(failed).toBe(
      `${at(5).label}: its key addition statement does not state this addition (party, key, custody or previous key differ)`,
    );
  });
});

describe('signatures the verifier cannot ask for', () => {
  it('accepts a custodial key added on the signature of the self-held key it replaces, with no proof of possession', () => {
    const held = generateKeyPair();
    const envelope = keyAddedEnvelope(5, partyA, held);
    const { statement, statementHash } = keyAdditionStatement({
      partyId: partyA,
      publicKey: null,
      custodial: true,
      previousKeyId: keyIdOf(keyA.publicKey),
    });
    Object.assign(envelope.payload, {
      custodial: true,
      statement,
      currentKeySignature: toHex(sign(keyA.privateKey, statementHash)),
      proofOfPossession: null,
    });
    const { failed, checks, at } = verify([0, 1, 2, 3, 5, 6, 7, 12], { 5: envelope });
    expect(failed).toBe('VALID');
    expect(checks).toContain(
      `${at(5).label}: signed by the self-held key ${short(keyA.publicKey)} of party ${partyA} it replaces (bound by events[${at(1).position}])`,
    );
    expect(checks.filter((check) => check.startsWith(`${at(5).label}: the new key`))).toEqual([]);
  });

  it('accepts a party registered with a custodial key, which has no holder to prove possession', () => {
    const partyC = '5e4d3c2b-1a0f-4e9d-b8c7-d6e5f4a3b2c1';
    const registration = registeredEnvelope(4, partyC, generateKeyPair());
    Object.assign(registration.payload.key as Record<string, unknown>, {
      custodial: true,
      statement: null,
      proofOfPossession: null,
    });
    const { failed, checks, at } = verify([0, 1, 2, 3, 4, 6, 7, 12], { 4: registration });
    expect(failed).toBe('VALID');
    expect(checks.filter((check) => check.startsWith(`${at(4).label}: the registered key`))).toEqual([]);
  });

  it("accepts a party's first key on the platform's word (API key), and says so", () => {
    const partyC = '4d3c2b1a-0f9e-4d8c-a7b6-c5d4e3f2a1b0';
    const keyC = generateKeyPair();
    const registration = registeredEnvelope(4, partyC, keyC);
    registration.payload.key = null;
    const addition = keyAddedEnvelope(5, partyC, keyC, undefined, { previous: keyC, currentSigner: null });
    const { statement, statementHash } = keyAdditionStatement({
      partyId: partyC,
      publicKey: toHex(keyC.publicKey),
      custodial: false,
      previousKeyId: null,
    });
    Object.assign(addition.payload, {
      previousKeyId: null,
      rotatedKeyId: null,
      authorization: 'api_key',
      statement,
      currentKeySignature: null,
      proofOfPossession: toHex(sign(keyC.privateKey, statementHash)),
    });
    const { failed, checks, at } = verify(
      [...registryAndChain, 4, 5].sort((a, b) => a - b),
      {
        4: registration,
        5: addition,
      },
    );
    expect(failed).toBe('VALID');
    expect(checks).toContain(`${at(5).label}: the first key of party ${partyC}, by API key`);
  });
});

describe('the key a rotation must be signed by', () => {
  const nextA2 = generateKeyPair();
  const twice = {
    5: keyAddedEnvelope(5, partyA, nextA),
    8: keyAddedEnvelope(8, partyA, nextA2, undefined, { previous: nextA }),
  };

  it.each([
    ['in leaf order', [0, 1, 2, 3, 5, 6, 7, 8, 12]],
    ['listed out of leaf order', [0, 5, 8, 2, 1, 3, 6, 7, 12]],
  ])('is the latest key bound before it by leaf, with the bundle %s', (_order, leaves) => {
    const { failed, checks, at } = verify(leaves, twice);
    expect(failed).toBe('VALID');
    expect(checks).toContain(
      `${at(8).label}: signed by the self-held key ${short(nextA.publicKey)} of party ${partyA} it replaces (bound by events[${at(5).position}])`,
    );
  });

  it('refuses a second rotation signed by the key the first one replaced', () => {
    const stale = { ...twice, 8: keyAddedEnvelope(8, partyA, nextA2) };
    const { failed, at } = verify([0, 1, 2, 3, 5, 6, 7, 8, 12], stale);
    expect(failed).toBe(
      `${at(8).label}: replaces key ${short(keyA.publicKey)}, yet the latest key bound to party ${partyA} before it is ${short(nextA.publicKey)} (events[${at(5).position}])`,
    );
  });
  it('refuses, without failing itself, a rotation away from a registered key that is no public key', () => {
    // Listed after the rotation, the registration is not yet refused for its own sake.
    const registration = registeredEnvelope(1, partyA, keyA);
    Object.assign(registration.payload.key as Record<string, unknown>, { publicKey: 'not a key' });
    const { failed, at } = verify([0, 5, 1], { 1: registration, 5: keyAddedEnvelope(5, partyA, nextA) });
    expect(failed).toBe(
      `${at(5).label}: replaces the self-held key ${short(keyA.publicKey)} of party ${partyA} without a valid signature by that key, and is not marked administrator recovery`,
    );
  });
});

describe('revocations that leave the replaced key able to sign its rotation', () => {
  const rotation = keyAddedEnvelope(5, partyA, nextA);
  const leaves = [0, 1, 2, 3, 4, 5, 6, 7, 12];

  it.each([
    ["another party's revocation naming this key's ID", keyRevokedEnvelope(4, partyB, keyA.publicKey)],
    ['a revocation of another key of the same party', keyRevokedEnvelope(4, partyA, stranger.publicKey)],
  ])('accepts the rotation after %s', (_label, revocation) => {
    const { failed, checks, at } = verify(leaves, { 4: revocation, 5: rotation });
    expect(failed).toBe('VALID');
    expect(checks).toContain(
      `${at(5).label}: signed by the self-held key ${short(keyA.publicKey)} of party ${partyA} it replaces (bound by events[${at(1).position}])`,
    );
  });

  it('accepts the rotation when the replaced key is revoked only after it', () => {
    // The invoice's last fact (leaf 12) comes after the revocation, so the new key signs it.
    const { failed, checks, at } = verify(
      [0, 1, 2, 3, 5, 6, 7, 8, 12],
      { 5: rotation, 8: keyRevokedEnvelope(8, partyA, keyA.publicKey) },
      { 12: nextA },
    );
    expect(failed).toBe('VALID');
    expect(checks).toContain(
      `${at(5).label}: signed by the self-held key ${short(keyA.publicKey)} of party ${partyA} it replaces (bound by events[${at(1).position}])`,
    );
  });
});
