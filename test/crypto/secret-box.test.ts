import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from '../../services/crypto/secret-box.js';

const key = randomBytes(32);
const plaintext = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');

describe('secret-box', () => {
  it('opens what it sealed, in the documented layout', () => {
    const sealed = seal(key, plaintext);
    expect(sealed).toHaveLength(1 + 12 + plaintext.length + 16);
    expect(sealed[0]).toBe(0x01);
    expect(open(key, sealed)).toEqual(plaintext);
  });

  it('seals and opens an empty plaintext', () => {
    expect(open(key, seal(key, Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
  });

  it('opens a box held in a view into a larger buffer', () => {
    const sealed = seal(key, plaintext);
    const padded = Buffer.concat([Buffer.alloc(7), sealed, Buffer.alloc(5)]);
    expect(open(key, new Uint8Array(padded.buffer, padded.byteOffset + 7, sealed.length))).toEqual(plaintext);
  });

  it('returns null under a wrong key', () => {
    expect(open(randomBytes(32), seal(key, plaintext))).toBeNull();
  });

  it('returns null when any single bit is flipped', () => {
    const sealed = seal(key, plaintext);
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const tampered = Buffer.from(sealed);
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(open(key, tampered)).toBeNull();
    }
  });

  it('returns null when truncated or extended', () => {
    const sealed = seal(key, plaintext);
    for (let length = 0; length < sealed.length; length++) {
      expect(open(key, sealed.subarray(0, length))).toBeNull();
    }
    expect(open(key, Buffer.concat([sealed, Buffer.alloc(1)]))).toBeNull();
  });

  it('gives two different boxes for the same plaintext', () => {
    const first = seal(key, plaintext);
    const second = seal(key, plaintext);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
  });

  it('throws on a wrong-length key, which is a configuration bug', () => {
    expect(() => seal(randomBytes(16), plaintext)).toThrow(RangeError);
    expect(() => open(randomBytes(31), seal(key, plaintext))).toThrow(RangeError);
  });
});
