/**
 * The API process under real connection terminations (what pg_terminate_backend, a crashed server
 * or a drained CockroachDB node does to it) during a write burst: it stays up, clients get
 * retryable answers at worst, every acknowledged write is in the ledger once, and the log verifies.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLedger, burst, seedDemo, verifyLogOverApi, waitUntilAnchored } from '../faults/workload.js';
import { useTestDatabase } from '../support/database.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';

const database = useTestDatabase();
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server) await stopServerProcess(server);
});

async function terminateAppConnections(): Promise<number> {
  const { rows } = await sql<{ terminated: boolean }>`
    SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
    WHERE datname = current_database() AND usename = 'tradeproof_app'`.execute(database.owner.db);
  return rows.filter((row) => row.terminated).length;
}

describe('lost database connections', () => {
  it('keep the API up under a write burst: every acknowledged write is kept once and the log verifies', async () => {
    const adminApiKey = `tp_${randomBytes(32).toString('base64url')}`;
    server = await startServerProcess({
      DATABASE_URL: database.ownerUrl,
      APP_DATABASE_URL: database.appUrl,
      CUSTODY_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: adminApiKey,
      ANCHOR_INTERVAL_MS: '50',
    });
    const running = server;
    const chain = await seedDemo(running.url, adminApiKey);

    let terminated = 0;
    const writes = burst({ urls: () => [running.url], chain, workers: 8, writesPerWorker: 15 });
    for (let round = 0; round < 6; round++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      terminated += await terminateAppConnections();
    }
    const report = await writes;
    console.log(
      `burst: ${report.acknowledged.length} acknowledged, retryable answers ${JSON.stringify(report.retryable)}, ${terminated} connections terminated`,
    );

    expect(running.alive()).toBe(true);
    expect(running.output()).not.toContain("Unhandled 'error' event");
    expect(terminated).toBeGreaterThan(0);
    expect(report.refused, JSON.stringify(report.refused.slice(0, 3))).toEqual([]);
    expect(report.acknowledged).toHaveLength(8 * 15);
    await waitUntilAnchored(database.owner.db);
    const audit = await auditLedger(database.owner.db, report.acknowledged);
    expect(audit.problems).toEqual([]);
    expect(audit.leafCount).toBe(audit.eventCount);
    expect(await verifyLogOverApi(running.url, adminApiKey)).toMatchObject({ ok: true });
  }, 180_000);
});
