/**
 * Secrets of the zero-setup install, generated on the first start and kept beside the data (mode
 * 0600): the embedded server's superuser password, the application role's password, and the key
 * that seals custodial private keys. Written atomically so a crash never leaves half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface EmbeddedSecrets {
  postgresPassword: string;
  appRolePassword: string;
  custodyKey: string;
}

function isSecrets(value: unknown): value is EmbeddedSecrets {
  const secrets = value as Partial<EmbeddedSecrets> | null;
  return (
    typeof secrets?.postgresPassword === 'string' &&
    typeof secrets.appRolePassword === 'string' &&
    typeof secrets.custodyKey === 'string' &&
    /^[0-9a-f]{64}$/.test(secrets.custodyKey)
  );
}

export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: EmbeddedSecrets; file: string }> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new Error(`could not read ${file}: ${error.message}`);
    });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Damaged like any other malformed content: the sentence below says what to do.
    }
    if (!isSecrets(parsed)) throw new Error(`${file} is damaged: restore it from a backup`);
    return { secrets: parsed, file };
  }
  const secrets: EmbeddedSecrets = {
    postgresPassword: randomBytes(24).toString('hex'),
    appRolePassword: randomBytes(24).toString('hex'),
    custodyKey: randomBytes(32).toString('hex'),
  };
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return { secrets, file };
}
