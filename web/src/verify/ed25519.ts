/**
 * The browser's services/crypto/ed25519.ts (web/browser-verifier.ts puts it in that module's place
 * in the console's build): the same exports and the same refusals, on @noble/ed25519 instead of
 * node:crypto. What node's module refuses, this refuses: wrong lengths, the small-order key and R
 * encodings of libsodium's blocklist, keys that do not decode to a point (RFC 8032 5.1.3), S not
 * below the group order. A signature is checked as OpenSSL checks it (cofactorless): [S]B - [k]A must
 * encode to exactly the R bytes of the signature; noble's own verify checks the cofactored equation,
 * which accepts more with a key that has a small-order component.
 * test/web/verifier-browser.test.ts holds both modules to the same answers.
 */
import { etc, hashes, getPublicKey as noblePublicKey, sign as nobleSign, Point } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';
import { hasSmallOrder } from '../../../services/crypto/small-order.js';
import { sha256, toHex } from './digest.js';

// Synchronous signing and verification need SHA-512 from somewhere other than WebCrypto (async).
hashes.sha512 = sha512;

const keyBytes = 32;
const signatureBytes = 64;
/** The order of the prime-order subgroup (RFC 8032's L). */
const groupOrder = 2n ** 252n + 27742317777372353535851937790883648493n;

/** A raw Ed25519 key pair; `privateKey` is the 32-byte seed of RFC 8032. */
export interface Ed25519KeyPair {
  publicKey: Buffer;
  privateKey: Buffer;
}

/** The point `encoded` names, decoded strictly (y below p, x a square root, no "negative zero"). */
function decodePoint(encoded: Uint8Array): Point | null {
  try {
    return Point.fromBytes(Uint8Array.from(encoded), false);
  } catch {
    return null;
  }
}

function checkSeed(privateKey: Uint8Array): void {
  if (privateKey.length !== keyBytes) {
    throw new RangeError(`Ed25519 private key must be ${keyBytes} bytes, got ${privateKey.length}`);
  }
}

/** A fresh random key pair. */
export function generateKeyPair(): Ed25519KeyPair {
  const seed = Buffer.from(crypto.getRandomValues(new Uint8Array(keyBytes)));
  return { publicKey: publicKeyFromPrivate(seed), privateKey: seed };
}

/** The raw public key of a 32-byte seed; throws on a wrong-length seed (a bug). */
export function publicKeyFromPrivate(privateKey: Uint8Array): Buffer {
  checkSeed(privateKey);
  return Buffer.from(noblePublicKey(Uint8Array.from(privateKey)));
}

/** The 64-byte RFC 8032 signature of `message`; throws on a wrong-length seed (a bug). */
export function sign(privateKey: Uint8Array, message: Uint8Array): Buffer {
  checkSeed(privateKey);
  return Buffer.from(nobleSign(Uint8Array.from(message), Uint8Array.from(privateKey)));
}

/** True for 32 bytes that decode to a point of large order: a key that can verify signatures. */
export function isUsablePublicKey(publicKey: Uint8Array): boolean {
  return publicKey.length === keyBytes && !hasSmallOrder(publicKey) && decodePoint(publicKey) !== null;
}

/** Lengths, and no small-order key or R point: false means the signature is invalid. */
export function mayVerify(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== keyBytes || signature.length !== signatureBytes) return false;
  return !hasSmallOrder(publicKey) && !hasSmallOrder(signature.subarray(0, keyBytes));
}

/** The DER prefix that makes 32 raw key bytes an SPKI Ed25519 public key (RFC 8410). */
export const ed25519SpkiPrefix: Readonly<Buffer> = Buffer.from('302a300506032b6570032100', 'hex');

function littleEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
}

/**
 * True only for a valid signature. Never throws: signatures and keys come from outside, so a wrong
 * length, a key that does not decode, or a small-order key or R point is simply false.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!mayVerify(publicKey, signature)) return false;
  try {
    const key = decodePoint(publicKey);
    if (key === null) return false;
    const r = signature.subarray(0, keyBytes);
    const s = littleEndian(signature.subarray(keyBytes));
    if (s >= groupOrder) return false;
    const k = etc.mod(littleEndian(sha512(Buffer.concat([r, publicKey, message]))), groupOrder);
    // [S]B - [k]A, encoded, must be R byte for byte.
    const check = Point.BASE.multiply(s, false).subtract(key.multiply(k, false));
    return Buffer.from(check.toBytes()).equals(r);
  } catch {
    return false;
  }
}

/**
 * The party key id used in events and key registrations: lowercase hex SHA-256 of the 32 raw public
 * key bytes (64 characters). Throws on a wrong-length key (a bug).
 */
export function keyIdOf(publicKey: Uint8Array): string {
  if (publicKey.length !== keyBytes) {
    throw new RangeError(`Ed25519 public key must be ${keyBytes} bytes, got ${publicKey.length}`);
  }
  return toHex(sha256(publicKey));
}
