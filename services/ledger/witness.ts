/**
 * Witnesses: keys that lenders register to cosign checkpoints (c2sp.org/tlog-cosignature) once their
 * side has checked the new checkpoint is consistent with the last one they cosigned. A cosignature
 * is stored as the exact signature line the witness sent, so that appending it to the checkpoint
 * note gives back the note the witness signed.
 */
import { encodeVerifierKey, signatureTypeCosignatureV1 } from '../crypto/signed-note.js';

export interface Witness {
  id: string;
  partyId: string;
  /** The note key name the witness signs under; unique across the log. */
  name: string;
  publicKey: Buffer;
  createdAt: Date;
}

export interface Cosignature {
  treeSize: number;
  witnessId: string;
  witnessName: string;
  /** "— <name> <base64(key id || timestamp || signature)>", without its newline. */
  signatureLine: string;
  /** The time the witness put in its cosignature. */
  cosignedAt: Date;
}

/** Longest cosignature line accepted: a name of up to 100 characters plus 76 bytes in base64. */
export const signatureLineLengthMax = 300;

/** The witness's cosignature/v1 verifier key, as its side would publish it. */
export function witnessVerifierKey(witness: Pick<Witness, 'name' | 'publicKey'>): string {
  return encodeVerifierKey(witness.name, witness.publicKey, signatureTypeCosignatureV1);
}

/** The checkpoint note with cosignature lines appended after its own signature lines. */
export function appendSignatureLines(note: string, lines: readonly string[]): string {
  return note + lines.map((line) => `${line}\n`).join('');
}
