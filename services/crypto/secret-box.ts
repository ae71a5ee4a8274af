/**
 * AES-256-GCM sealing of custodial private keys at rest. Layout: version 0x01 || 12-byte random IV ||
 * ciphertext || 16-byte tag. The version byte is also the additional authenticated data, so it
 * cannot be swapped without failing the tag, and a later format can be told apart.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 0x01;
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const headerBytes = 1 + ivBytes;

function assertKey(key: Uint8Array): void {
  if (key.length !== keyBytes)
    throw new RangeError(`secret-box key must be ${keyBytes} bytes, got ${key.length}`);
}

/** Encrypts and authenticates `plaintext`; a fresh random IV each call. Throws on a wrong-length key. */
export function seal(key: Uint8Array, plaintext: Uint8Array): Buffer {
  assertKey(key);
  const header = Buffer.alloc(headerBytes);
  header[0] = version;
  randomBytes(ivBytes).copy(header, 1);
  const cipher = createCipheriv('aes-256-gcm', key, header.subarray(1), { authTagLength: tagBytes });
  cipher.setAAD(header.subarray(0, 1));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * The plaintext, or null when the box does not check: unknown version, too short, or a tag that
 * fails (wrong key, tampering). Throws only on a wrong-length key, which is a configuration bug.
 */
export function open(key: Uint8Array, sealed: Uint8Array): Buffer | null {
  assertKey(key);
  if (sealed.length < headerBytes + tagBytes || sealed[0] !== version) return null;
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, headerBytes), {
    authTagLength: tagBytes,
  });
  decipher.setAAD(bytes.subarray(0, 1));
  decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(headerBytes, bytes.length - tagBytes)),
      decipher.final(),
    ]);
  } catch {
    return null;
  }
}
