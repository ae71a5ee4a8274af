/**
 * `npm start` on its embedded PostgreSQL, killed under a write burst two ways: the database server
 * (SIGKILL to the postmaster; npm start runs it again) and the API process itself (SIGKILL; the next
 * `npm start` stops the PostgreSQL it left running and carries on). Clients resend what got no
 * answer; nothing they were told succeeded is lost, nothing is written twice, the log verifies.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/db/connect.js';
import { freePort } from '../../services/db/embedded.js';
import { removeDataDir } from '../support/data-dir.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';
import { auditLedger, burst, seedDemo, verifyLogOverApi, waitUntilAnchored } from './workload.js';

const folders: string[] = [];
let servers: ServerProcess[] = [];

afterEach(async () => {
  for (const server of servers) await stopServerProcess(server);
  servers = [];
});
afterAll(async () => {
  for (const folder of folders) removeDataDir(folder);
});

async function startEmbedded() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tradeproof-fault-'));
  folders.push(dataDir);
  const env = {
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ADMIN_API_KEY: `tp_${randomBytes(32).toString('base64url')}`,
  };
  const server = await startServerProcess(env);
  servers.push(server);
  return { env, server };
}

/** The schema owner's connection to the embedded database, for reading the ledger back. */
async function ownerOf(server: ServerProcess, env: { DATA_DIR: string; EMBEDDED_PG_PORT: string }) {
  const { postgresPassword } = JSON.parse(readFileSync(path.join(env.DATA_DIR, 'secrets.json'), 'utf8'));
  expect(server.output()).toContain(`port ${env.EMBEDDED_PG_PORT}`);
  return openDatabase(
    `postgresql://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/tradeproof`,
    { poolMax: 2 },
  );
}

function postmasterPid(server: ServerProcess): number {
  const clusterDir = /starting embedded PostgreSQL \(data in (.+), port \d+\)/.exec(server.output())?.[1];
  if (!clusterDir) throw new Error(`no cluster folder in:\n${server.output()}`);
  return Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function expectLedgerWhole(
  server: ServerProcess,
  env: { DATA_DIR: string; EMBEDDED_PG_PORT: string; ADMIN_API_KEY: string },
  report: Awaited<ReturnType<typeof burst>>,
) {
  console.log(
    `burst: ${report.acknowledged.length} acknowledged, retryable answers ${JSON.stringify(report.retryable)}`,
  );
  expect(report.refused).toEqual([]);
  const owner = await ownerOf(server, env);
  try {
    await waitUntilAnchored(owner.db, 20_000);
    const audit = await auditLedger(owner.db, report.acknowledged);
    expect(audit.problems).toEqual([]);
    expect(audit.leafCount).toBe(audit.eventCount);
  } finally {
    await owner.close();
  }
  expect(await verifyLogOverApi(server.url, env.ADMIN_API_KEY)).toMatchObject({ ok: true });
}

describe('npm start on the embedded PostgreSQL', () => {
  it('runs its PostgreSQL again after it is killed mid-burst, and loses nothing acknowledged', async () => {
    const { env, server } = await startEmbedded();
    const chain = await seedDemo(server.url, env.ADMIN_API_KEY);
    const writes = burst({ urls: () => [server.url], chain, workers: 8, writesPerWorker: 15 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(postmasterPid(server), 'SIGKILL');
    const report = await writes;

    expect(server.alive()).toBe(true);
    expect(server.output()).toContain('embedded PostgreSQL started again after it exited (signal SIGKILL)');
    expect(report.acknowledged).toHaveLength(8 * 15);
    await expectLedgerWhole(server, env, report);
  });

  it('after its own kill -9, starts again over the PostgreSQL it left behind, and loses nothing acknowledged', async () => {
    const started = await startEmbedded();
    const { env } = started;
    let current = started.server;
    const chain = await seedDemo(current.url, env.ADMIN_API_KEY);
    const writes = burst({
      urls: () => (current.alive() ? [current.url] : []),
      chain,
      workers: 8,
      writesPerWorker: 15,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current.child.kill('SIGKILL');
    await current.exited;
    current = await startServerProcess(env);
    servers.push(current);
    const report = await writes;

    expect(current.output()).toContain("stopped the earlier run's PostgreSQL");
    expect(report.acknowledged).toHaveLength(8 * 15);
    await expectLedgerWhole(current, env, report);
  });
});
