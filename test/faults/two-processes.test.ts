/**
 * Two API processes on one database behind a balancer; the one anchoring is killed with SIGKILL in
 * the middle of a write burst. The other keeps serving, takes the anchoring lease when it lapses, and
 * anchors every event exactly once; clients that lost their server resend to the other one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';
import { auditLedger, burst, seedDemo, verifyLogOverApi, waitUntilAnchored } from './workload.js';

const database = useTestDatabase();
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const server of servers) await stopServerProcess(server);
});

describe('two API processes, one killed mid-anchoring', () => {
  it('loses no acknowledged write, anchors every event once, and the log verifies', async () => {
    const adminApiKey = `tp_${randomBytes(32).toString('base64url')}`;
    const env = {
      DATABASE_URL: database.ownerUrl,
      APP_DATABASE_URL: database.appUrl,
      CUSTODY_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: adminApiKey,
    };
    // The first process starts alone, so it holds the anchoring lease; it anchors without pause.
    const first = await startServerProcess({ ...env, ANCHOR_INTERVAL_MS: '10' });
    servers.push(first);
    const second = await startServerProcess({ ...env, ANCHOR_INTERVAL_MS: '50' });
    servers.push(second);
    const chain = await seedDemo(first.url, adminApiKey);

    const writes = burst({
      urls: () => servers.filter((server) => server.alive()).map((server) => server.url),
      chain,
      workers: 8,
      writesPerWorker: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const report = await writes;
    console.log(
      `burst: ${report.acknowledged.length} acknowledged, retryable answers ${JSON.stringify(report.retryable)}`,
    );

    expect(second.alive()).toBe(true);
    expect(report.refused).toEqual([]);
    expect(report.acknowledged).toHaveLength(8 * 20);
    await waitUntilAnchored(database.owner.db, 20_000);
    const audit = await auditLedger(database.owner.db, report.acknowledged);
    expect(audit.problems).toEqual([]);
    expect(audit.leafCount).toBe(audit.eventCount);
    expect(await verifyLogOverApi(second.url, adminApiKey)).toMatchObject({ ok: true });
    expect(second.output()).not.toContain("Unhandled 'error' event");
  });
});
