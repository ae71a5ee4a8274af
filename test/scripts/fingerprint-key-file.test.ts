import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateFingerprintKey, readFingerprintKeyFile } from '../../scripts/fingerprint-key-file.js';

describe('the per-installation fingerprint key of the zero-setup install', () => {
  it('is generated once into the data folder (mode 0600) and read back on later starts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fingerprint-key-'));
    const first = await loadOrCreateFingerprintKey(dataDir);
    expect(first).toMatchObject({ created: true, file: path.join(dataDir, 'fingerprint.key') });
    expect(first.key).toHaveLength(32);
    expect((await stat(first.file)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.file, 'utf8')).trim()).toBe(first.key.toString('hex'));
    const again = await loadOrCreateFingerprintKey(dataDir);
    expect(again).toEqual({ ...first, created: false });
  });

  it('refuses a damaged key file, naming it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'fingerprint-key-'));
    const file = path.join(dataDir, 'fingerprint.key');
    await writeFile(file, 'abcd\n');
    await expect(readFingerprintKeyFile(file)).rejects.toThrow(`the fingerprint key file ${file} must hold`);
    await expect(loadOrCreateFingerprintKey(dataDir)).rejects.toThrow(file);
  });
});
