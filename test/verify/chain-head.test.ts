/**
 * The chain head statement on its own: what the log signs, and every way openChainHead refuses one
 * (a signature that is not hex or not the log key's, a statement that is not JSON, not canonical, or
 * not a chain head). Keys are made inside each test: a fixture that throws while collected hides
 * the failure from mutation testing.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, generateKeyPair, sign, toHex } from '../../services/crypto/index.js';
import { type ChainHead, openChainHead, signChainHead } from '../../services/verify/chain-head.js';

const hash = (byte: number) => toHex(Buffer.alloc(32, byte));
const head: Omit<ChainHead, 'format'> = {
  origin: 'tradeproof.local/log',
  treeSize: 12,
  rootHash: hash(1),
  chainId: 'invoice-1',
  length: 3,
  headEventHash: hash(2),
};

/** A statement as given, signed by the key as the log signs: Ed25519 over its UTF-8 bytes. */
function signedAs(statement: string, privateKey: Uint8Array) {
  return { statement, signature: toHex(sign(privateKey, Buffer.from(statement, 'utf8'))) };
}

describe('the chain head statement', () => {
  it('is the canonical JSON of the head under its format name, and opens to the head', () => {
    const log = generateKeyPair();
    const signed = signChainHead(head, log.privateKey);
    expect(JSON.parse(signed.statement)).toEqual({ format: 'tradeproof-chain-head/v1', ...head });
    expect(signed.statement).toBe(canonicalJson({ format: 'tradeproof-chain-head/v1', ...head }));
    expect(openChainHead(signed, log.publicKey)).toEqual({ format: 'tradeproof-chain-head/v1', ...head });
  });

  it.each([
    ['not hex', 'zz'.repeat(64)],
    ['63 bytes', 'ab'.repeat(63)],
    ['empty', ''],
  ])('refuses a signature that is %s', (_what, signature) => {
    const log = generateKeyPair();
    const signed = signChainHead(head, log.privateKey);
    expect(openChainHead({ ...signed, signature }, log.publicKey)).toBe(
      'its signature is not 64 bytes of hex',
    );
  });

  it('refuses a head signed by another key, or one changed after signing', () => {
    const log = generateKeyPair();
    const other = signChainHead(head, generateKeyPair().privateKey);
    expect(openChainHead(other, log.publicKey)).toBe('its signature does not verify with the log key');
    const signed = signChainHead(head, log.privateKey);
    const longer = { ...signed, statement: signed.statement.replace('"length":3', '"length":4') };
    expect(openChainHead(longer, log.publicKey)).toBe('its signature does not verify with the log key');
  });

  it('refuses a statement the log key signed that is not JSON', () => {
    const log = generateKeyPair();
    expect(openChainHead(signedAs('tradeproof.local/log\n12\n', log.privateKey), log.publicKey)).toBe(
      'its statement is not JSON',
    );
  });

  it('refuses JSON that is not canonical, though it holds a well-formed head', () => {
    const log = generateKeyPair();
    const spaced = JSON.stringify({ format: 'tradeproof-chain-head/v1', ...head }, null, 1);
    expect(openChainHead(signedAs(spaced, log.privateKey), log.publicKey)).toBe(
      'its statement is not canonical JSON',
    );
  });

  it.each([
    ['another format', { format: 'tradeproof-chain-head/v2', ...head }],
    ['no format', { ...head }],
    ['an extra field', { format: 'tradeproof-chain-head/v1', ...head, note: 'x' }],
    ['a tree size of 0', { format: 'tradeproof-chain-head/v1', ...head, treeSize: 0 }],
    [
      'a root hash with a character before its 64 hex digits',
      { format: 'tradeproof-chain-head/v1', ...head, rootHash: `z${hash(1)}` },
    ],
    [
      'a root hash with a character after its 64 hex digits',
      { format: 'tradeproof-chain-head/v1', ...head, rootHash: `${hash(1)}z` },
    ],
    [
      'an uppercase head event hash',
      { format: 'tradeproof-chain-head/v1', ...head, headEventHash: hash(0xab).toUpperCase() },
    ],
    ['a chain of length 0', { format: 'tradeproof-chain-head/v1', ...head, length: 0 }],
  ])('refuses a signed canonical statement with %s, saying what is wrong', (_what, statement) => {
    const log = generateKeyPair();
    const answer = openChainHead(signedAs(canonicalJson(statement), log.privateKey), log.publicKey);
    expect(answer).toMatch(/^its statement is not a chain head: \S/);
  });
});
