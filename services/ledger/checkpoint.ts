/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the body "<origin>\n<tree size>\n<base64 root>\n"
 * plus optional extension lines (kept when read, never written), carried in a signed note that the
 * log key signs; witnesses add c2sp.org/tlog-cosignature lines to the same note.
 * Reading returns values with an exact reason; writing throws on bad input (a bug in the caller).
 */
import { assert } from '../assert.js';
import {
  cosignNote,
  parseBase64,
  parseNote,
  signatureTypeCosignatureV1,
  signatureTypeEd25519,
  signNote,
  textProblem,
  type VerifierKey,
  verifyNote,
} from '../crypto/signed-note.js';

/** Tree sizes are uint64, as in RFC 9162 and Go's tlog. */
export const treeSizeMax = 2n ** 64n - 1n;
export const rootHashBytes = 32;

export interface CheckpointInput {
  origin: string;
  treeSize: bigint | number;
  rootHash: Uint8Array;
}

export interface Checkpoint {
  origin: string;
  treeSize: bigint;
  rootHash: Buffer;
  extensions: string[];
}

export type CheckpointVerification = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };
export type CosignatureVerification =
  | { ok: true; checkpoint: Checkpoint; timestamp: number }
  | { ok: false; reason: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The three lines of a checkpoint body; throws on an origin, size or root that cannot be written. */
export function formatCheckpointBody({ origin, treeSize, rootHash }: CheckpointInput): string {
  if (origin === '' || origin.includes('\n') || textProblem(origin) !== null) {
    throw new RangeError(
      `checkpoint origin must be one non-empty line of text, got ${JSON.stringify(origin)}`,
    );
  }
  if (typeof treeSize === 'number' && !Number.isSafeInteger(treeSize)) {
    throw new RangeError(`checkpoint tree size must be an integer, got ${treeSize}`);
  }
  const size = BigInt(treeSize);
  if (size < 0n || size > treeSizeMax) throw new RangeError(`checkpoint tree size out of range: ${size}`);
  if (rootHash.length !== rootHashBytes) {
    throw new RangeError(`checkpoint root hash must be ${rootHashBytes} bytes, got ${rootHash.length}`);
  }
  return `${origin}\n${size}\n${Buffer.from(rootHash).toString('base64')}\n`;
}

function parseCheckpointBodyDetailed(body: string): Parsed<Checkpoint> {
  const problem = textProblem(body);
  if (problem) return { ok: false, reason: `checkpoint body ${problem}` };
  if (!body.endsWith('\n')) return { ok: false, reason: 'checkpoint body is not newline-terminated' };
  const [origin, sizeText, rootText, ...extensions] = body.slice(0, -1).split('\n');
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    return { ok: false, reason: 'checkpoint body has fewer than three lines (origin, tree size, root hash)' };
  }
  if (origin === '') return { ok: false, reason: 'checkpoint origin line is empty' };
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) {
    return {
      ok: false,
      reason: `checkpoint tree size ${JSON.stringify(sizeText)} is not a decimal number without leading zeros`,
    };
  }
  const treeSize = BigInt(sizeText);
  if (treeSize > treeSizeMax)
    return { ok: false, reason: `checkpoint tree size ${sizeText} exceeds 2^64 - 1` };
  const rootHash = parseBase64(rootText);
  if (!rootHash)
    return { ok: false, reason: `checkpoint root hash ${JSON.stringify(rootText)} is not valid base64` };
  if (rootHash.length !== rootHashBytes) {
    return { ok: false, reason: `checkpoint root hash is ${rootHash.length} bytes, not ${rootHashBytes}` };
  }
  const empty = extensions.indexOf('');
  if (empty >= 0) return { ok: false, reason: `checkpoint extension line ${empty + 1} is empty` };
  return { ok: true, value: { origin, treeSize, rootHash, extensions } };
}

/** A checkpoint body read strictly (canonical size, 32-byte root, no empty extension line), or null. */
export function parseCheckpointBody(body: string): Checkpoint | null {
  const parsed = parseCheckpointBodyDetailed(body);
  return parsed.ok ? parsed.value : null;
}

/** The checkpoint note signed by the log key; the key name is usually the origin. */
export function signCheckpoint(
  checkpoint: CheckpointInput,
  logKeyName: string,
  logPrivateKey: Uint8Array,
): string {
  return signNote(formatCheckpointBody(checkpoint), logKeyName, logPrivateKey);
}

/**
 * Checks a checkpoint note against the log's verifier key (and origin, when given): the log's
 * signature verifies, and the body is a well-formed checkpoint. Other signature lines are ignored.
 */
export function verifyCheckpoint(
  noteText: string,
  logVerifierKey: VerifierKey,
  expectedOrigin?: string,
): CheckpointVerification {
  if (logVerifierKey.type !== signatureTypeEd25519) {
    return { ok: false, reason: `log key ${logVerifierKey.name} is not an Ed25519 note signing key` };
  }
  const verified = verifyNote(noteText, [logVerifierKey]);
  if (!verified.ok) return verified;
  const parsed = parseCheckpointBodyDetailed(verified.body);
  if (!parsed.ok) return parsed;
  if (expectedOrigin !== undefined && parsed.value.origin !== expectedOrigin) {
    return {
      ok: false,
      reason: `checkpoint origin ${JSON.stringify(parsed.value.origin)} is not the expected ${JSON.stringify(expectedOrigin)}`,
    };
  }
  return { ok: true, checkpoint: parsed.value };
}

/**
 * Adds a witness cosignature (c2sp.org/tlog-cosignature, type 0x04) made at `timestampSeconds` to a
 * checkpoint note. The witness must first have verified the log signature and checked consistency
 * with the last checkpoint it cosigned; this only formats. Throws on a note that is no checkpoint.
 */
export function cosignCheckpoint(
  noteText: string,
  witnessName: string,
  witnessPrivateKey: Uint8Array,
  timestampSeconds: number,
): string {
  const note = parseNote(noteText);
  if (!note) throw new RangeError('cannot cosign: not a well-formed signed note');
  const parsed = parseCheckpointBodyDetailed(note.body);
  if (!parsed.ok) throw new RangeError(`cannot cosign: ${parsed.reason}`);
  return cosignNote(noteText, witnessName, witnessPrivateKey, timestampSeconds);
}

/** Checks one witness's cosignature on a checkpoint note and returns when the witness made it. */
export function verifyCosignature(
  noteText: string,
  witnessVerifierKey: VerifierKey,
): CosignatureVerification {
  if (witnessVerifierKey.type !== signatureTypeCosignatureV1) {
    return { ok: false, reason: `witness key ${witnessVerifierKey.name} is not a cosignature/v1 key` };
  }
  const verified = verifyNote(noteText, [witnessVerifierKey]);
  if (!verified.ok) return verified;
  const parsed = parseCheckpointBodyDetailed(verified.body);
  if (!parsed.ok) return parsed;
  const timestamp = verified.signatures[0]?.timestamp;
  assert(typeof timestamp === 'number', 'a verified cosignature/v1 carries a timestamp');
  return { ok: true, checkpoint: parsed.value, timestamp };
}
