/**
 * Ed25519 with raw 32-byte keys, on node:crypto alone. Node only imports keys as DER, so raw keys are
 * wrapped in the fixed SPKI / PKCS#8 prefixes for the Ed25519 OID (RFC 8410).
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { sha256, toHex } from './digest.js';
import { hasSmallOrder } from './small-order.js';

const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
const keyBytes = 32;
const signatureBytes = 64;

/** A raw Ed25519 key pair; `privateKey` is the 32-byte seed of RFC 8032. */
export interface Ed25519KeyPair {
  publicKey: Buffer;
  privateKey: Buffer;
}

// OpenSSL imports any 32 bytes as an Ed25519 public key without decoding the point, so a key with a
// mistyped digit would register and then verify nothing. Decoding as in RFC 8032 section 5.1.3: y
// must be below p and x^2 = (y^2 - 1) / (d y^2 + 1) a square mod p (x = 0 only with the sign bit clear).
const fieldPrime = 2n ** 255n - 19n;

function powMod(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base % fieldPrime;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % fieldPrime;
    square = (square * square) % fieldPrime;
  }
  return result;
}

const curveD = (fieldPrime - ((121665n * powMod(121666n, fieldPrime - 2n)) % fieldPrime)) % fieldPrime;

function decodesToPoint(encoded: Uint8Array): boolean {
  const littleEndian = Buffer.from(encoded);
  const signBit = (littleEndian[31] ?? 0) >> 7;
  littleEndian[31] = (littleEndian[31] ?? 0) & 0x7f;
  const y = BigInt(`0x${Buffer.from(littleEndian).reverse().toString('hex')}`);
  if (y >= fieldPrime) return false;
  const ySquared = (y * y) % fieldPrime;
  const numerator = (ySquared - 1n + fieldPrime) % fieldPrime;
  const denominator = (curveD * ySquared + 1n) % fieldPrime;
  const xSquared = (numerator * powMod(denominator, fieldPrime - 2n)) % fieldPrime;
  if (xSquared === 0n) return signBit === 0;
  return powMod(xSquared, (fieldPrime - 1n) / 2n) === 1n;
}

function privateKeyObject(privateKey: Uint8Array) {
  if (privateKey.length !== keyBytes) {
    throw new RangeError(`Ed25519 private key must be ${keyBytes} bytes, got ${privateKey.length}`);
  }
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, privateKey]), format: 'der', type: 'pkcs8' });
}

/** A fresh random key pair. */
export function generateKeyPair(): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const seed = Buffer.from(der.subarray(pkcs8Prefix.length));
  return { publicKey: publicKeyFromPrivate(seed), privateKey: seed };
}

/** The raw public key of a 32-byte seed; throws on a wrong-length seed (a bug). */
export function publicKeyFromPrivate(privateKey: Uint8Array): Buffer {
  const der = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(spkiPrefix.length));
}

/** The 64-byte RFC 8032 signature of `message`; throws on a wrong-length seed (a bug). */
export function sign(privateKey: Uint8Array, message: Uint8Array): Buffer {
  return nodeSign(null, message, privateKeyObject(privateKey));
}

/** True for 32 bytes that decode to a point of large order: a key that can verify signatures. */
export function isUsablePublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== keyBytes || hasSmallOrder(publicKey) || !decodesToPoint(publicKey)) return false;
  try {
    createPublicKey({ key: Buffer.concat([spkiPrefix, publicKey]), format: 'der', type: 'spki' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The checks verify makes before OpenSSL sees a key and signature: lengths, and no small-order key or
 * R point. False means the signature is invalid; true leaves the curve arithmetic to do (verify-pool.ts
 * does it on worker threads, wrapping the key in spkiPrefix).
 */
export function mayVerify(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== keyBytes || signature.length !== signatureBytes) return false;
  return !hasSmallOrder(publicKey) && !hasSmallOrder(signature.subarray(0, keyBytes));
}

/** The DER prefix that makes 32 raw key bytes an SPKI Ed25519 public key (RFC 8410). */
export const ed25519SpkiPrefix: Readonly<Buffer> = spkiPrefix;

/**
 * True only for a valid signature. Never throws: signatures and keys come from outside, so a wrong
 * length, a key that does not decode, or a small-order key or R point is simply false.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!mayVerify(publicKey, signature)) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([spkiPrefix, publicKey]), format: 'der', type: 'spki' });
    return nodeVerify(null, message, key, signature);
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
