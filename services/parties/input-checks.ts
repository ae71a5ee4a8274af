/** Checks shared by the registry operations; each returns the failure or null. */
import { isUsablePublicKey, parseHex } from '../crypto/index.js';
import { isUuid } from '../events/envelope.js';
import { type Failure, fail } from '../result.js';

export const clientIdempotencyKeyLengthMax = 128;

export function idempotencyKeyProblem(key: string): Failure | null {
  if (key.length < 1 || key.length > clientIdempotencyKeyLengthMax || /[\p{Cc}]/u.test(key)) {
    return fail(
      'invalid_input',
      `idempotencyKey must be 1 to ${clientIdempotencyKeyLengthMax} printable characters`,
      'idempotencyKey',
    );
  }
  return null;
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
