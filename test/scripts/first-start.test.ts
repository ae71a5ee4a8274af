/**
 * The platform administrator's first API key is never lost: a first start on a port in use stops
 * before it creates anything, and one that fails after creating the key (here: a log created under
 * another LOG_ORIGIN) leaves it for the next start to print. Each key printed opens the API, and is
 * printed once. The starts run `scripts/start.ts` for real, on this file's database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../services/db/embedded.js';
import { ensureLogSigner } from '../../services/ledger/log-signer.js';
import { createTestDatabase } from '../support/database.js';
import { runScript, stackFrame } from '../support/script-run.js';
import { startServerProcess, stopServerProcess } from '../support/server-process.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freshLedgerEnv(): Promise<{
  env: Record<string, string>;
  database: Awaited<ReturnType<typeof createTestDatabase>>;
}> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tradeproof-first-start-'));
  cleanups.push(database.drop, () => rm(dataDir, { recursive: true, force: true }));
  const env = {
    DATABASE_URL: database.ownerUrl,
    APP_DATABASE_URL: database.appUrl,
    MIGRATE_ON_START: 'false',
    CUSTODY_KEY: randomBytes(32).toString('hex'),
    DATA_DIR: dataDir,
    ANCHORING: 'false',
    ADMIN_API_KEY: '',
  };
  return { env, database };
}

async function me(url: string, apiKey: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query: '{ me { legalName } }' }),
  });
  return response.json();
}

const keyLine = /^ADMIN_API_KEY=(tp_\S+)$/m;

/** Starts the ledger, reads the key it prints (or null), checks it opens the API, and stops it. */
async function startOnce(env: Record<string, string>): Promise<{ key: string | null; output: string }> {
  const server = await startServerProcess(env);
  try {
    const key = keyLine.exec(server.output())?.[1] ?? null;
    if (key !== null) {
      expect(await me(server.url, key)).toEqual({
        data: { me: { legalName: 'tradeproof platform operator' } },
      });
    }
    return { key, output: server.output() };
  } finally {
    expect(await stopServerProcess(server)).toBe(0);
  }
}

describe('the first administrator API key', () => {
  it('survives a first start on a port in use: that start stops with a sentence naming PORT, the next prints the key', async () => {
    const { env, database } = await freshLedgerEnv();
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const refused = await runScript('scripts/start.ts', [], { ...env, PORT: String(port) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `[tradeproof] failed to start: port ${port} on 127.0.0.1 is in use by another program: ` +
          'stop that program, or choose another port (PORT)\n',
      );
      expect(refused.stdout).not.toContain('ADMIN_API_KEY');
    } finally {
      holder.close();
    }
    // It took the port before anything else: no platform, no key was created.
    expect(await database.owner.db.selectFrom('api_key').select('id').execute()).toEqual([]);

    const first = await startOnce(env);
    expect(first.output).toContain(
      'first start: the platform administrator API key is below. It is shown once; keep it safe.',
    );
    expect(first.key).not.toBeNull();
    const again = await startOnce(env);
    expect(again.key).toBeNull();
    expect(again.output).not.toContain('ADMIN_API_KEY');
  }, 240_000);

  it('created by a start that failed before printing it, is printed by the next start, once', async () => {
    const { env, database } = await freshLedgerEnv();
    // A log made under another origin: the start creates the platform and its key, then fails on LOG_ORIGIN.
    const custody = { key: Buffer.from(env.CUSTODY_KEY ?? '', 'hex') };
    await ensureLogSigner(database.app.db, custody, 'tradeproof.test/first-start');
    const failed = await runScript('scripts/start.ts', [], {
      ...env,
      PORT: '0',
      LOG_ORIGIN: 'tradeproof.test/other',
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^\[tradeproof\] failed to start: LOG_ORIGIN is "tradeproof.test\/other"[^\n]*\n$/,
    );
    expect(failed.stderr).not.toMatch(stackFrame);
    expect(failed.stdout).not.toContain('ADMIN_API_KEY');
    expect(await database.owner.db.selectFrom('api_key').select('id').execute()).toHaveLength(1);

    const next = await startOnce({ ...env, LOG_ORIGIN: 'tradeproof.test/first-start' });
    expect(next.output).toContain(
      'first start: an earlier start created the platform administrator API key but stopped before showing it; it is below.',
    );
    expect(next.key).not.toBeNull();
    const again = await startOnce({ ...env, LOG_ORIGIN: 'tradeproof.test/first-start' });
    expect(again.key).toBeNull();
  }, 240_000);
});
