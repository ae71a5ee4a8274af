import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileError, readKeyFile, writeKeyFile } from '../../scripts/client/key-file.js';
import { generateKeyPair, keyIdOf, toHex } from '../../services/crypto/index.js';

let directory: string;
let counter = 0;
const fresh = () => path.join(directory, `key-${++counter}.json`);

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-key-file-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writtenDocument(): Promise<{ file: string; document: Record<string, unknown> }> {
  const file = fresh();
  await writeKeyFile(file, generateKeyPair());
  return { file, document: JSON.parse(await readFile(file, 'utf8')) };
}

describe('key files', () => {
  it('read back the key pair they were written with, and its key id', async () => {
    const pair = generateKeyPair();
    const file = fresh();
    const written = await writeKeyFile(file, pair);
    const read = await readKeyFile(file);
    expect(read.privateKey.equals(pair.privateKey)).toBe(true);
    expect(read.publicKey.equals(pair.publicKey)).toBe(true);
    expect(read.keyId).toBe(keyIdOf(pair.publicKey));
    expect(written).toEqual({
      type: 'ed25519',
      publicKey: toHex(pair.publicKey),
      privateKey: toHex(pair.privateKey),
      keyId: keyIdOf(pair.publicKey),
    });
  });

  it('are written readable by their owner only (mode 0600)', async () => {
    const file = fresh();
    await writeKeyFile(file, generateKeyPair());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuse to overwrite an existing file, leaving it unchanged', async () => {
    const { file } = await writtenDocument();
    const before = await readFile(file, 'utf8');
    await expect(writeKeyFile(file, generateKeyPair())).rejects.toThrow(/exists already/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuse to write a pair whose public key belongs to another private key', async () => {
    const pair = { ...generateKeyPair(), publicKey: generateKeyPair().publicKey };
    await expect(writeKeyFile(fresh(), pair)).rejects.toBeInstanceOf(KeyFileError);
  });

  it('reject a file whose public key does not match its private key', async () => {
    const { file, document } = await writtenDocument();
    const other = generateKeyPair().publicKey;
    await writeFile(file, JSON.stringify({ ...document, publicKey: toHex(other), keyId: keyIdOf(other) }));
    await expect(readKeyFile(file)).rejects.toThrow(/"publicKey" is not the public key of "privateKey"/);
  });

  it('reject a file whose key id is not the hash of its public key', async () => {
    const { file, document } = await writtenDocument();
    await writeFile(file, JSON.stringify({ ...document, keyId: keyIdOf(generateKeyPair().publicKey) }));
    await expect(readKeyFile(file)).rejects.toThrow(/"keyId" is not SHA-256 of "publicKey"/);
  });

  it.each([
    ['not JSON', () => '{"type":', /not JSON/],
    ['an array', () => '[]', /must be a JSON object/],
    [
      'a missing field',
      (d: Record<string, unknown>) => JSON.stringify({ ...d, keyId: undefined }),
      /exactly/,
    ],
    ['an extra field', (d: Record<string, unknown>) => JSON.stringify({ ...d, note: 'x' }), /exactly/],
    ['another key type', (d: Record<string, unknown>) => JSON.stringify({ ...d, type: 'rsa' }), /"type"/],
    [
      'a short private key',
      (d: Record<string, unknown>) => JSON.stringify({ ...d, privateKey: String(d.privateKey).slice(2) }),
      /"privateKey" must be 64 hex digits/,
    ],
    [
      'a public key that is not hex',
      (d: Record<string, unknown>) => JSON.stringify({ ...d, publicKey: 'zz'.repeat(32) }),
      /"publicKey" must be 64 hex digits/,
    ],
  ])('reject %s, naming the file', async (_name, alter, message) => {
    const { file, document } = await writtenDocument();
    await writeFile(file, alter(document));
    const failure = readKeyFile(file);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(file);
  });

  it('report a missing file by its path', async () => {
    await expect(readKeyFile(path.join(directory, 'absent.json'))).rejects.toThrow(
      /absent\.json: cannot read \(ENOENT\)/,
    );
  });
});
