/**
 * Three API processes on one PostgreSQL database, each on a port of its own, all running the anchoring
 * worker; the lease decides who anchors. Writes go through all three at once. The process anchoring
 * is caught in the middle of a batch (its transaction open, see anchoring-leader.ts) and killed with
 * SIGKILL while the writes go on. Another process must take the lease within the lease time, and
 * the log must come out whole: every acknowledged event anchored exactly once, leaf indexes 0..n-1,
 * every checkpoint's root recomputed from the leaves (verifyLog) and each one consistent with the
 * one before it (RFC 9162 consistency proofs).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';
import {
  checkCheckpointChain,
  freezeLeaderMidBatch,
  readLease,
  transactionStatus,
  waitForNewHolder,
} from './anchoring-leader.js';
import { auditLedger, burst, seedDemo, verifyLogOverApi, waitUntilAnchored } from './workload.js';

const database = useTestDatabase();
const servers = new Map<string, ServerProcess>();
const folders: string[] = [];

afterAll(async () => {
  for (const server of servers.values()) {
    server.child.kill('SIGCONT');
    await stopServerProcess(server);
  }
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const processCount = 3;
const anchorIntervalMs = 50;
/** services/ledger/anchor-worker.ts: the lease lasts max(5 s, 10 intervals). */
const leaseTtlMs = Math.max(5_000, anchorIntervalMs * 10);
/** A follower tries every interval; the rest is a transaction on a busy two-core machine. */
const takeoverSlackMs = 3_000;

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

async function leafCount(): Promise<number> {
  const { rows } = await inTransaction(database.owner.db, (trx) =>
    sql<{ leaves: bigint }>`SELECT count(*)::INT8 AS leaves FROM leaf`.execute(trx),
  );
  return Number(rows[0]?.leaves ?? 0);
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('three API processes on one database, the anchoring leader killed mid-batch', () => {
  it('hands the lease over within its lifetime and anchors every event exactly once', async (context) => {
    if (database.owner.flavor !== 'postgres') {
      console.log('skipped: finding the leader reads pg_stat_activity, which CockroachDB does not have');
      context.skip();
    }
    const adminApiKey = `tp_${randomBytes(32).toString('base64url')}`;
    const shared = {
      DATABASE_URL: database.ownerUrl,
      CUSTODY_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: adminApiKey,
      // Migrations ran once, before (as the one-shot migrate service does in docker-compose.yml).
      MIGRATE_ON_START: 'false',
      ANCHOR_INTERVAL_MS: String(anchorIntervalMs),
      // Small batches: under the burst the leader runs them back to back, so one is nearly always open.
      ANCHOR_BATCH_EVENTS_MAX: '8',
    };
    const began = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - began) / 1000).toFixed(1)} s`);
    const started = await Promise.all(
      Array.from({ length: processCount }, async (_, index) => {
        const name = `tradeproof-process-${index + 1}`;
        const dataDir = await mkdtemp(path.join(tmpdir(), 'tradeproof-processes-'));
        folders.push(dataDir);
        const server = await startServerProcess({
          ...shared,
          APP_DATABASE_URL: withApplicationName(database.appUrl, name),
          DATA_DIR: dataDir,
        });
        servers.set(name, server);
        return server;
      }),
    );
    expect(new Set(started.map((server) => new URL(server.url).port)).size).toBe(processCount);
    phase('started');
    const chain = await seedDemo(started[0]?.url ?? '', adminApiKey);
    phase('demo seeded');
    const live = () => [...servers.values()].filter((server) => server.alive()).map((server) => server.url);

    let takenOver = false;
    let giveUp = false;
    let acknowledgedAtTakeover: number | null = null;
    const anchoredBefore = await leafCount();
    const writes = burst({
      urls: live,
      chain,
      workers: 9,
      writesPerWorker: 10,
      // Writes go on through the kill and the takeover, until 20 more were acknowledged after it.
      stop: (progress) => {
        if (giveUp) return true;
        if (!takenOver) return false;
        acknowledgedAtTakeover ??= progress.acknowledged.length;
        return progress.acknowledged.length >= acknowledgedAtTakeover + 20;
      },
    });
    // A failed check below must not leave the writers writing.
    context.onTestFinished(() => {
      giveUp = true;
    });
    // The leader is anchoring the burst as it comes in.
    await until(async () => (await leafCount()) >= anchoredBefore + 20, 120_000, 'anchoring under the burst');

    phase('leader anchoring the burst');
    const frozen = await freezeLeaderMidBatch(database.owner.db, servers);
    phase('leader caught mid-batch');
    const lease = await readLease(database.owner.db);
    expect(lease, 'the leader holds a lease').not.toBeNull();
    const killedAt = Date.now();
    frozen.server.child.kill('SIGKILL');
    expect(await frozen.server.exited).toBe('SIGKILL');
    const takeover = await waitForNewHolder(database.owner.db, lease?.holder ?? '', 60_000);
    const takeoverMs = Date.now() - killedAt;
    takenOver = true;
    const survivors = [...servers.entries()].filter(([, server]) => server.alive()).map(([name]) => name);
    console.log(
      `killed ${frozen.backend.applicationName} mid-batch (transaction ${frozen.backend.xid}, ` +
        `"${frozen.backend.query.slice(0, 40)}…"); lease taken over after ${takeoverMs} ms ` +
        `(lease ${leaseTtlMs} ms, it had ${(lease?.expiresAt.getTime() ?? 0) - (lease?.now.getTime() ?? 0)} ms left); ` +
        `survivors ${survivors.join(', ')}`,
    );
    // The batch the leader had open never committed: its work is redone by the next leader.
    await until(
      async () => (await transactionStatus(database.owner.db, frozen.backend.xid ?? '')) !== 'in progress',
      10_000,
      'the killed batch ended',
    );
    expect(await transactionStatus(database.owner.db, frozen.backend.xid ?? '')).toBe('aborted');
    expect(takeoverMs).toBeLessThanOrEqual(leaseTtlMs + takeoverSlackMs);
    // On the database's clock: nobody took the lease before it expired.
    expect(takeover.now.getTime()).toBeGreaterThanOrEqual(lease?.expiresAt.getTime() ?? 0);

    phase('lease taken over');
    const done = await writes;
    phase('burst done');
    console.log(
      `burst: ${done.acknowledged.length} acknowledged, by ${JSON.stringify(countBy(done.acknowledged.map((a) => a.url)))}; ` +
        `retryable answers ${JSON.stringify(done.retryable)}`,
    );
    expect(done.refused).toEqual([]);
    // Writes went on through the kill: the survivors acknowledged more after the takeover.
    expect(done.acknowledged.length).toBeGreaterThanOrEqual((acknowledgedAtTakeover ?? Infinity) + 20);
    for (const server of started)
      expect(done.acknowledged.some((write) => write.url === server.url)).toBe(true);

    await waitUntilAnchored(database.owner.db, 20_000);
    phase('all anchored');
    const audit = await auditLedger(database.owner.db, done.acknowledged);
    expect(audit.problems).toEqual([]);
    expect(audit.leafCount).toBe(audit.eventCount);
    const url = live()[0] ?? '';
    expect(await verifyLogOverApi(url, adminApiKey)).toMatchObject({ ok: true });
    phase('verifyLog');
    expect(await checkCheckpointChain(database.owner.db, url, adminApiKey)).toEqual([]);
    phase('consistency proofs');
    console.log(`phases (since start): ${phases.join(', ')}`);
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
