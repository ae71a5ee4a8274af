/** Signed-note edges: witness cosignatures (type 0x04), vkey parsing, the size and count limits. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, verify } from '../../services/crypto/index.js';
import {
  cosignatureMessage,
  cosignNote,
  encodeVerifierKey,
  isValidKeyName,
  noteKeyId,
  noteLengthMax,
  noteSignaturesMax,
  parseBase64,
  parseNote,
  parseVerifierKey,
  signatureTypeCosignatureV1,
  signNote,
  textProblem,
  type VerifierKey,
  verifyNote,
} from '../../services/crypto/signed-note.js';

const hex8 = (keyId: number) => keyId.toString(16).padStart(8, '0');

function keyOf(vkey: string): VerifierKey {
  const key = parseVerifierKey(vkey);
  if (!key) throw new Error(`test vkey did not parse: ${vkey}`);
  return key;
}

/** Rewrites the decoded bytes (key ID || signature) of the last signature line. */
function editLastLine(note: string, edit: (bytes: Buffer) => Buffer): string {
  const lines = note.slice(0, -1).split('\n');
  const line = lines.pop() ?? '';
  const space = line.lastIndexOf(' ');
  const bytes = edit(Buffer.from(line.slice(space + 1), 'base64'));
  return `${[...lines, `${line.slice(0, space)} ${bytes.toString('base64')}`].join('\n')}\n`;
}

const body = 'tradeproof.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
const log = generateKeyPair();
const logKey = keyOf(encodeVerifierKey('log', log.publicKey));
const witness = generateKeyPair();
const witnessKey = keyOf(encodeVerifierKey('witness', witness.publicKey, signatureTypeCosignatureV1));
const witnessLabel = `witness+${hex8(witnessKey.keyId)}`;

describe('cosignatures (type 0x04)', () => {
  // Made inside each test, not while the file is collected: a signing bug then fails these tests
  // instead of an import, which StrykerJS's vitest runner would not count as a failure.
  const signed = () => signNote(body, 'log', log.privateKey);
  const cosigned = () => cosignNote(signed(), 'witness', witness.privateKey, 1_700_000_000);

  it('sign "cosignature/v1", the time and the body, under a key ID of type 0x04', () => {
    expect(witnessKey.type).toBe(0x04);
    expect(witnessKey.keyId).toBe(noteKeyId('witness', witness.publicKey, signatureTypeCosignatureV1));
    expect(witnessKey.keyId).not.toBe(noteKeyId('witness', witness.publicKey));
    expect(cosignatureMessage(body, 7).toString('utf8')).toBe(`cosignature/v1\ntime 7\n${body}`);
    const line = parseNote(cosigned())?.signatures[1];
    expect(line?.name).toBe('witness');
    expect(line?.keyId).toBe(witnessKey.keyId);
    expect(line?.signature.readBigUInt64BE(0)).toBe(1_700_000_000n);
    expect(line?.signature).toHaveLength(72);
    const message = Buffer.from(`cosignature/v1\ntime 1700000000\n${body}`, 'utf8');
    expect(verify(witness.publicKey, message, line?.signature.subarray(8) ?? Buffer.alloc(0))).toBe(true);
  });

  it('verify with their timestamp, beside the Ed25519 signature', () => {
    expect(verifyNote(cosigned(), [logKey, witnessKey])).toEqual({
      ok: true,
      body,
      verifiedBy: ['log', 'witness'],
      signatures: [
        { name: 'log', keyId: logKey.keyId, type: 0x01, timestamp: null },
        { name: 'witness', keyId: witnessKey.keyId, type: 0x04, timestamp: 1_700_000_000 },
      ],
    });
    expect(verifyNote(cosignNote(body, 'witness', witness.privateKey, 0), [witnessKey])).toMatchObject({
      ok: true,
      signatures: [{ timestamp: 0 }],
    });
  });

  it('refuse a cosignature whose time was changed', () => {
    const retimed = editLastLine(cosigned(), (bytes) => {
      bytes.writeBigUInt64BE(1_700_000_001n, 4);
      return bytes;
    });
    expect(verifyNote(retimed, [logKey, witnessKey])).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witnessLabel} is invalid`,
    });
  });

  it('refuse a time beyond the safe integers, and a line of the wrong length', () => {
    const farFuture = editLastLine(cosigned(), (bytes) => {
      bytes.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 4);
      return bytes;
    });
    expect(verifyNote(farFuture, [witnessKey])).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witnessLabel} has a timestamp out of range`,
    });
    const atLimit = cosignNote(body, 'witness', witness.privateKey, Number.MAX_SAFE_INTEGER);
    expect(verifyNote(atLimit, [witnessKey])).toMatchObject({
      ok: true,
      signatures: [{ timestamp: Number.MAX_SAFE_INTEGER }],
    });
    for (const cut of [1, -1]) {
      const wrongLength = editLastLine(cosigned(), (bytes) =>
        cut > 0 ? bytes.subarray(0, -1) : Buffer.concat([bytes, Buffer.alloc(1)]),
      );
      expect(verifyNote(wrongLength, [witnessKey])).toEqual({
        ok: false,
        reason: `signature line 2 by key ${witnessLabel} is not an 8-byte timestamp and a 64-byte signature`,
      });
    }
  });

  it('refuse a plain Ed25519 signature under a cosignature key and the reverse', () => {
    // Same name and public key, other type: another key ID, so neither line is by a trusted key.
    expect(verifyNote(signNote(body, 'witness', witness.privateKey), [witnessKey]).ok).toBe(false);
    const plainWitness = keyOf(encodeVerifierKey('witness', witness.publicKey));
    expect(verifyNote(cosignNote(body, 'witness', witness.privateKey, 5), [plainWitness]).ok).toBe(false);
  });

  it('are made only at a whole, non-negative number of seconds', () => {
    for (const timestamp of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => cosignNote(body, 'witness', witness.privateKey, timestamp)).toThrow(
        `cosignature timestamp must be a non-negative integer of seconds, got ${timestamp}`,
      );
    }
  });
});

describe('trusted keys', () => {
  it('match by name and key ID together: a trusted key ID under another name is not trusted', () => {
    const signed = signNote(body, 'log', log.privateKey);
    const renamed = signed.replace('— log ', '— gol ');
    expect(parseNote(renamed)?.signatures[0]?.keyId).toBe(logKey.keyId);
    expect(verifyNote(renamed, [logKey])).toEqual({
      ok: false,
      reason: `note has no signature by a trusted key (trusted: log+${hex8(logKey.keyId)})`,
    });
  });
});

describe('vkey parsing edges', () => {
  const vkey = encodeVerifierKey('log', log.publicKey);
  const [, keyIdText = '', keyText = ''] = vkey.split('+');

  it('needs two "+" separators', () => {
    expect(parseVerifierKey('log')).toBeNull();
    expect(parseVerifierKey(`log${keyIdText}${keyText}`)).toBeNull();
    expect(parseVerifierKey(`log+${keyIdText}${keyText}`)).toBeNull();
  });

  it('refuses a key ID of more than 8 hex digits, even of the same value', () => {
    expect(parseVerifierKey(`log+0${keyIdText}+${keyText}`)).toBeNull();
    expect(parseVerifierKey(`log+${keyIdText}0+${keyText}`)).toBeNull();
  });

  it('refuses an unknown type byte even when the key ID matches it', () => {
    const keyId = createHash('sha256')
      .update('log\n')
      .update(Buffer.from([0x02]))
      .update(log.publicKey)
      .digest()
      .readUInt32BE(0);
    const typed = Buffer.concat([Buffer.from([0x02]), log.publicKey]).toString('base64');
    expect(parseVerifierKey(`log+${hex8(keyId)}+${typed}`)).toBeNull();
  });

  it('reads both known types', () => {
    expect(keyOf(vkey)).toMatchObject({ name: 'log', type: 0x01, publicKey: log.publicKey });
    expect(keyOf(encodeVerifierKey('w', witness.publicKey, 0x04))).toMatchObject({ name: 'w', type: 0x04 });
  });

  it('refuses to encode a key that is not 32 bytes, and a name a note cannot hold', () => {
    expect(() => encodeVerifierKey('log', Buffer.alloc(31))).toThrow(
      'Ed25519 public key must be 32 bytes, got 31',
    );
    expect(() => encodeVerifierKey('log', Buffer.alloc(33))).toThrow('got 33');
    expect(() => noteKeyId('a b', log.publicKey)).toThrow('invalid note key name: "a b"');
  });
});

describe('names, text and base64', () => {
  it('allow a name with no space, no "+" and no control character', () => {
    expect(isValidKeyName('tradeproof.example/log')).toBe(true);
    expect(isValidKeyName('é')).toBe(true);
    for (const name of ['', 'a b', 'a\u00a0b', 'a\u0085b', 'a+b', 'a\u0001b', 'a\n']) {
      expect(isValidKeyName(name)).toBe(false);
    }
    expect(isValidKeyName('a\ud800')).toBe(false);
  });

  it('name the first control character or lone surrogate and its position', () => {
    expect(textProblem('ok \u00e9 \ud83d\ude00\n')).toBeNull();
    expect(textProblem(' ')).toBeNull();
    expect(textProblem('ab\u001f')).toBe('contains control character U+001F at position 2');
    expect(textProblem('\u0000')).toBe('contains control character U+0000 at position 0');
    expect(textProblem('x\udc00')).toBe('is not valid UTF-8 (lone surrogate at position 1)');
    expect(textProblem('\ud800')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
    expect(textProblem('\ud800x')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
    expect(textProblem('\ud800\ud800')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
    expect(textProblem('\udc00\udc00')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
    expect(textProblem('\ud83d\ude00\u0001')).toBe('contains control character U+0001 at position 2');
    expect(textProblem('\ud7ff\ue000')).toBeNull();
  });

  it('read only canonical, padded base64', () => {
    expect(parseBase64('AAAA')).toEqual(Buffer.alloc(3));
    expect(parseBase64('AA==')).toEqual(Buffer.alloc(1));
    expect(parseBase64('AAA=')).toEqual(Buffer.alloc(2));
    expect(parseBase64('')).toEqual(Buffer.alloc(0));
    for (const text of ['AAA', 'AB==', 'AAB=', 'A===', 'AA=A', ' AAAA', 'AAAA ', 'AA-_']) {
      expect(parseBase64(text)).toBeNull();
    }
  });
});

describe('limits', () => {
  it(`read a note of ${noteLengthMax} characters and refuse one more`, () => {
    expect(noteLengthMax).toBe(1_048_576);
    const signed = signNote(body, 'log', log.privateKey);
    const padding = 'x'.repeat(noteLengthMax - signed.length - 1);
    const atLimit = signNote(`${padding}\n${body}`, 'log', log.privateKey);
    expect(atLimit.length).toBe(noteLengthMax);
    expect(verifyNote(atLimit, [logKey]).ok).toBe(true);
    const over = signNote(`${padding}x\n${body}`, 'log', log.privateKey);
    expect(parseNote(over)).toBeNull();
    expect(verifyNote(over, [logKey])).toEqual({
      ok: false,
      reason: 'note is longer than 1048576 characters',
    });
  });

  it(`read ${noteSignaturesMax} signature lines, and sign no note that already has that many`, () => {
    expect(noteSignaturesMax).toBe(100);
    const lines = (count: number) =>
      Array.from({ length: count }, (_, index) => `— k${index} AAAAAAA=\n`).join('');
    const full = `${body}\n${lines(100)}`;
    expect(parseNote(full)?.signatures).toHaveLength(100);
    expect(() => signNote(full, 'log', log.privateKey)).toThrow(
      'cannot sign: the note already has 100 signatures',
    );
    const almost = signNote(`${body}\n${lines(99)}`, 'log', log.privateKey);
    expect(verifyNote(almost, [logKey])).toMatchObject({ ok: true, verifiedBy: ['log'] });
    expect(() => cosignNote(almost, 'witness', witness.privateKey, 1)).toThrow(
      'cannot sign: the note already has 100 signatures',
    );
  });

  it('refuse to sign text that holds an empty line but is not a note', () => {
    expect(() => signNote('one\n\ntwo\n', 'log', log.privateKey)).toThrow('cannot sign: signature line 1');
  });
});

describe('surrogates at the edges of their ranges', () => {
  it('accept the first and the last surrogate pair, and refuse a lone U+DFFF', () => {
    expect(textProblem('\ud800\udc00\n')).toBeNull();
    expect(textProblem('\udbff\udfff\n')).toBeNull();
    expect(textProblem('a\udfff')).toBe('is not valid UTF-8 (lone surrogate at position 1)');
    expect(textProblem('\ud800\ue000')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
    expect(textProblem('\udbff\udbff')).toBe('is not valid UTF-8 (lone surrogate at position 0)');
  });

  it('sign and verify a body holding U+10000 and U+10FFFF, and refuse a note with a lone U+DFFF', () => {
    const signed = signNote('\ud800\udc00 \udbff\udfff\n', 'log', log.privateKey);
    expect(verifyNote(signed, [logKey])).toMatchObject({ ok: true, body: '\ud800\udc00 \udbff\udfff\n' });
    const lone = signNote('x\n', 'log', log.privateKey).replace('x', '\udfff');
    expect(verifyNote(lone, [logKey])).toEqual({
      ok: false,
      reason: 'note is not valid UTF-8 (lone surrogate at position 0)',
    });
  });
});

describe('framing edges', () => {
  it('read a body that is a single newline, as Go does', () => {
    const signed = signNote('\n', 'log', log.privateKey);
    expect(signed.startsWith('\n\n— log ')).toBe(true);
    expect(parseNote(signed)?.body).toBe('\n');
    expect(verifyNote(signed, [logKey])).toMatchObject({ ok: true, body: '\n', verifiedBy: ['log'] });
  });

  it('refuse a signature line with an empty key name, saying so', () => {
    expect(verifyNote(`${body}\n—  AAAAAAA=\n`, [logKey])).toEqual({
      ok: false,
      reason: 'signature line 1 has an invalid key name ""',
    });
  });

  it('list every trusted key, comma-separated, when none of them signed', () => {
    const other = generateKeyPair();
    expect(verifyNote(signNote(body, 'other', other.privateKey), [logKey, witnessKey])).toEqual({
      ok: false,
      reason: `note has no signature by a trusted key (trusted: log+${hex8(logKey.keyId)}, ${witnessLabel})`,
    });
  });
});
