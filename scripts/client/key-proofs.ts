/**
 * Signatures for the key registry, made where the private key lives: the proof of possession a new
 * key gives at registration or addition, and the current key's consent to its own replacement. As
 * with events, the hash is recomputed from the statement, and only a statement of the two known
 * shapes is signed, so a key never signs bytes it could not read (services/parties/key-statement.ts).
 */
import { publicKeyFromPrivate, sha256, sign, toHex } from '../../services/crypto/index.js';
import {
  type KeyAddition,
  parseKeyAdditionStatement,
  parseRegistrationStatement,
  registrationStatement,
} from '../../services/parties/key-statement.js';
import { validateRegistrationId } from '../../services/parties/registration-id.js';

export class KeyStatementRefusedError extends Error {
  override name = 'KeyStatementRefusedError';
}

export interface SignedKeyStatement {
  /** SHA-256 of the UTF-8 statement, lowercase hex. */
  statementHash: string;
  /** Ed25519 over the 32 bytes of statementHash, lowercase hex. */
  signature: string;
}

export type KeyStatementContent =
  | { kind: 'party_key.addition'; addition: KeyAddition }
  | { kind: 'party.registration'; registrationId: string; publicKey: string };

/** What a key statement says, or null when it is not a canonical registration or key addition. */
export function keyStatementContent(statement: string): KeyStatementContent | null {
  const addition = parseKeyAdditionStatement(statement);
  if (addition) return { kind: 'party_key.addition', addition };
  const registration = parseRegistrationStatement(statement);
  return registration && { kind: 'party.registration', ...registration };
}

/** Signs a registration or key addition statement; throws KeyStatementRefusedError for anything else. */
export function signKeyStatement(statement: string, privateKey: Uint8Array): SignedKeyStatement {
  if (keyStatementContent(statement) === null) {
    throw new KeyStatementRefusedError(
      'not a canonical party.registration or party_key.addition statement: sign it exactly as prepared',
    );
  }
  const statementHash = sha256(Buffer.from(statement, 'utf8'));
  return { statementHash: toHex(statementHash), signature: toHex(sign(privateKey, statementHash)) };
}

export interface RegistrationProof {
  publicKey: string;
  statement: string;
  /** What registerParty takes as proofOfPossession. */
  proofOfPossession: string;
}

/**
 * The proof that the holder of `privateKey` registers as `registrationId`, for registerParty. The id
 * is normalized as the ledger normalizes it, so "91350100m000100y43 " signs the same statement.
 */
export function registrationProof(privateKey: Uint8Array, registrationId: string): RegistrationProof {
  const publicKey = toHex(publicKeyFromPrivate(privateKey));
  const validated = validateRegistrationId(registrationId);
  const normalized = validated.ok ? validated.value : registrationId;
  const { statement } = registrationStatement(normalized, publicKey);
  return { publicKey, statement, proofOfPossession: signKeyStatement(statement, privateKey).signature };
}
