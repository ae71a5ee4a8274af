import { describe, expect, it } from 'vitest';
import { generateKeyPair, sha256, sign } from '../../services/crypto/index.js';
import { encodeVerifierKey, parseVerifierKey, signNote } from '../../services/crypto/signed-note.js';
import {
  formatCheckpointBody,
  parseCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
} from '../../services/ledger/checkpoint.js';

const origin = 'tradeproof.example/log';
// SHA-256 of the empty string: the RFC 9162 root of the empty tree.
const emptyRoot = sha256('');
const emptyRootBase64 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

function logKey(name = origin) {
  const pair = generateKeyPair();
  const key = parseVerifierKey(encodeVerifierKey(name, pair.publicKey));
  if (!key) throw new Error('test key did not parse');
  return { ...pair, key, label: `${name}+${key.keyId.toString(16).padStart(8, '0')}` };
}

describe('checkpoint body', () => {
  it('writes origin, decimal size and padded base64 root, one per line', () => {
    expect(emptyRoot.toString('base64')).toBe(emptyRootBase64);
    expect(formatCheckpointBody({ origin, treeSize: 0, rootHash: emptyRoot })).toBe(
      `${origin}\n0\n${emptyRootBase64}\n`,
    );
    expect(formatCheckpointBody({ origin, treeSize: 1234567n, rootHash: emptyRoot })).toBe(
      `${origin}\n1234567\n${emptyRootBase64}\n`,
    );
  });

  it('round-trips sizes up to 2^64 - 1', () => {
    for (const treeSize of [0n, 1n, 7n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const rootHash = sha256(`root ${treeSize}`);
      expect(parseCheckpointBody(formatCheckpointBody({ origin, treeSize, rootHash }))).toEqual({
        origin,
        treeSize,
        rootHash,
        extensions: [],
      });
    }
  });

  it('keeps extension lines it reads', () => {
    const body = `${origin}\n5\n${emptyRootBase64}\nextension one\n— two\n`;
    expect(parseCheckpointBody(body)?.extensions).toEqual(['extension one', '— two']);
  });

  it.each([
    ['a negative size', { origin, treeSize: -1, rootHash: emptyRoot }, 'tree size out of range'],
    ['a fractional size', { origin, treeSize: 1.5, rootHash: emptyRoot }, 'must be an integer'],
    ['a size past 2^64 - 1', { origin, treeSize: 2n ** 64n, rootHash: emptyRoot }, 'tree size out of range'],
    ['a 31-byte root', { origin, treeSize: 1, rootHash: emptyRoot.subarray(1) }, 'must be 32 bytes, got 31'],
    [
      'an empty origin',
      { origin: '', treeSize: 1, rootHash: emptyRoot },
      'origin must be one non-empty line',
    ],
    [
      'a two-line origin',
      { origin: 'a\nb', treeSize: 1, rootHash: emptyRoot },
      'origin must be one non-empty line',
    ],
  ])('refuses to write %s', (_case, input, message) => {
    expect(() => formatCheckpointBody(input)).toThrow(message);
  });

  const root = emptyRootBase64;
  it.each([
    ['a leading zero', `${origin}\n01\n${root}\n`],
    ['a lone leading zero pair', `${origin}\n00\n${root}\n`],
    ['a sign', `${origin}\n+1\n${root}\n`],
    ['a negative size', `${origin}\n-1\n${root}\n`],
    ['an exponent', `${origin}\n1e3\n${root}\n`],
    ['hex', `${origin}\n0x10\n${root}\n`],
    ['a space', `${origin}\n 1\n${root}\n`],
    ['an empty size', `${origin}\n\n${root}\n`],
    ['a size of 2^64', `${origin}\n18446744073709551616\n${root}\n`],
    ['a 31-byte root', `${origin}\n1\n${emptyRoot.subarray(1).toString('base64')}\n`],
    ['a 33-byte root', `${origin}\n1\n${Buffer.concat([emptyRoot, Buffer.from([0])]).toString('base64')}\n`],
    ['an unpadded root', `${origin}\n1\n${root.replace('=', '')}\n`],
    ['a URL-safe root', `${origin}\n1\n${root.replace('+', '-').replace('/', '_')}\n`],
    ['a hex root', `${origin}\n1\n${emptyRoot.toString('hex')}\n`],
    ['no final newline', `${origin}\n1\n${root}`],
    ['two lines', `${origin}\n1\n`],
    ['an empty origin', `\n1\n${root}\n`],
    ['an empty extension line', `${origin}\n1\n${root}\n\n`],
    ['a carriage return', `${origin}\r\n1\n${root}\n`],
  ])('refuses to read a body with %s', (_case, body) => {
    expect(parseCheckpointBody(body)).toBeNull();
  });
});

describe('checkpoint notes', () => {
  const log = logKey();
  const checkpoint = { origin, treeSize: 42n, rootHash: sha256('root 42') };
  const note = signCheckpoint(checkpoint, origin, log.privateKey);

  it('signs a checkpoint the log key verifies', () => {
    expect(note.startsWith(`${formatCheckpointBody(checkpoint)}\n— ${origin} `)).toBe(true);
    expect(verifyCheckpoint(note, log.key, origin)).toEqual({
      ok: true,
      checkpoint: { ...checkpoint, extensions: [] },
    });
  });

  it('rejects a changed size, a changed root and a wrong key with the exact reason', () => {
    const invalid = { ok: false, reason: `signature line 1 by key ${log.label} is invalid` };
    expect(verifyCheckpoint(note.replace('\n42\n', '\n43\n'), log.key)).toEqual(invalid);
    const otherRoot = sha256('root 43').toString('base64');
    expect(
      verifyCheckpoint(note.replace(checkpoint.rootHash.toString('base64'), otherRoot), log.key),
    ).toEqual(invalid);
    const stranger = logKey();
    expect(verifyCheckpoint(note, stranger.key)).toEqual({
      ok: false,
      reason: `note has no signature by a trusted key (trusted: ${stranger.label})`,
    });
  });

  it('rejects another origin when the verifier names the one it expects', () => {
    expect(verifyCheckpoint(note, log.key, 'other.example/log')).toEqual({
      ok: false,
      reason: `checkpoint origin "${origin}" is not the expected "other.example/log"`,
    });
  });

  it('rejects a validly signed note whose body is no checkpoint', () => {
    const signed = signNote(`${origin}\n042\n${emptyRootBase64}\n`, origin, log.privateKey);
    expect(verifyCheckpoint(signed, log.key)).toEqual({
      ok: false,
      reason: 'checkpoint tree size "042" is not a decimal number without leading zeros',
    });
    const shortRoot = signNote(
      `${origin}\n1\n${emptyRoot.subarray(2).toString('base64')}\n`,
      origin,
      log.privateKey,
    );
    expect(verifyCheckpoint(shortRoot, log.key)).toEqual({
      ok: false,
      reason: 'checkpoint root hash is 30 bytes, not 32',
    });
  });

  it('accepts extension lines under the log signature and returns them', () => {
    const signed = signNote(
      `${formatCheckpointBody(checkpoint)}tradeproof-note v1\n`,
      origin,
      log.privateKey,
    );
    expect(verifyCheckpoint(signed, log.key)).toMatchObject({
      ok: true,
      checkpoint: { extensions: ['tradeproof-note v1'] },
    });
  });

  it('refuses a cosignature key where the log key belongs', () => {
    const witness = parseVerifierKey(encodeVerifierKey('w', log.publicKey, 0x04));
    expect(witness && verifyCheckpoint(note, witness)).toEqual({
      ok: false,
      reason: 'log key w is not an Ed25519 note signing key',
    });
  });

  it('agrees with a signature made here over the body bytes', () => {
    const body = formatCheckpointBody(checkpoint);
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(log.key.keyId);
    const line = `— ${origin} ${Buffer.concat([keyId, sign(log.privateKey, Buffer.from(body))]).toString('base64')}\n`;
    expect(note).toBe(`${body}\n${line}`);
  });
});
