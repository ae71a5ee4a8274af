/** SHA-256 and strict hex, the encodings used for event hashes, key ids and proofs. */
import { createHash } from 'node:crypto';

const hexPattern = /^(?:[0-9a-fA-F]{2})*$/;

/** SHA-256 of bytes, or of a string taken as UTF-8. */
export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Lowercase hex, the one spelling used wherever a hash or key is shown or stored as text. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * Parses hex strictly (even length, hex digits only, and exactly `byteLength` bytes when given).
 * Returns null rather than throwing, since hex arrives from clients and proof files;
 * Buffer.from(hex, 'hex') would silently stop at the first bad character instead.
 */
export function parseHex(hex: string, byteLength?: number): Buffer | null {
  if (typeof hex !== 'string' || !hexPattern.test(hex)) return null;
  if (byteLength !== undefined && hex.length !== byteLength * 2) return null;
  return Buffer.from(hex, 'hex');
}
