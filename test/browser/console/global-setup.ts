/**
 * One ledger for every console test, as a newcomer's `npm install && npm start` makes it: the web
 * console built on start, the embedded PostgreSQL in a throwaway DATA_DIR, and the demo that the
 * first start loads (DEMO=true here, since NODE_ENV=test turns it off by default). Tests get its
 * address, the demo's API keys and key files (DATA_DIR/demo-keys) by inject().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuild } from '../../../scripts/web-build.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../support/server-process.js';
import { type ConsoleLedger, demoNames } from './ledger.js';

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

/** The server's output once the first start's demo has loaded (or why it did not). */
async function demoLoaded(server: ServerProcess, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const output = server.output();
    if (output.includes('first start: demo loaded')) return output;
    if (output.includes('first start: the demo stopped') || !server.alive()) {
      throw new Error(`the first start did not load the demo:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no demo within ${timeoutMs} ms:\n${server.output()}`);
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
      DEMO: 'true',
    });
    const stdout = await demoLoaded(server);
    const apiKeys: Record<string, string> = { admin: adminApiKey };
    const keyFiles: Record<string, string> = {};
    for (const [role, name] of Object.entries(demoNames)) {
      const key = new RegExp(`^\\s+${name} .*?(tp_\\S+)$`, 'm').exec(stdout)?.[1];
      if (!key) throw new Error(`the demo printed no API key for ${name}:\n${stdout}`);
      apiKeys[role] = key;
      const file = new RegExp(`^\\s+${name} .*?(\\S+\\.key\\.json)$`, 'm').exec(stdout)?.[1];
      if (file) {
        if (path.dirname(file) !== keysDir) throw new Error(`the demo wrote ${file}, not into ${keysDir}`);
        keyFiles[role] = file;
      }
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
