/**
 * Signing a prepared statement on the party's side. The hash is recomputed from the statement text,
 * never taken from the server: a signature over a hash the signer has not derived itself could commit
 * the party to a fact it never saw. Only canonical envelopes are signed, so the bytes signed are the
 * bytes the ledger rebuilds from the fields.
 */
import { canonicalJson, sha256, sign, toHex } from '../../services/crypto/index.js';
import { type Envelope, envelopeFields, envelopeProblem } from '../../services/events/envelope.js';

export { envelopeFields };

export const statementBytesMax = 1_048_576;

export type StatementRefusalCode =
  | 'statement_too_large'
  | 'statement_not_json'
  | 'statement_not_canonical'
  | 'statement_not_envelope';

export interface StatementRefusal {
  code: StatementRefusalCode;
  message: string;
}

export class StatementRefusedError extends Error {
  override name = 'StatementRefusedError';
  constructor(
    readonly code: StatementRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedStatement {
  /** SHA-256 of the UTF-8 statement, lowercase hex. */
  eventHash: string;
  /** Ed25519 over the 32 bytes of eventHash, lowercase hex. */
  signature: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field types first, so that envelopeProblem (which assumes them) can check the values. */
function envelopeTypeProblem(value: Record<string, unknown>): string | null {
  for (const field of ['actor', 'idempotencyKey', 'kind', 'occurredAt', 'salt']) {
    if (typeof value[field] !== 'string') return `"${field}" must be a string`;
  }
  if (value.counterparty !== null && typeof value.counterparty !== 'string') {
    return '"counterparty" must be a string or null';
  }
  const refs = value.refs;
  if (!Array.isArray(refs) || !refs.every((ref) => typeof ref === 'string')) {
    return '"refs" must be an array of strings';
  }
  if (!isObject(value.payload)) return '"payload" must be a JSON object';
  return null;
}

function shapeProblem(value: unknown): string | null {
  if (!isObject(value)) return 'the statement must be a JSON object';
  const fields = Object.keys(value).sort();
  if (fields.join() !== envelopeFields.join()) {
    return `an envelope has exactly the fields ${envelopeFields.join(', ')}; found ${fields.join(', ')}`;
  }
  const typeProblem = envelopeTypeProblem(value);
  if (typeProblem !== null) return typeProblem;
  const failure = envelopeProblem(value as unknown as Envelope);
  return failure === null ? null : `${failure.field ?? 'envelope'}: ${failure.message}`;
}

/** Why a statement must not be signed, or null when it is a canonical envelope. */
export function statementProblem(statement: string): StatementRefusal | null {
  if (Buffer.byteLength(statement, 'utf8') > statementBytesMax) {
    return { code: 'statement_too_large', message: `a statement is at most ${statementBytesMax} bytes` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(statement);
  } catch (error) {
    return { code: 'statement_not_json', message: `not JSON: ${(error as Error).message}` };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(parsed);
  } catch (error) {
    return { code: 'statement_not_canonical', message: (error as Error).message };
  }
  if (canonical !== statement) {
    return {
      code: 'statement_not_canonical',
      message:
        'not RFC 8785 canonical JSON (key order, whitespace or number spelling differ); sign it unchanged',
    };
  }
  const shape = shapeProblem(parsed);
  return shape === null ? null : { code: 'statement_not_envelope', message: shape };
}

/**
 * Signs a prepared statement with a 32-byte Ed25519 private key (seed). Throws StatementRefusedError
 * with statement_too_large, statement_not_json, statement_not_canonical or statement_not_envelope;
 * a private key of the wrong length is a bug and throws a RangeError.
 */
export function signStatement(statement: string, privateKey: Uint8Array): SignedStatement {
  const refusal = statementProblem(statement);
  if (refusal !== null) throw new StatementRefusedError(refusal.code, refusal.message);
  const eventHash = sha256(Buffer.from(statement, 'utf8'));
  return { eventHash: toHex(eventHash), signature: toHex(sign(privateKey, eventHash)) };
}
