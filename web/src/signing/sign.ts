/**
 * Signs a prepared statement as the ledger verifies it: Ed25519 over SHA-256 of the statement's
 * UTF-8 bytes (the event hash). Runs in the page; the private key is never sent anywhere.
 */
import { signAsync } from '@noble/ed25519';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './hex';

export function eventHashOf(statement: string): string {
  return toHex(sha256(new TextEncoder().encode(statement)));
}

export async function signStatement(statement: string, privateKey: Uint8Array): Promise<string> {
  const eventHash = sha256(new TextEncoder().encode(statement));
  return toHex(await signAsync(eventHash, privateKey));
}
