import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex, sha256, toHex } from '../../services/crypto/digest.js';
import {
  generateKeyPair,
  keyIdOf,
  publicKeyFromPrivate,
  sign,
  verify,
} from '../../services/crypto/ed25519.js';

// RFC 8032 section 7.1, TEST 1.
const rfcSecret = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const rfcPublic = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const rfcSignature = Buffer.from(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  'hex',
);

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

describe('ed25519', () => {
  it('matches RFC 8032 test vector 1: public key and exact signature', () => {
    expect(publicKeyFromPrivate(rfcSecret)).toEqual(rfcPublic);
    expect(sign(rfcSecret, new Uint8Array(0))).toEqual(rfcSignature);
    expect(verify(rfcPublic, new Uint8Array(0), rfcSignature)).toBe(true);
  });

  it('generates raw 32-byte key pairs whose signatures verify', () => {
    const { publicKey, privateKey } = generateKeyPair();
    expect(publicKey).toHaveLength(32);
    expect(privateKey).toHaveLength(32);
    expect(publicKeyFromPrivate(privateKey)).toEqual(publicKey);
    const message = Buffer.from('invoice 42 confirmed');
    const signature = sign(privateKey, message);
    expect(signature).toHaveLength(64);
    expect(verify(publicKey, message, signature)).toBe(true);
  });

  it('round-trips arbitrary messages', () => {
    const { publicKey, privateKey } = generateKeyPair();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (message) => {
        expect(verify(publicKey, message, sign(privateKey, message))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  const { publicKey, privateKey } = generateKeyPair();
  const message = Buffer.from('goods receipt 7: 1200 units');
  const signature = sign(privateKey, message);

  it('rejects a tampered message at every bit', () => {
    for (let bit = 0; bit < message.length * 8; bit++) {
      expect(verify(publicKey, flipBit(message, bit), signature)).toBe(false);
    }
  });

  it('rejects a tampered signature at every bit', () => {
    for (let bit = 0; bit < 512; bit++) {
      expect(verify(publicKey, message, flipBit(signature, bit))).toBe(false);
    }
  });

  it('rejects a signature under another key', () => {
    expect(verify(generateKeyPair().publicKey, message, signature)).toBe(false);
    expect(verify(rfcPublic, message, signature)).toBe(false);
  });

  it.each([
    ['a 31-byte key', publicKey.subarray(0, 31), signature],
    ['a 33-byte key', Buffer.concat([publicKey, Buffer.alloc(1)]), signature],
    ['an empty key', Buffer.alloc(0), signature],
    ['a 63-byte signature', publicKey, signature.subarray(0, 63)],
    ['a 65-byte signature', publicKey, Buffer.concat([signature, Buffer.alloc(1)])],
    ['an empty signature', publicKey, Buffer.alloc(0)],
    ['a key that is not a curve point', Buffer.concat([Buffer.from([2]), Buffer.alloc(31)]), signature],
  ])('returns false without throwing for %s', (_label, key, sig) => {
    expect(() => verify(key, message, sig)).not.toThrow();
    expect(verify(key, message, sig)).toBe(false);
  });

  it('rejects small-order keys, which OpenSSL alone would let forge any message', () => {
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    // R = identity, S = 0 satisfies [S]B = R + [k]A for every message when A is the identity.
    const forged = Buffer.concat([identity, Buffer.alloc(32)]);
    expect(verify(identity, Buffer.from('anything at all'), forged)).toBe(false);
    const signBitSet = Buffer.from(identity);
    signBitSet[31] = 0x80;
    expect(verify(signBitSet, Buffer.from('anything at all'), forged)).toBe(false);
    expect(verify(Buffer.alloc(32), Buffer.from('x'), forged)).toBe(false);
  });

  it('throws on a wrong-length private key, which is a bug', () => {
    expect(() => sign(Buffer.alloc(31), message)).toThrow(RangeError);
    expect(() => sign(Buffer.alloc(64), message)).toThrow(RangeError);
    expect(() => publicKeyFromPrivate(Buffer.alloc(0))).toThrow(RangeError);
  });

  it('derives a deterministic 64-hex key id that differs between keys', () => {
    const id = keyIdOf(publicKey);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(Buffer.from(publicKey))).toBe(id);
    expect(id).toBe(toHex(sha256(publicKey)));
    expect(keyIdOf(generateKeyPair().publicKey)).not.toBe(id);
    expect(() => keyIdOf(Buffer.alloc(31))).toThrow(RangeError);
  });
});

describe('digest', () => {
  it('hashes "abc" to the FIPS 180-2 SHA-256 vector, as a string or as bytes', () => {
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(toHex(sha256('abc'))).toBe(expected);
    expect(toHex(sha256(Buffer.from('abc')))).toBe(expected);
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes strings as UTF-8', () => {
    expect(sha256('\u20ac')).toEqual(sha256(Buffer.from([0xe2, 0x82, 0xac])));
  });

  it('writes lowercase hex, also for a view into a larger buffer', () => {
    const backing = new Uint8Array([0x00, 0xab, 0xcd, 0xef, 0xff]);
    expect(toHex(backing)).toBe('00abcdefff');
    expect(toHex(backing.subarray(1, 3))).toBe('abcd');
  });

  it('parses valid hex in either case, with or without an exact length', () => {
    expect(parseHex('00aBcD')).toEqual(Buffer.from([0x00, 0xab, 0xcd]));
    expect(parseHex('')).toEqual(Buffer.alloc(0));
    expect(parseHex('abcd', 2)).toEqual(Buffer.from([0xab, 0xcd]));
  });

  it.each([
    ['odd length', 'abc', undefined],
    ['a non-hex character', 'abzz', undefined],
    ['a non-hex character after valid ones', 'abcd0g', undefined],
    ['a 0x prefix', '0xabcd', undefined],
    ['whitespace', 'ab cd', undefined],
    ['a trailing newline', 'abcd\n', undefined],
    ['too few bytes', 'abcd', 3],
    ['too many bytes', 'abcdef', 2],
  ])('returns null for %s', (_label, hex, byteLength) => {
    expect(parseHex(hex, byteLength)).toBeNull();
  });

  it('round-trips any bytes through toHex and parseHex', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(parseHex(toHex(bytes), bytes.length)).toEqual(Buffer.from(bytes));
      }),
    );
  });
});
