/**
 * `npm start` as a newcomer runs it: a fresh data directory, the embedded PostgreSQL, the admin key
 * printed once; SIGTERM stops everything cleanly and a restart finds every row.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../services/db/embedded.js';
import { freshKey, freshUscc } from '../support/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const startTimeoutMs = 60_000;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within ${startTimeoutMs} ms:\n${output}`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening at (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill('SIGTERM');
  });
}

async function graphql(url: string, apiKey: string, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe('npm start', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on a fresh data directory, stops cleanly on SIGTERM, and finds every row after a restart', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tradeproof-start-'));
    await chmod(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, PORT: '0', EMBEDDED_PG_PORT: String(await freePort()) };
    delete process.env.DATABASE_URL;

    const first = await start(env);
    const adminApiKey = /ADMIN_API_KEY=(\S+)/.exec(first.output())?.[1] ?? '';
    expect(adminApiKey).toMatch(/^tp_/);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const legalName = `Restart Check ${freshKey()}`;
    const registered = await graphql(
      first.url,
      adminApiKey,
      `mutation { registerParty(input: { legalName: "${legalName}", registrationId: "${freshUscc()}",
        roles: [supplier], idempotencyKey: "restart-1" }) { __typename } }`,
    );
    expect(registered.data).toEqual({ registerParty: { __typename: 'PartyPayload' } });
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await start(env);
    try {
      expect(second.output()).not.toContain('ADMIN_API_KEY=');
      const parties = await graphql(
        second.url,
        adminApiKey,
        '{ parties(first: 10) { edges { node { legalName } } } }',
      );
      const connection = parties.data?.parties as { edges: { node: { legalName: string } }[] } | undefined;
      const names = (connection?.edges ?? []).map((edge) => edge.node.legalName);
      expect(names).toContain(legalName);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 150_000);
});
