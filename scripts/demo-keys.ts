/**
 * The demo's key files: the private keys of the parties that sign with their own key, written as
 * `npm run sign -- keygen` writes them (mode 0600, in a 0700 folder), for the web console to sign
 * with. One file per party, named after it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeKeyFile } from './client/key-file.js';
import type { DemoParty } from './demo-data.js';

export async function writeDemoKeyFiles(
  keysDir: string,
  parties: readonly DemoParty[],
  log: (line: string) => void,
): Promise<void> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  log('\nKey files of the parties that sign with their own key (load one in the console to sign):');
  for (const party of parties) {
    if (!party.keyPair) continue;
    const file = path.join(keysDir, `${party.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.key.json`);
    await writeKeyFile(file, party.keyPair);
    log(`  ${party.name.padEnd(48)} ${file}`);
  }
}
