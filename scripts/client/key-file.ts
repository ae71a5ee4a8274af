/**
 * A party's signing key on disk, as JSON:
 *   { "type": "ed25519", "publicKey": hex, "privateKey": hex, "keyId": hex }
 * The private key is the 32-byte RFC 8032 seed; keyId is SHA-256 of the public key, as the ledger
 * registers it. Every field is checked on reading, because a key file that disagrees with itself would
 * sign with one key while the party registered another.
 */
import { open, readFile } from 'node:fs/promises';
import {
  type Ed25519KeyPair,
  isUsablePublicKey,
  keyIdOf,
  parseHex,
  publicKeyFromPrivate,
  toHex,
} from '../../services/crypto/index.js';

export interface KeyFile {
  type: 'ed25519';
  publicKey: string;
  privateKey: string;
  keyId: string;
}

export interface LoadedKey extends Ed25519KeyPair {
  keyId: string;
}

export const keyFileBytesMax = 4096;
const keyFileFields = ['keyId', 'privateKey', 'publicKey', 'type'];

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

function problem(source: string, message: string): KeyFileError {
  return new KeyFileError(`${source}: ${message}`);
}

function hexField(record: Record<string, unknown>, field: string, source: string): Buffer {
  const value = record[field];
  const bytes = typeof value === 'string' ? parseHex(value, 32) : null;
  if (bytes === null) throw problem(source, `"${field}" must be 64 hex digits (32 bytes)`);
  return bytes;
}

/** Checks key file text; throws a KeyFileError naming `source` and the first problem found. */
export function parseKeyFile(text: string, source = 'key file'): LoadedKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw problem(source, `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw problem(source, 'must be a JSON object');
  }
  const record = parsed as Record<string, unknown>;
  const fields = Object.keys(record).sort();
  if (fields.join() !== keyFileFields.join()) {
    throw problem(
      source,
      `must have exactly the fields ${keyFileFields.join(', ')}; found ${fields.join(', ')}`,
    );
  }
  if (record.type !== 'ed25519') throw problem(source, '"type" must be "ed25519"');
  const privateKey = hexField(record, 'privateKey', source);
  const publicKey = hexField(record, 'publicKey', source);
  const keyId = hexField(record, 'keyId', source);
  if (!publicKeyFromPrivate(privateKey).equals(publicKey)) {
    throw problem(
      source,
      '"publicKey" is not the public key of "privateKey": the file was altered or mixed up',
    );
  }
  // Cannot fail for a key derived from a seed; kept so that a file is never trusted on derivation alone.
  if (!isUsablePublicKey(publicKey)) throw problem(source, '"publicKey" is not a usable Ed25519 key');
  if (keyIdOf(publicKey) !== toHex(keyId)) {
    throw problem(source, '"keyId" is not SHA-256 of "publicKey": the file was altered or mixed up');
  }
  return { publicKey, privateKey, keyId: toHex(keyId) };
}

/** Reads and checks a key file; throws a KeyFileError with the path and the problem. */
export async function readKeyFile(path: string): Promise<LoadedKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw problem(path, `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (Buffer.byteLength(text) > keyFileBytesMax) throw problem(path, `larger than ${keyFileBytesMax} bytes`);
  return parseKeyFile(text, path);
}

/** The JSON document of a key pair, its public key derived again from the private one. */
export function keyFileOf(pair: Ed25519KeyPair): KeyFile {
  const publicKey = publicKeyFromPrivate(pair.privateKey);
  if (!publicKey.equals(pair.publicKey)) {
    throw new KeyFileError('the public key of this pair does not belong to its private key');
  }
  return {
    type: 'ed25519',
    publicKey: toHex(publicKey),
    privateKey: toHex(pair.privateKey),
    keyId: keyIdOf(publicKey),
  };
}

/**
 * Writes a new key file readable by its owner only (0600). Refuses to overwrite an existing file:
 * replacing a key that a party registered would lose the only copy of it.
 */
export async function writeKeyFile(path: string, pair: Ed25519KeyPair): Promise<KeyFile> {
  const document = keyFileOf(pair);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // 'wx' creates exclusively, so there is no window between a check and the write.
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw problem(path, 'exists already; refusing to overwrite a key file');
    throw problem(path, `cannot create (${code ?? (error as Error).message})`);
  }
  try {
    // The umask applies to open(); chmod makes the mode exactly 0600 whatever it is.
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return document;
}
