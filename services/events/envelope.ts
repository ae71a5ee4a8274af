/**
 * The event envelope of docs/design.md and the bytes derived from it:
 *   statement = RFC 8785 canonical JSON of the envelope (UTF-8)
 *   eventHash = SHA-256(statement), which the actor signs with Ed25519.
 * The server never trusts bytes it is sent: it rebuilds the statement from the fields.
 */
import { randomBytes } from 'node:crypto';
import { canonicalBytes, canonicalJson, sha256 } from '../crypto/index.js';
import { isInstantInRange, isUuid, jsonTextProblem, textCharacterProblem } from '../input-rules.js';
import { type Failure, fail } from '../result.js';

export interface Envelope {
  kind: string;
  actor: string;
  counterparty: string | null;
  refs: string[];
  payload: Record<string, unknown>;
  occurredAt: string;
  salt: string;
  idempotencyKey: string;
}

export type UnsaltedEnvelope = Omit<Envelope, 'salt'>;

/** The envelope's fields, sorted as RFC 8785 orders them: a statement has exactly these. */
export const envelopeFields = [
  'actor',
  'counterparty',
  'idempotencyKey',
  'kind',
  'occurredAt',
  'payload',
  'refs',
  'salt',
] as const satisfies ReadonlyArray<keyof Envelope>;

export interface PreparedEvent {
  envelope: Envelope;
  statement: Buffer;
  eventHash: Buffer;
}

export const refsMax = 64;
/**
 * Room for registry events, whose key is "<caller's party id>/<caller's key>"
 * (registry/registry-event.ts); a client's own key is at most 128 characters
 * (parties/input-checks.ts), checked where it comes in.
 */
export const idempotencyKeyLengthMax = 200;
const kindPattern = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;
const isoInstantPattern =
  /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An ISO 8601 instant with an explicit offset that names a real moment. */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !isoInstantPattern.test(value) || Number.isNaN(Date.parse(value))) {
    return false;
  }
  // Date.parse rolls 2025-02-30 over to 2 March: the signed text and the stored instant would differ.
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const monthEnd = new Date(0);
  monthEnd.setUTCFullYear(year, month, 0);
  return day <= monthEnd.getUTCDate();
}

/** 16 random bytes, so that a low-entropy payload cannot be guessed from its hash. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** Checks every field; the first problem found, or null. */
export function envelopeProblem(envelope: Envelope): Failure<'envelope_invalid'> | null {
  const problem = (field: string, message: string) => fail('envelope_invalid', message, field);
  if (!kindPattern.test(envelope.kind)) return problem('kind', 'kind must look like "invoice.confirmed"');
  if (!isUuid(envelope.actor)) return problem('actor', 'actor must be a lowercase UUID');
  if (envelope.counterparty !== null && !isUuid(envelope.counterparty)) {
    return problem('counterparty', 'counterparty must be a lowercase UUID or null');
  }
  if (envelope.refs.length > refsMax) return problem('refs', `at most ${refsMax} refs`);
  if (!envelope.refs.every((ref) => /^[0-9a-f]{64}$/.test(ref))) {
    return problem('refs', 'each ref is the lowercase hex SHA-256 event hash of an earlier event');
  }
  if (new Set(envelope.refs).size !== envelope.refs.length) return problem('refs', 'refs must not repeat');
  if (typeof envelope.payload !== 'object' || envelope.payload === null || Array.isArray(envelope.payload)) {
    return problem('payload', 'payload must be a JSON object');
  }
  if (!isIsoInstant(envelope.occurredAt) || !isInstantInRange(envelope.occurredAt)) {
    return problem('occurredAt', 'occurredAt must be an ISO 8601 instant with an offset, in 1900 to 2200');
  }
  if (!/^[0-9a-f]{32}$/.test(envelope.salt)) return problem('salt', 'salt must be 16 bytes in lowercase hex');
  const keyLength = envelope.idempotencyKey.length;
  if (keyLength < 1 || keyLength > idempotencyKeyLengthMax) {
    return problem('idempotencyKey', `idempotencyKey must be 1 to ${idempotencyKeyLengthMax} characters`);
  }
  const keyText = textCharacterProblem(envelope.idempotencyKey, 'code');
  if (keyText) return problem('idempotencyKey', `idempotencyKey ${keyText}`);
  return payloadProblem(envelope.payload);
}

/**
 * Whatever the kind, a payload is plain JSON whose text obeys at least the free-text rule: a fact's
 * own parser applies the stricter rule of each field, and this keeps what no parser saw (NUL, which
 * JSONB refuses; a lone surrogate, which has no UTF-8) from reaching the database as a 500.
 */
function payloadProblem(payload: Record<string, unknown>): Failure<'envelope_invalid'> | null {
  try {
    canonicalJson(payload);
  } catch (error) {
    return fail('envelope_invalid', `payload is not plain JSON: ${(error as Error).message}`, 'payload');
  }
  const text = jsonTextProblem(payload, 'freeText');
  return text ? fail('envelope_invalid', `payload.${text.field} ${text.problem}`, 'payload') : null;
}

/** The statement and hash of an envelope; throws only for a payload that is not plain JSON (a bug). */
export function prepare(envelope: Envelope): PreparedEvent {
  const statement = canonicalBytes(envelope);
  return { envelope, statement, eventHash: sha256(statement) };
}

/** Adds a fresh salt and prepares the statement to sign. */
export function prepareUnsalted(fields: UnsaltedEnvelope): PreparedEvent {
  return prepare({ ...fields, salt: newSalt() });
}

/**
 * What "the same request" means for a signed event: who states which fact to whom under which key.
 * Not the salt, occurredAt or refs: those are the server's choices when it prepares a statement, so
 * every statement prepared for the same input under the same key is a replay of the first one
 * recorded, whichever of them the client submits.
 */
export function envelopeRequestHash(envelope: Envelope): Buffer {
  const { kind, actor, counterparty, payload, idempotencyKey } = envelope;
  return sha256(canonicalBytes({ kind, actor, counterparty, payload, idempotencyKey }));
}

/** Request identity for an operation the platform signs on a caller's behalf. */
export function operationRequestHash(operation: string, caller: string, input: unknown): Buffer {
  return sha256(canonicalBytes({ operation, caller, input }));
}
