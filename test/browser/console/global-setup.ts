/**
 * One ledger for every console test: the web console built as `npm start` builds it, the server
 * started as `npm start` starts it (embedded PostgreSQL in a throwaway DATA_DIR), the demo loaded
 * through the public API. Tests get its address, the demo's API keys and key files by inject().
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../../../scripts/web-build.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../support/server-process.js';
import { type ConsoleLedger, demoNames } from './ledger.js';

const root = path.resolve(import.meta.dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tradeproof-console-'));
  // The embedded server runs as `postgres`, which must be able to enter the folder.
  await import('node:fs/promises').then((fs) => fs.chmod(dataDir, 0o755));
  const keysDir = path.join(dataDir, 'demo-keys');
  await ensureWebBuild((line) => console.log(`[console tests] ${line}`));
  const adminApiKey = `tp_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`;
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      ADMIN_API_KEY: adminApiKey,
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--url', server.url, '--keys-dir', keysDir],
      { cwd: root, env: { ...process.env, ADMIN_API_KEY: adminApiKey }, timeout: 240_000 },
    );
    const apiKeys: Record<string, string> = { admin: adminApiKey };
    const keyFiles: Record<string, string> = {};
    for (const [role, name] of Object.entries(demoNames)) {
      const key = new RegExp(`^\\s+${name} .*?(tp_\\S+)$`, 'm').exec(stdout)?.[1];
      if (!key) throw new Error(`the demo printed no API key for ${name}:\n${stdout}`);
      apiKeys[role] = key;
      const file = new RegExp(`^\\s+${name} .*?(\\S+\\.key\\.json)$`, 'm').exec(stdout)?.[1];
      if (file) keyFiles[role] = file;
    }
    const ledger: ConsoleLedger = { base: server.url.replace(/\/graphql$/, ''), apiKeys, keyFiles };
    project.provide('consoleLedger', ledger);
  } catch (error) {
    if (server) await stopServerProcess(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return async () => {
    await stopServerProcess(running);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
