/**
 * The browser's services/crypto/digest.ts (web/browser-verifier.ts puts it in that module's place in
 * the console's build): the same exports, the same strict hex, SHA-256 from @noble/hashes instead
 * of node:crypto, and Buffer from the `buffer` package, so callers keep `.equals` and `.toString`.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

const hexPattern = /^(?:[0-9a-fA-F]{2})*$/;

/** SHA-256 of bytes, or of a string taken as UTF-8. */
export function sha256(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.from(nobleSha256(bytes));
}

/** Lowercase hex, the one spelling used wherever a hash or key is shown or stored as text. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex strictly (even length, hex digits only, and exactly `byteLength` bytes when given). */
export function parseHex(hex: string, byteLength?: number): Buffer | null {
  if (typeof hex !== 'string' || !hexPattern.test(hex)) return null;
  if (byteLength !== undefined && hex.length !== byteLength * 2) return null;
  return Buffer.from(hex, 'hex');
}
