/**
 * The offline verifier: given a proof file or a proof bundle, the log's verifier key and optionally
 * an older checkpoint with a consistency proof, it says valid or names exactly the check that failed.
 * Pure: no database, no network. Every number that matters (tree size, root) is taken from the signed
 * checkpoint, never from the unsigned file, since a proof binds the tree size only through the root.
 * Input comes from outside, so nothing here throws on a bad file; a failure is a value.
 */
import { assert } from '../assert.js';
import { canonicalJson, keyIdOf, parseHex, sha256, verify } from '../crypto/index.js';
import {
  parseNote,
  parseVerifierKey,
  signatureTypeEd25519,
  type VerifierKey,
  verifyNote,
} from '../crypto/signed-note.js';
import { type Checkpoint, verifyCheckpoint } from '../ledger/checkpoint.js';
import { emptyRoot, leafHash } from '../ledger/merkle.js';
import { consistencyFileSchema, proofFileSchema } from '../ledger/proof-file.js';
import { verifyConsistency, verifyInclusion } from '../ledger/verify.js';
import { type BundleEvent, bundleFormat, proofBundleSchema } from './bundle-file.js';
import { chainOutcome, type ProvenReceivable } from './chain-check.js';
import { eventLabel, keyBindingOutcome } from './key-binding.js';

export interface VerifyOptions {
  /** The log's C2SP verifier key, "<name>+<key id>+<base64 key>". */
  logKey: string;
  /** The origin line the checkpoint must carry; any origin when absent. */
  origin?: string;
  /** The statement of a proof file's event, when kept apart from the file (proof files only). */
  statement?: string;
  /** An older checkpoint with the consistency proof to this file's checkpoint (consistencyFileSchema). */
  older?: unknown;
}

export type Verification =
  | { valid: true; checks: string[]; proven?: ProvenReceivable }
  | { valid: false; failed: string; checks: string[] };

/** A failed check's sentence, or null when it passed (and was recorded in `checks`). */
type Outcome = string | null;

interface SignedLog {
  key: VerifierKey;
  checkpoint: Checkpoint;
  treeSize: number;
}

type Step<T> = { ok: true; value: T } | { ok: false; failed: string };

/** Checks a single proof file (DESIGN.md's format) against the log key. */
export function verifyProofFile(file: unknown, options: VerifyOptions): Verification {
  const checks: string[] = [];
  return conclude(proofFileOutcome(file, options, checks), checks);
}

/**
 * Checks a proof bundle: each event's statement, signature, inclusion, and its signer key's binding;
 * then that no fact of the invoice's chain is missing, and what the receivable's state is.
 */
export function verifyBundle(bundle: unknown, options: VerifyOptions): Verification {
  const checks: string[] = [];
  const outcome = bundleOutcome(bundle, options, checks);
  if (typeof outcome === 'string') return { valid: false, failed: outcome, checks };
  return { valid: true, checks, proven: outcome };
}

function conclude(failed: Outcome, checks: string[]): Verification {
  return failed === null ? { valid: true, checks } : { valid: false, failed, checks };
}

function proofFileOutcome(input: unknown, options: VerifyOptions, checks: string[]): Outcome {
  const shape = proofFileSchema.safeParse(input);
  if (!shape.success) return `file shape: ${firstIssue(shape.error.issues)}`;
  checks.push('file shape: proof file');
  const file = shape.data;
  const log = signedLog(file.checkpoint, 'proof', file.treeSize, options, checks);
  if (!log.ok) return log.failed;
  const eventHash = hexBytes(file.eventHash, 32);
  const statement = options.statement ?? file.statement;
  if (statement !== (file.statement ?? statement)) {
    return 'statement given separately differs from the statement in the proof file';
  }
  if (statement === undefined) {
    checks.push('statement: none given; eventHash is taken as the file states it');
  } else {
    const failed = statementOutcome('', statement, eventHash, checks);
    if (failed !== null) return failed;
  }
  const included = inclusionOutcome('', eventHash, file.leafIndex, file.inclusionPath, log.value, checks);
  return included ?? consistencyOutcome(options.older, log.value, checks);
}

function bundleOutcome(input: unknown, options: VerifyOptions, checks: string[]): string | ProvenReceivable {
  const format = typeof input === 'object' && input !== null && 'format' in input ? input.format : undefined;
  if (typeof format === 'string' && format !== bundleFormat) {
    return `file shape: format ${JSON.stringify(format)} is not ${bundleFormat}; a bundle of an older format cannot prove that no fact is missing: ask the ledger for a new one`;
  }
  const shape = proofBundleSchema.safeParse(input);
  if (!shape.success) return `file shape: ${firstIssue(shape.error.issues)}`;
  const bundle = shape.data;
  checks.push(`file shape: proof bundle of ${bundle.events.length} events for ${bundle.receivableId}`);
  const log = signedLog(bundle.checkpoint, 'bundle', bundle.treeSize, options, checks);
  if (!log.ok) return log.failed;
  for (const [index, event] of bundle.events.entries()) {
    const failed = bundleEventOutcome(eventLabel(event, index), event, log.value, checks);
    if (failed !== null) return failed;
  }
  const bound = keyBindingOutcome(bundle.events, checks);
  if (bound !== null) return bound;
  const chain = chainOutcome(bundle, log.value.checkpoint, log.value.key.publicKey, checks);
  if ('failed' in chain) return chain.failed;
  return consistencyOutcome(options.older, log.value, checks) ?? chain.proven;
}

function bundleEventOutcome(label: string, event: BundleEvent, log: SignedLog, checks: string[]): Outcome {
  const eventHash = hexBytes(event.eventHash, 32);
  if (event.statement === null) {
    checks.push(
      `${label}: statement withheld from this requester; its hash, signature and inclusion are checked`,
    );
  } else {
    const stated = statementOutcome(`${label}: `, event.statement, eventHash, checks);
    if (stated !== null) return stated;
    const statementKind = kindOf(event.statement);
    if (statementKind !== event.kind) {
      return `${label}: kind ${JSON.stringify(event.kind)} is not the kind its statement states (${JSON.stringify(statementKind)})`;
    }
    checks.push(`${label}: kind matches the statement`);
  }
  const publicKey = hexBytes(event.signerPublicKey, 32);
  if (keyIdOf(publicKey) !== event.keyId) return `${label}: keyId is not SHA-256 of the signer public key`;
  checks.push(`${label}: keyId is SHA-256 of the signer public key`);
  if (!verify(publicKey, eventHash, hexBytes(event.signature, 64))) {
    return `${label}: signature does not verify with the signer's public key`;
  }
  checks.push(
    `${label}: signature verifies with the signer's public key (keyId ${event.keyId.slice(0, 8)}…)`,
  );
  return inclusionOutcome(`${label}: `, eventHash, event.leafIndex, event.inclusionPath, log, checks);
}

/** The statement is canonical JSON (RFC 8785) and its UTF-8 bytes hash to eventHash. */
function statementOutcome(prefix: string, statement: string, eventHash: Buffer, checks: string[]): Outcome {
  if (!isCanonicalJson(statement)) return `${prefix}statement is not canonical JSON (RFC 8785)`;
  checks.push(`${prefix}statement is canonical JSON`);
  if (!sha256(Buffer.from(statement, 'utf8')).equals(eventHash))
    return `${prefix}statement does not hash to eventHash`;
  checks.push(`${prefix}statement hashes to eventHash`);
  return null;
}

function inclusionOutcome(
  prefix: string,
  eventHash: Buffer,
  leafIndex: number,
  inclusionPath: readonly string[],
  log: SignedLog,
  checks: string[],
): Outcome {
  if (leafIndex >= log.treeSize)
    return `${prefix}leafIndex ${leafIndex} is not below the tree size ${log.treeSize}`;
  checks.push(`${prefix}leafIndex ${leafIndex} is below the tree size ${log.treeSize}`);
  const path = inclusionPath.map((hex) => hexBytes(hex, 32));
  if (!verifyInclusion(leafHash(eventHash), leafIndex, log.treeSize, path, log.checkpoint.rootHash)) {
    return `${prefix}inclusion path does not lead to the checkpoint root`;
  }
  checks.push(`${prefix}inclusion path leads to the checkpoint root`);
  return null;
}

/** Log key, checkpoint signature and origin, then the file's treeSize against the signed one. */
function signedLog(
  noteText: string,
  what: 'proof' | 'bundle',
  treeSize: number,
  options: VerifyOptions,
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
function consistencyOutcome(older: unknown, log: SignedLog, checks: string[]): Outcome {
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

function isCanonicalJson(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

/** The statement's "kind" field; the statement is known to be canonical JSON by now. */
function kindOf(statement: string): string | null {
  const parsed: unknown = JSON.parse(statement);
  if (typeof parsed !== 'object' || parsed === null || !('kind' in parsed)) return null;
  return typeof parsed.kind === 'string' ? parsed.kind : null;
}

/** Hex the schema has already checked: a parse failure here is a bug. */
function hexBytes(hex: string, bytes: number): Buffer {
  const parsed = parseHex(hex, bytes);
  assert(parsed !== null, 'the file schema admits only hex of the right length');
  return parsed;
}

function keyLabel(key: { name: string; keyId: number }): string {
  return `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;
}

function firstIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (issue === undefined) return 'does not match the format';
  const where = issue.path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`,
    '',
  );
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
