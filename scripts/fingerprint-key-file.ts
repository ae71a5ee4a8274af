/**
 * The per-installation fingerprint key of the zero-setup install: without FINGERPRINT_KEY, the first
 * embedded start writes one to DATA_DIR/fingerprint.key (hex, mode 0600), so confirmations get
 * fingerprints and checkFingerprint answers at once. They compare only within this installation:
 * other platforms hold the registries' shared key. Kept beside the data, never in the database.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFingerprintKey } from '../services/crypto/fingerprint-key.js';

export const fingerprintKeyFileName = 'fingerprint.key';

/** The key in `file` (hex or base64, surrounding whitespace ignored), or an Error naming the file. */
export async function readFingerprintKeyFile(file: string): Promise<Buffer> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`could not read the fingerprint key file ${file}: ${error.message}`);
  });
  const parsed = parseFingerprintKey(text);
  if (!parsed.ok) throw new Error(`the fingerprint key file ${file} ${parsed.message}`);
  return parsed.key;
}

export async function loadOrCreateFingerprintKey(
  dataDir: string,
): Promise<{ key: Buffer; file: string; created: boolean }> {
  const file = path.join(dataDir, fingerprintKeyFileName);
  if (existsSync(file)) return { key: await readFingerprintKeyFile(file), file, created: false };
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${key.toString('hex')}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return { key, file, created: true };
}
