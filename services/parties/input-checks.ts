/** Checks shared by the registry operations; each returns the failure or null. */
import { isUsablePublicKey, parseHex } from '../crypto/index.js';
import { isUuid, jsonTextProblem, type TextKind, textCharacterProblem } from '../input-rules.js';
import { type Failure, fail } from '../result.js';

export const clientIdempotencyKeyLengthMax = 128;

/**
 * A text input: 1 to `lengthMax` characters, without leading or trailing whitespace, obeying the text
 * rule of its kind (input-rules.ts). Failure codes: invalid_input naming `field`.
 */
export function textProblem(value: string, field: string, lengthMax: number, kind: TextKind): Failure | null {
  if (value.length < 1 || value.length > lengthMax || value !== value.trim()) {
    return fail('invalid_input', `${field} must be 1 to ${lengthMax} characters, trimmed`, field);
  }
  const problem = textCharacterProblem(value, kind);
  return problem ? fail('invalid_input', `${field} ${problem}`, field) : null;
}

/**
 * The rule for every client idempotency key, in prepare, in a submitted statement and in the registry
 * operations: 1 to 128 characters of a code (no controls, no bidi or other invisible characters).
 */
export function idempotencyKeyProblem(key: string): Failure | null {
  if (key.length < 1 || key.length > clientIdempotencyKeyLengthMax) {
    return fail(
      'invalid_input',
      `idempotencyKey must be 1 to ${clientIdempotencyKeyLengthMax} characters`,
      'idempotencyKey',
    );
  }
  const problem = textCharacterProblem(key, 'code');
  return problem ? fail('invalid_input', `idempotencyKey ${problem}`, 'idempotencyKey') : null;
}

/**
 * The text rule over every string of a registry operation's input, before it is hashed as the request
 * identity: a lone surrogate has no canonical JSON and NUL no place in a TEXT column. The operations'
 * own checks name their fields first; this keeps whatever they do not check from becoming a 500.
 */
export function registryInputProblem(input: unknown): Failure | null {
  const found = jsonTextProblem(input, 'name');
  return found ? fail('invalid_input', `${found.field} ${found.problem}`, found.field) : null;
}

export function uuidProblem(value: string, field: string): Failure | null {
  return isUuid(value) ? null : fail('invalid_input', `${field} must be a lowercase UUID`, field);
}

/** A 32-byte Ed25519 public key in hex that decodes to a usable (large-order) point. */
export function parsePublicKey(hex: string): { ok: true; key: Buffer } | Failure {
  const key = parseHex(hex, 32);
  if (key === null || !isUsablePublicKey(key)) {
    return fail('public_key_invalid', 'publicKey must be a 32-byte Ed25519 public key in hex', 'publicKey');
  }
  return { ok: true, key };
}
