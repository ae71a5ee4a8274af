/**
 * Who may put a new signing key on a party. An API key proves only that the platform let a request
 * through, so it can never replace a key the party holds itself: a stolen API key would otherwise
 * take over the party's signatures.
 *
 * - The active key is self-held: the current key must sign the key addition statement, whether the
 *   new key is self-held or custodial.
 * - The active key is custodial, or the party never had a key: the API key suffices, as the platform
 *   already signs for such a party.
 * - No active key, and the last one was self-held (revoked, perhaps by a thief as an emergency stop):
 *   only an administrator recovery (registry/key-recovery.service.ts) installs a key.
 * In every case a new self-held key proves possession by signing the same statement.
 */
import type { KeyAuthorization } from '../../schema/database.js';
import { parseHex, verify } from '../crypto/index.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import type { PartyKey } from './party.js';

/** Hex signatures over the key addition statement's hash, as the caller sent them. */
export interface KeyProofs {
  /** By the party's current (active) key: needed when that key is self-held. */
  currentKeySignature: string | null;
  /** By the new key: needed whenever the new key is self-held. */
  proofOfPossession: string | null;
}

export interface PartyKeyState {
  active: PartyKey | undefined;
  latest: PartyKey | undefined;
}

function signedBy(publicKey: Buffer, statementHash: Buffer, signatureHex: string): boolean {
  const signature = parseHex(signatureHex, 64);
  return signature !== null && verify(publicKey, statementHash, signature);
}

/**
 * The new key's signature of the statement, when the new key is self-held (publicKey not null).
 *
 * Failure codes: proof_of_possession_invalid.
 */
export function possessionProblem(
  publicKey: Buffer | null,
  statementHash: Buffer,
  proofOfPossession: string | null,
): Failure | null {
  if (publicKey === null) return null;
  if (proofOfPossession !== null && signedBy(publicKey, statementHash, proofOfPossession)) return null;
  return fail(
    'proof_of_possession_invalid',
    "proofOfPossession must be the new key's Ed25519 signature of the statement hash",
    'proofOfPossession',
  );
}

/** The checks that need no database: which signatures go with which request. */
export function keyProofsProblem(custodial: boolean, proofs: KeyProofs): Failure | null {
  if (custodial && proofs.proofOfPossession !== null) {
    return fail(
      'invalid_input',
      'a custodial key is generated here: give no proofOfPossession',
      'proofOfPossession',
    );
  }
  if (!custodial && proofs.proofOfPossession === null) {
    return fail(
      'proof_of_possession_required',
      'a self-held key needs proofOfPossession: its signature of the statement hash',
      'proofOfPossession',
    );
  }
  return null;
}

/**
 * How an addition by API key is authorized, or why it is not.
 *
 * Failure codes: key_recovery_required, current_key_signature_required, current_key_signature_invalid,
 * invalid_input, proof_of_possession_invalid.
 */
export function authorizeKeyAddition(
  state: PartyKeyState,
  newPublicKey: Buffer | null,
  statementHash: Buffer,
  proofs: KeyProofs,
): Result<KeyAuthorization> {
  const { active, latest } = state;
  const selfHeld = active !== undefined && !active.custodial;
  if (active === undefined && latest !== undefined && !latest.custodial) {
    return fail(
      'key_recovery_required',
      `the party's self-held key ${latest.keyId} is ${latest.status} and it has no active key: only an administrator recovery installs a new one`,
      'partyId',
    );
  }
  if (selfHeld && proofs.currentKeySignature === null) {
    return fail(
      'current_key_signature_required',
      `the active key ${active.keyId} is self-held: it must sign the key addition statement`,
      'currentKeySignature',
    );
  }
  if (selfHeld && !signedBy(active.publicKey, statementHash, proofs.currentKeySignature ?? '')) {
    return fail(
      'current_key_signature_invalid',
      `currentKeySignature does not verify with the active key ${active.keyId}`,
      'currentKeySignature',
    );
  }
  if (!selfHeld && proofs.currentKeySignature !== null) {
    return fail(
      'invalid_input',
      'currentKeySignature is for a party whose active key it holds itself; this one has none',
      'currentKeySignature',
    );
  }
  const possession = possessionProblem(newPublicKey, statementHash, proofs.proofOfPossession);
  if (possession) return possession;
  return ok(selfHeld ? 'rotated_by_previous_key' : 'api_key');
}
