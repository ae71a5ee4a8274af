/**
 * The signed part of every file the verifier reads: the log key, the checkpoint note it signs, the
 * tree size the checkpoint states, and an older checkpoint with the consistency proof to this one.
 * Pure, like the rest of the verifier; a failure is a sentence naming the check.
 */
import { assert } from '../assert.js';
import { parseHex } from '../crypto/index.js';
import {
  parseNote,
  parseVerifierKey,
  signatureTypeEd25519,
  type VerifierKey,
  verifyNote,
} from '../crypto/signed-note.js';
import { type Checkpoint, verifyCheckpoint } from '../ledger/checkpoint.js';
import { emptyRoot } from '../ledger/merkle.js';
import { consistencyFileSchema } from '../ledger/proof-file.js';
import { verifyConsistency } from '../ledger/verify.js';

/** A failed check's sentence, or null when it passed (and was recorded in `checks`). */
export type Outcome = string | null;

export interface SignedLog {
  key: VerifierKey;
  checkpoint: Checkpoint;
  treeSize: number;
}

export type Step<T> = { ok: true; value: T } | { ok: false; failed: string };

export interface LogOptions {
  logKey: string;
  origin?: string;
}

/** Log key, checkpoint signature and origin, then the file's treeSize against the signed one. */
export function signedLog(
  noteText: string,
  what: 'proof' | 'bundle',
  treeSize: number,
  options: LogOptions,
  checks: string[],
): Step<SignedLog> {
  const key = parseVerifierKey(options.logKey);
  if (key === null) {
    return {
      ok: false,
      failed: 'log key: not a valid C2SP verifier key ("<name>+<8 hex key id>+<base64 key>")',
    };
  }
  if (key.type !== signatureTypeEd25519) {
    return {
      ok: false,
      failed: `log key: ${keyLabel(key)} is a witness cosignature key, not an Ed25519 log key`,
    };
  }
  checks.push(`log key: ${keyLabel(key)}`);
  const signed = signedCheckpoint('checkpoint', noteText, key, options.origin, checks);
  if (!signed.ok) return signed;
  const checkpoint = signed.value;
  if (BigInt(treeSize) !== checkpoint.treeSize) {
    return {
      ok: false,
      failed: `${what} treeSize ${treeSize} differs from the checkpoint's tree size ${checkpoint.treeSize}`,
    };
  }
  checks.push(`tree size: ${treeSize}, as the checkpoint signs it`);
  return { ok: true, value: { key, checkpoint, treeSize } };
}

/** The note parses, the log key signed it exactly once and validly, the body is a checkpoint, the origin fits. */
function signedCheckpoint(
  name: string,
  noteText: string,
  key: VerifierKey,
  expectedOrigin: string | undefined,
  checks: string[],
): Step<Checkpoint> {
  const fail = (reason: string): Step<Checkpoint> => ({ ok: false, failed: `${name}: ${reason}` });
  const label = keyLabel(key);
  const note = parseNote(noteText);
  if (note === null) {
    const verified = verifyNote(noteText, [key]);
    return fail(verified.ok ? 'not a well-formed signed note' : verified.reason);
  }
  const lines = note.signatures.filter((line) => line.name === key.name && line.keyId === key.keyId);
  if (lines.length === 0) {
    const signers = note.signatures.map(keyLabel).join(', ');
    return fail(`has no signature by log key ${label} (signed by ${signers})`);
  }
  if (lines.length > 1) return fail(`log key ${label} signed it more than once`);
  if (!verifyNote(noteText, [key]).ok) return fail(`signature by log key ${label} is invalid`);
  const verified = verifyCheckpoint(noteText, key);
  if (!verified.ok) return fail(verified.reason.replace(/^checkpoint /, ''));
  const { checkpoint } = verified;
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    return fail(
      `origin ${JSON.stringify(checkpoint.origin)} is not the expected ${JSON.stringify(expectedOrigin)}`,
    );
  }
  checks.push(
    `${name}: signed by log key ${label} (origin ${checkpoint.origin}, tree size ${checkpoint.treeSize})`,
  );
  return { ok: true, value: checkpoint };
}

/** The older checkpoint verifies with the same key and origin, and the newer tree extends its tree. */
export function consistencyOutcome(older: unknown, log: SignedLog, checks: string[]): Outcome {
  if (older === undefined) return null;
  const shape = consistencyFileSchema.safeParse(older);
  if (!shape.success) return `consistency: file shape: ${firstIssue(shape.error.issues)}`;
  const file = shape.data;
  const signed = signedCheckpoint(
    'consistency: older checkpoint',
    file.checkpoint,
    log.key,
    log.checkpoint.origin,
    checks,
  );
  if (!signed.ok) return signed.failed;
  const olderCheckpoint = signed.value;
  if (BigInt(file.fromSize) !== olderCheckpoint.treeSize) {
    return `consistency: fromSize ${file.fromSize} differs from the older checkpoint's tree size ${olderCheckpoint.treeSize}`;
  }
  if (file.toSize !== log.treeSize) {
    return `consistency: toSize ${file.toSize} differs from this checkpoint's tree size ${log.treeSize}`;
  }
  const path = file.consistencyPath.map((hex) => hexBytes(hex, 32));
  const sizes = `older checkpoint (size ${file.fromSize})`;
  const extends_ =
    file.fromSize === 0
      ? path.length === 0 && olderCheckpoint.rootHash.equals(emptyRoot())
      : verifyConsistency(
          file.fromSize,
          log.treeSize,
          olderCheckpoint.rootHash,
          log.checkpoint.rootHash,
          path,
        );
  if (!extends_) return `consistency: ${sizes} is not a prefix of this one (size ${log.treeSize})`;
  checks.push(`consistency: ${sizes} is a prefix of this one (size ${log.treeSize})`);
  return null;
}

/** Hex the schema has already checked: a parse failure here is a bug. */
export function hexBytes(hex: string, bytes: number): Buffer {
  const parsed = parseHex(hex, bytes);
  assert(parsed !== null, 'the file schema admits only hex of the right length');
  return parsed;
}

function keyLabel(key: { name: string; keyId: number }): string {
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;
}

export function firstIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (issue === undefined) return 'does not match the format';
  const where = issue.path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`,
    '',
  );
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
