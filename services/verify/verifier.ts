/**
 * The offline verifier: given a proof file or a proof bundle, the log's verifier key and optionally
 * an older checkpoint with a consistency proof, it says valid or names exactly the check that failed.
 * Pure: no database, no network. Every number that matters (tree size, root) is taken from the signed
 * checkpoint, never from the unsigned file, since a proof binds the tree size only through the root.
 * Input comes from outside, so nothing here throws on a bad file; a failure is a value.
 */
import { canonicalJson, keyIdOf, sha256, verify } from '../crypto/index.js';
import { leafHash } from '../ledger/merkle.js';
import { proofFileSchema } from '../ledger/proof-file.js';
import { verifyInclusion } from '../ledger/verify.js';
import { type BundleEvent, bundleFormat, proofBundleSchema } from './bundle-file.js';
import { chainOutcome, type ProvenReceivable } from './chain-check.js';
import {
  consistencyOutcome,
  firstIssue,
  hexBytes,
  type Outcome,
  type SignedLog,
  signedLog,
} from './checkpoint-check.js';
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

/** Checks a single proof file (docs/design.md's format) against the log key. */
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
