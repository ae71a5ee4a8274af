/**
 * A key file as `npm run sign -- keygen` writes it:
 *   { "type": "ed25519", "publicKey": hex, "privateKey": hex, "keyId": hex }
 * checked field by field as the CLI checks it (scripts/client/key-file.ts), because a file that
 * disagrees with itself would sign with one key while the party registered another.
 */
import { getPublicKeyAsync } from '@noble/ed25519';
import { sha256 } from '@noble/hashes/sha2.js';
import { parseHex, toHex } from './hex';

export interface BrowserKey {
  privateKey: Uint8Array;
  publicKey: string;
  keyId: string;
}

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

const fieldsExpected = ['keyId', 'privateKey', 'publicKey', 'type'];
export const keyFileBytesMax = 4096;

function hexField(record: Record<string, unknown>, field: string): Uint8Array {
  const value = record[field];
  const bytes = typeof value === 'string' ? parseHex(value, 32) : null;
  if (bytes === null) throw new KeyFileError(`"${field}" must be 64 hex digits (32 bytes)`);
  return bytes;
}

export async function parseKeyFile(text: string): Promise<BrowserKey> {
  if (text.length > keyFileBytesMax) throw new KeyFileError(`a key file is at most ${keyFileBytesMax} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KeyFileError(`not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KeyFileError('must be a JSON object');
  }
  const record = parsed as Record<string, unknown>;
  const fields = Object.keys(record).sort();
  if (fields.join() !== fieldsExpected.join()) {
    throw new KeyFileError(
      `must have exactly the fields ${fieldsExpected.join(', ')}; found ${fields.join(', ')}`,
    );
  }
  if (record.type !== 'ed25519') throw new KeyFileError('"type" must be "ed25519"');
  const privateKey = hexField(record, 'privateKey');
  const publicKey = hexField(record, 'publicKey');
  const keyId = hexField(record, 'keyId');
  if (toHex(await getPublicKeyAsync(privateKey)) !== toHex(publicKey)) {
    throw new KeyFileError(
      '"publicKey" is not the public key of "privateKey": the file was altered or mixed up',
    );
  }
  if (toHex(sha256(publicKey)) !== toHex(keyId)) {
    throw new KeyFileError('"keyId" is not SHA-256 of "publicKey": the file was altered or mixed up');
  }
  return { privateKey, publicKey: toHex(publicKey), keyId: toHex(keyId) };
}
