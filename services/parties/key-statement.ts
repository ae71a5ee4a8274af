/**
 * What a key holder signs to put a key on the registry, apart from events: RFC 8785 canonical JSON
 * without salt or time, so that anyone given the inputs rebuilds the same bytes; the signature is
 * over its SHA-256, as for events.
 *
 *   registration: {"kind":"party.registration","publicKey":hex,"registrationId":normalized id}
 *   key addition: {"custodial":bool,"kind":"party_key.addition","partyId":uuid,
 *                  "previousKeyId":hex|null,"publicKey":hex|null}
 *
 * The new key signs either one (proof of possession: nobody registers a public key it does not hold,
 * so it cannot claim another party's signatures as its own); the key being replaced signs a key
 * addition. Each statement is single-use without a nonce: a public key is registered once, and
 * previousKeyId names the party's latest key, which no later addition can name again. Leaving out
 * the request's idempotency key lets a key holder sign offline, whoever submits the request.
 */
import { canonicalJson, sha256 } from '../crypto/index.js';

export const registrationStatementKind = 'party.registration';
export const keyAdditionStatementKind = 'party_key.addition';

export interface KeyAddition {
  partyId: string;
  /** Lowercase hex of the new self-held key; null for a key the platform generates and holds. */
  publicKey: string | null;
  custodial: boolean;
  /** The party's latest key (see findLatestKey), null when it never had one. */
  previousKeyId: string | null;
}

export interface KeyStatement {
  statement: string;
  statementHash: Buffer;
}

function prepared(value: Record<string, unknown>): KeyStatement {
  const statement = canonicalJson(value);
  return { statement, statementHash: sha256(Buffer.from(statement, 'utf8')) };
}

export function keyAdditionStatement(addition: KeyAddition): KeyStatement {
  return prepared({
    kind: keyAdditionStatementKind,
    partyId: addition.partyId,
    publicKey: addition.publicKey,
    custodial: addition.custodial,
    previousKeyId: addition.previousKeyId,
  });
}

/** `registrationId` as validateRegistrationId normalizes it (trimmed, upper case). */
export function registrationStatement(registrationId: string, publicKey: string): KeyStatement {
  return prepared({ kind: registrationStatementKind, publicKey, registrationId });
}

const hex64 = /^[0-9a-f]{64}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key addition a statement states, or null when it is not exactly one (canonical, all fields). */
export function parseKeyAdditionStatement(statement: string): KeyAddition | null {
  const value = parseCanonical(statement);
  if (!isObject(value) || value.kind !== keyAdditionStatementKind) return null;
  const { partyId, publicKey, custodial, previousKeyId } = value;
  const addition = { partyId, publicKey, custodial, previousKeyId };
  const shaped =
    typeof partyId === 'string' &&
    uuid.test(partyId) &&
    typeof custodial === 'boolean' &&
    (publicKey === null ? custodial : typeof publicKey === 'string' && hex64.test(publicKey) && !custodial) &&
    (previousKeyId === null || (typeof previousKeyId === 'string' && hex64.test(previousKeyId)));
  if (!shaped || keyAdditionStatement(addition as KeyAddition).statement !== statement) return null;
  return addition as KeyAddition;
}

/** The registration a statement states, or null when it is not exactly one. */
export function parseRegistrationStatement(
  statement: string,
): { registrationId: string; publicKey: string } | null {
  const value = parseCanonical(statement);
  if (!isObject(value) || value.kind !== registrationStatementKind) return null;
  const { registrationId, publicKey } = value;
  if (typeof registrationId !== 'string' || typeof publicKey !== 'string' || !hex64.test(publicKey)) {
    return null;
  }
  return registrationStatement(registrationId, publicKey).statement === statement
    ? { registrationId, publicKey }
    : null;
}

function parseCanonical(statement: string): unknown {
  try {
    const value: unknown = JSON.parse(statement);
    return canonicalJson(value) === statement ? value : null;
  } catch {
    return null;
  }
}
