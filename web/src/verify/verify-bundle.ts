/**
 * The offline verifier, in the page: services/verify/verifier.ts itself (web/browser-verifier.ts
 * swaps its node:crypto modules for web/src/verify/ ones), run on a file the user chose, against the
 * log key pinned at sign-in. Nothing the server says about the bundle takes part.
 */
import { parseVerifierKey } from '../../../services/crypto/signed-note.js';
import { verifyCheckpoint, verifyCosignature } from '../../../services/ledger/checkpoint.js';
import type { ProvenReceivable } from '../../../services/verify/chain-check.js';
import { type Verification, verifyBundle, verifyProofFile } from '../../../services/verify/verifier.js';

export type { ProvenReceivable, Verification };

/**
 * The file's text as `npm run verify` reads it: JSON; a proof bundle (it names its format) goes to
 * verifyBundle, anything else to verifyProofFile (a single event's proof file), with the pinned key.
 */
export function verifyBundleText(text: string, logKey: string): Verification {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (error) {
    return { valid: false, failed: `file shape: not JSON: ${(error as Error).message}`, checks: [] };
  }
  const bundle = typeof file === 'object' && file !== null && 'format' in file;
  return bundle ? verifyBundle(file, { logKey }) : verifyProofFile(file, { logKey });
}

export type NoteCheck = { ok: true; treeSize: string; origin: string } | { ok: false; reason: string };

/** The log's signature on a checkpoint note, checked with the pinned log key. */
export function checkCheckpoint(note: string, logKey: string): NoteCheck {
  const key = parseVerifierKey(logKey);
  if (key === null) return { ok: false, reason: 'the pinned log key is not a C2SP verifier key' };
  const verified = verifyCheckpoint(note, key);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  return { ok: true, treeSize: verified.checkpoint.treeSize.toString(), origin: verified.checkpoint.origin };
}

/** A witness's cosignature on a checkpoint note, checked with the witness's verifier key. */
export function checkCosignature(note: string, witnessKey: string): { ok: boolean; reason?: string } {
  const key = parseVerifierKey(witnessKey);
  if (key === null) return { ok: false, reason: 'not a C2SP verifier key' };
  const verified = verifyCosignature(note, key);
  return verified.ok ? { ok: true } : { ok: false, reason: verified.reason };
}
