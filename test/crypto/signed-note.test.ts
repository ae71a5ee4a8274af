import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../services/crypto/index.js';
import {
  encodeVerifierKey,
  noteKeyId,
  parseNote,
  parseVerifierKey,
  signatureTypeCosignatureV1,
  signNote,
  verifyNote,
} from '../../services/crypto/signed-note.js';

// The example of golang.org/x/mod/sumdb/note (example_test.go). The seed derives the vkey's public
// key, both carry key ID c74f20a3, and Ed25519 is deterministic, so the exact signature line is fixed.
const goSkeySeed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const goVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const goText =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const goNote = `${goText}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

/** Key ID computed here without the module: SHA-256(name || "\n" || type || key)[:4], big-endian. */
function independentKeyId(name: string, publicKey: Buffer, type = 0x01): number {
  const hash = createHash('sha256');
  hash
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey);
  return hash.digest().readUInt32BE(0);
}

function keyFor(name: string, pair = generateKeyPair()) {
  const key = parseVerifierKey(encodeVerifierKey(name, pair.publicKey));
  if (!key) throw new Error('test key did not parse');
  return { ...pair, key, label: `${name}+${key.keyId.toString(16).padStart(8, '0')}` };
}

/** Rewrites the decoded bytes (key ID || signature) of one signature line. */
function editSignatureLine(note: string, lineIndex: number, edit: (bytes: Buffer) => void): string {
  const lines = note.split('\n');
  const signatureStart = lines.indexOf('') + 1;
  const line = lines[signatureStart + lineIndex] ?? '';
  const space = line.lastIndexOf(' ');
  const bytes = Buffer.from(line.slice(space + 1), 'base64');
  edit(bytes);
  lines[signatureStart + lineIndex] = `${line.slice(0, space)} ${bytes.toString('base64')}`;
  return lines.join('\n');
}

describe('signed-note keys', () => {
  it('reproduces the Go sumdb note example byte for byte', () => {
    const key = parseVerifierKey(goVkey);
    expect(key?.keyId).toBe(0xc74f20a3);
    expect(key && encodeVerifierKey(key.name, key.publicKey)).toBe(goVkey);
    expect(signNote(goText, 'PeterNeumann', goSkeySeed)).toBe(goNote);
    expect(verifyNote(goNote, key ? [key] : [])).toMatchObject({
      ok: true,
      body: goText,
      verifiedBy: ['PeterNeumann'],
    });
  });

  it('computes key IDs as SHA-256(name, newline, type, key), for both signature types', () => {
    const { publicKey } = generateKeyPair();
    expect(noteKeyId('tradeproof.example/log', publicKey)).toBe(
      independentKeyId('tradeproof.example/log', publicKey),
    );
    expect(noteKeyId('witness.example', publicKey, signatureTypeCosignatureV1)).toBe(
      independentKeyId('witness.example', publicKey, 0x04),
    );
  });

  it('round-trips a vkey', () => {
    const { publicKey } = generateKeyPair();
    const vkey = encodeVerifierKey('tradeproof.example/log', publicKey);
    expect(vkey).toMatch(/^tradeproof\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(parseVerifierKey(vkey)).toEqual({
      name: 'tradeproof.example/log',
      keyId: independentKeyId('tradeproof.example/log', publicKey),
      type: 0x01,
      publicKey,
    });
  });

  // A key whose ID holds a hex letter: with all digits the uppercase case below (about 2% of random
  // keys) would be the genuine vkey and parse.
  const publicKey = keyWithLetterInId();
  const vkey = encodeVerifierKey('log', publicKey);
  const keyIdText = vkey.slice(4, 12);
  const keyText = vkey.slice(13);
  const zeroKey = Buffer.alloc(32);
  it.each([
    [
      'a key ID that does not match',
      `log+${(Number.parseInt(keyIdText, 16) ^ 1).toString(16).padStart(8, '0')}+${keyText}`,
    ],
    ['an uppercase key ID', `log+${keyIdText.toUpperCase()}+${keyText}`],
    ['a seven-digit key ID', `log+${keyIdText.slice(1)}+${keyText}`],
    ['another name', `other+${keyIdText}+${keyText}`],
    ['a name with a space', encodeVerifierKey('log', publicKey).replace('log', 'lo g')],
    ['no key part', `log+${keyIdText}`],
    ['an empty name', `+${keyIdText}+${keyText}`],
    ['truncated base64', `log+${keyIdText}+${keyText.slice(0, -1)}`],
    [
      'an unknown signature type',
      `log+${keyIdText}+${Buffer.concat([Buffer.from([2]), publicKey]).toString('base64')}`,
    ],
    [
      'a 31-byte key',
      `log+${keyIdText}+${Buffer.concat([Buffer.from([1]), publicKey.subarray(1)]).toString('base64')}`,
    ],
    ['a small-order key', encodeVerifierKey('log', zeroKey)],
  ])('rejects a vkey with %s', (_case, text) => {
    expect(parseVerifierKey(text)).toBeNull();
  });
});

describe('signed-note framing', () => {
  const signer = keyFor('signer');
  const note = signNote('line one\nline two\n', 'signer', signer.privateKey);

  it('parses the body and signature lines', () => {
    const parsed = parseNote(note);
    expect(parsed?.body).toBe('line one\nline two\n');
    expect(parsed?.signatures).toHaveLength(1);
    expect(parsed?.signatures[0]).toMatchObject({ name: 'signer', keyId: signer.key.keyId });
    expect(parsed?.signatures[0]?.signature).toHaveLength(64);
  });

  it.each([
    [
      'no empty line before the signatures',
      note.replace('\n\n', '\n'),
      'note has no empty line between the body and the signatures',
    ],
    ['no final newline', note.slice(0, -1), 'note does not end with a newline'],
    [
      'a carriage return',
      note.replace('one\n', 'one\r\n'),
      'note contains control character U+000D at position 8',
    ],
    ['a tab', note.replace(' one', '\tone'), 'note contains control character U+0009 at position 4'],
    [
      'a lone surrogate',
      note.replace('one', 'o\ud800e'),
      'note is not valid UTF-8 (lone surrogate at position 6)',
    ],
    ['no signature lines', 'line one\n\n', 'note has no signature lines'],
    [
      'a hyphen for the em dash',
      note.replace('— ', '- '),
      'signature line 1 does not start with an em dash and a space',
    ],
    ['non-base64 signature', note.replace(/ (\S+)\n$/, ' $1!\n'), 'signature line 1 is not valid base64'],
    ['non-canonical base64', 'body\n\n— signer AAAAAAB=\n', 'signature line 1 is not valid base64'],
    [
      'only a key ID',
      'body\n\n— signer AAAAAA==\n',
      'signature line 1 is too short to hold a key ID and a signature',
    ],
    [
      'a key name with a plus',
      note.replace('— signer', '— sig+ner'),
      'signature line 1 has an invalid key name "sig+ner"',
    ],
    [
      'no signature part',
      'body\n\n— signer\n',
      'signature line 1 has no space between the key name and the signature',
    ],
    [
      '101 signature lines',
      `body\n\n${'— x AAAAAAA=\n'.repeat(101)}`,
      'note has more than 100 signature lines',
    ],
  ])('refuses a note with %s', (_case, text, reason) => {
    expect(parseNote(text)).toBeNull();
    expect(verifyNote(text, [signer.key])).toEqual({ ok: false, reason });
  });

  it('refuses to sign a body that is empty, not newline-terminated or holds a control character', () => {
    expect(() => signNote('', 'signer', signer.privateKey)).toThrow('cannot sign: body is empty');
    expect(() => signNote('one', 'signer', signer.privateKey)).toThrow(
      'cannot sign: body is not newline-terminated',
    );
    expect(() => signNote('one\r\n', 'signer', signer.privateKey)).toThrow('control character U+000D');
    expect(() => signNote('one\n', 'bad name', signer.privateKey)).toThrow('invalid note key name');
  });

  it('round-trips arbitrary UTF-8 bodies', () => {
    const line = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((text) => [...text].every((character) => character.charCodeAt(0) >= 0x20));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const body = `${lines.join('\n')}\n`;
        expect(verifyNote(signNote(body, 'signer', signer.privateKey), [signer.key])).toMatchObject({
          ok: true,
          body,
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe('signed-note verification', () => {
  const log = keyFor('log');
  const other = keyFor('other');
  const body = 'tradeproof.example/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
  const note = signNote(body, 'log', log.privateKey);
  const noTrusted = (keys: { label: string }[]) =>
    `note has no signature by a trusted key (trusted: ${keys.map((key) => key.label).join(', ')})`;

  it('verifies, and keeps earlier lines when another key signs', () => {
    expect(verifyNote(note, [log.key])).toEqual({
      ok: true,
      body,
      verifiedBy: ['log'],
      signatures: [{ name: 'log', keyId: log.key.keyId, type: 0x01, timestamp: null }],
    });
    const both = signNote(note, 'other', other.privateKey);
    expect(both.startsWith(note)).toBe(true);
    expect(verifyNote(both, [log.key, other.key])).toMatchObject({ ok: true, verifiedBy: ['log', 'other'] });
  });

  it('rejects a body changed in any bit', () => {
    const bytes = Buffer.from(body);
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const tampered = flipped.toString('latin1') + note.slice(body.length);
      const result = verifyNote(tampered, [log.key]);
      expect(result.ok).toBe(false);
    }
    expect(verifyNote(note.replace('\n3\n', '\n4\n'), [log.key])).toEqual({
      ok: false,
      reason: `signature line 1 by key ${log.label} is invalid`,
    });
  });

  it('rejects a signature changed in any bit', () => {
    for (let bit = 32; bit < 68 * 8; bit += 5) {
      const tampered = editSignatureLine(note, 0, (bytes) => {
        bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      });
      expect(verifyNote(tampered, [log.key])).toEqual({
        ok: false,
        reason: `signature line 1 by key ${log.label} is invalid`,
      });
    }
  });

  it('treats a line whose key ID changed as another key: not trusted', () => {
    const tampered = editSignatureLine(note, 0, (bytes) => {
      bytes[0] = (bytes[0] ?? 0) ^ 1;
    });
    expect(verifyNote(tampered, [log.key])).toEqual({ ok: false, reason: noTrusted([log]) });
  });

  it('rejects a note signed only by a wrong key, even under the trusted name', () => {
    expect(verifyNote(note, [other.key])).toEqual({ ok: false, reason: noTrusted([other]) });
    const impostor = signNote(body, 'log', other.privateKey);
    expect(verifyNote(impostor, [log.key])).toEqual({ ok: false, reason: noTrusted([log]) });
    expect(verifyNote(note, [])).toEqual({
      ok: false,
      reason: 'note has no signature by a trusted key (trusted: none)',
    });
  });

  it('ignores a signature by an unknown key', () => {
    const withUnknown = signNote(note, 'stranger', generateKeyPair().privateKey);
    expect(verifyNote(withUnknown, [log.key])).toMatchObject({ ok: true, verifiedBy: ['log'] });
    const unknownFirst = `${body}\n${withUnknown.split('\n').slice(-2, -1)[0]}\n${note.slice(body.length + 1)}`;
    expect(verifyNote(unknownFirst, [log.key])).toMatchObject({ ok: true, verifiedBy: ['log'] });
  });

  it('rejects the same known key signing twice, and refuses to sign twice', () => {
    const signatureLine = note.slice(body.length + 1);
    expect(verifyNote(`${note}${signatureLine}`, [log.key])).toEqual({
      ok: false,
      reason: `key ${log.label} signed the note more than once`,
    });
    expect(() => signNote(note, 'log', log.privateKey)).toThrow(`key ${log.label} already signed the note`);
  });

  it('rejects a forged line from a trusted key even when another trusted key signed', () => {
    const both = signNote(note, 'other', other.privateKey);
    const tampered = editSignatureLine(both, 1, (bytes) => {
      bytes[10] = (bytes[10] ?? 0) ^ 0x80;
    });
    expect(verifyNote(tampered, [log.key, other.key])).toEqual({
      ok: false,
      reason: `signature line 2 by key ${other.label} is invalid`,
    });
  });
});

function keyWithLetterInId(): Buffer {
  for (;;) {
    const { publicKey } = generateKeyPair();
    if (/[a-f]/.test(encodeVerifierKey('log', publicKey).slice(4, 12))) return publicKey;
  }
}
