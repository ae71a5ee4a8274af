/**
 * `npm start` as a newcomer runs it: a fresh data directory, the embedded PostgreSQL, the admin key
 * printed once; SIGTERM stops everything cleanly and a restart finds every row, also after kill -9
 * left the server's PostgreSQL running, and (as root) with DATA_DIR where the postgres user cannot go.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownMarginMs } from '../../scripts/runtime.js';
import { freePort } from '../../services/db/embedded.js';
import { isAlive } from '../../services/db/embedded-orphan.js';
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

async function graphql(url: string, apiKey: string, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

function killed(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

const stop = (started: Started) => killed(started, 'SIGTERM');

/**
 * Listens on the port as soon as the process that held it is gone (within 5 s), and hangs up on every
 * connection at once, so that the app's reconnect attempts fail as fast as against a closed port.
 */
async function holdPort(port: number): Promise<net.Server> {
  const until = Date.now() + 5_000;
  for (;;) {
    const server = net.createServer((socket) => socket.destroy());
    const held = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (held) return server;
    if (Date.now() > until) throw new Error(`port ${port} stayed in use`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const postmasterPid = async (clusterDir: string) =>
  Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

async function registerParty(url: string, adminApiKey: string, key: string): Promise<string> {
  const legalName = `Restart Check ${freshKey()}`;
  const registered = await graphql(
    url,
    adminApiKey,
    `mutation { registerParty(input: { legalName: "${legalName}", registrationId: "${freshUscc()}",
      roles: [SUPPLIER], idempotencyKey: "${key}" }) { __typename } }`,
  );
  expect(registered.data).toEqual({ registerParty: { __typename: 'PartyPayload' } });
  return legalName;
}

async function partyNames(url: string, adminApiKey: string): Promise<string[]> {
  const parties = await graphql(url, adminApiKey, '{ parties(first: 10) { edges { node { legalName } } } }');
  const connection = parties.data?.parties as { edges: { node: { legalName: string } }[] } | undefined;
  return (connection?.edges ?? []).map((edge) => edge.node.legalName);
}

const isRoot = process.getuid?.() === 0;
// Not TMPDIR: these cases want a DATA_DIR the postgres user reaches even when TMPDIR is under /root.
const reachableTmp = '/tmp';
if (!isRoot) console.log("start.test.ts: the DATA_DIR out of the postgres user's reach case needs root");

describe('npm start', () => {
  const cleanups: string[] = [];
  afterAll(async () => {
    for (const folder of cleanups) await rm(folder, { recursive: true, force: true });
  });

  it('runs on a fresh data directory, recovers the PostgreSQL a kill -9 left running, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(reachableTmp, 'tradeproof-start-'));
    cleanups.push(dataDir);
    await chmod(dataDir, 0o755);
    const env = { DATA_DIR: dataDir, PORT: '0', EMBEDDED_PG_PORT: String(await freePort()) };
    delete process.env.DATABASE_URL;

    const first = await start(env);
    const adminApiKey = /ADMIN_API_KEY=(\S+)/.exec(first.output())?.[1] ?? '';
    expect(adminApiKey).toMatch(/^tp_/);
    expect(statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.output()).toContain(
      `first start: ${dataDir}/secrets.json holds CUSTODY_KEY, the key sealing every custodial private key`,
    );
    const legalName = await registerParty(first.url, adminApiKey, 'restart-1');
    const clusterDir = path.join(dataDir, 'postgres');
    const orphan = await postmasterPid(clusterDir);
    expect(await killed(first, 'SIGKILL')).toBe(null);
    expect(await isAlive(orphan)).toBe(true);

    const second = await start(env);
    expect(second.output()).toContain(`PostgreSQL (process ${orphan}) is still running on ${clusterDir}`);
    expect(second.output()).toContain(`stopped the earlier run's PostgreSQL (process ${orphan})`);
    expect(second.output()).not.toContain('ADMIN_API_KEY=');
    expect(second.output()).not.toContain('CUSTODY_KEY');
    expect(await partyNames(second.url, adminApiKey)).toContain(legalName);
    expect(await stop(second)).toBe(0);
    expect(second.output()).toContain('stopped cleanly');
    expect(existsSync(path.join(clusterDir, 'postmaster.pid'))).toBe(false);
  }, 150_000);

  it.runIf(isRoot)(
    "as root, keeps the cluster of a DATA_DIR out of the postgres user's reach elsewhere, and stops within SHUTDOWN_GRACE_MS when PostgreSQL is gone or hangs",
    async () => {
      // mktemp -d is 0700: the postgres user cannot enter it.
      const privateDir = await mkdtemp(path.join(tmpdir(), 'tradeproof-private-'));
      cleanups.push(privateDir);
      const dataDir = path.join(privateDir, 'data');
      const graceMs = 500;
      const env = {
        DATA_DIR: dataDir,
        PORT: '0',
        EMBEDDED_PG_PORT: String(await freePort()),
        SHUTDOWN_GRACE_MS: String(graceMs),
        // The worker sleeps when PostgreSQL dies, so the stop must wake it; and no connection is
        // checked out then (a checked-out client losing its server is services/db/connect.ts's part).
        ANCHOR_INTERVAL_MS: '60000',
      };
      delete process.env.DATABASE_URL;

      const first = await start(env);
      const clusterDir =
        (await readFile(path.join(dataDir, 'postgres-location'), 'utf8')).split('\n')[0] ?? '';
      cleanups.push(path.dirname(clusterDir));
      expect(clusterDir).toMatch(/^\/var\/lib\/tradeproof\/.*-data-[0-9a-f]{10}\/postgres$/);
      expect(first.output()).toContain(
        `the postgres user cannot reach ${dataDir}, so the database lives in ${clusterDir} ` +
          `(recorded in ${dataDir}/postgres-location): back up both folders`,
      );
      const adminApiKey = /ADMIN_API_KEY=(\S+)/.exec(first.output())?.[1] ?? '';
      const legalName = await registerParty(first.url, adminApiKey, 'private-1');

      // The supervisor starts a killed server again after 250 ms; holding its port keeps it down, so
      // that the stop below meets a server that is gone, not one that came back.
      process.kill(await postmasterPid(clusterDir), 'SIGKILL');
      const portHolder = await holdPort(Number(env.EMBEDDED_PG_PORT));
      await expect
        .poll(() => first.output(), { timeout: 10_000 })
        .toContain('exited on its own (signal SIGKILL)');
      await expect.poll(() => first.output(), { timeout: 10_000 }).toContain('could not start again yet');
      const stoppingAt = Date.now();
      expect(await killed(first, 'SIGINT')).toBe(1);
      expect(Date.now() - stoppingAt).toBeLessThan(graceMs + shutdownMarginMs);
      expect(first.output()).toContain(
        'stopped, but not cleanly: embedded PostgreSQL had already exited (signal SIGKILL)',
      );

      await new Promise((resolve) => portHolder.close(resolve));
      const second = await start(env);
      expect(second.output()).toContain(`data in ${clusterDir}`);
      expect(second.output()).toContain('the last run did not stop cleanly');
      expect(await partyNames(second.url, adminApiKey)).toContain(legalName);

      // A database that no longer answers at all: the stop gives up at the deadline, and the embedded
      // server still gets its request to shut down, which it carries out once it runs again.
      const hung = await postmasterPid(clusterDir);
      process.kill(hung, 'SIGSTOP');
      try {
        const givingUpAt = Date.now();
        expect(await killed(second, 'SIGINT')).toBe(1);
        expect(Date.now() - givingUpAt).toBeLessThan(graceMs + shutdownMarginMs + 1_500);
        expect(second.output()).toContain(
          `stopping took longer than ${graceMs + shutdownMarginMs} ms (SHUTDOWN_GRACE_MS + 3 s): exiting`,
        );
      } finally {
        process.kill(hung, 'SIGCONT');
      }
      await expect.poll(() => isAlive(hung), { timeout: 20_000 }).toBe(false);
    },
    150_000,
  );

  it('refuses a port another program holds with a sentence, not a stack trace', async () => {
    const dataDir = await mkdtemp(path.join(reachableTmp, 'tradeproof-start-port-'));
    cleanups.push(dataDir);
    await chmod(dataDir, 0o755);
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const failure = await start({ DATA_DIR: dataDir, PORT: '0', EMBEDDED_PG_PORT: String(port) }).catch(
        (error: Error) => error.message,
      );
      expect(failure).toContain(
        `failed to start: port ${port} on 127.0.0.1 is in use by another program, so the embedded ` +
          'PostgreSQL cannot listen there: stop that program, or choose another port (EMBEDDED_PG_PORT)',
      );
      expect(failure).toContain('exited with 1');
      expect(failure).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  }, 60_000);
});
