/**
 * `npm run bench -- single` at toy sizes, on the test server: it measures each part, counts the
 * ledger's transaction attempts and conflict retries, prints the ratios against the baselines of
 * the same run, and leaves no database behind. Speeds are not asserted: they belong to the report.
 */
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { BenchServer } from '../../scripts/bench/bench-database.js';
import { singleSummaryLines } from '../../scripts/bench/single.js';
import { runSingleBench } from '../../scripts/bench/single-run.js';
import { openDatabase } from '../../services/db/connect.js';

async function benchDatabases(adminUrl: string): Promise<string[]> {
  const admin = await openDatabase(adminUrl, { poolMax: 1 });
  try {
    const { rows } = await sql<{ name: string }>`SELECT datname AS name FROM pg_database
      WHERE datname LIKE 'bench\\_%'`.execute(admin.db);
    return rows.map((row) => row.name);
  } finally {
    await admin.close();
  }
}

describe('the single-event benchmark', { timeout: 180_000 }, () => {
  it('times the me query and orders at concurrency 1 and 16, with retries and ratios', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const before = await benchDatabases(adminUrl);
    const server: BenchServer = { adminUrl, label: 'test server', stop: async () => {} };
    const lines: string[] = [];
    const report = await runSingleBench(server, { queries: 40, orders: 32 }, (line) => lines.push(line));

    expect(report.healthz.requests).toBe(40);
    expect(report.me.requests).toBe(40);
    expect(report.me.ratioToHealthz).toBeCloseTo(report.me.p50Ms / report.healthz.p50Ms, 12);
    expect(report.ed25519.verificationsPerSecond).toBeGreaterThan(0);
    expect(report.orders.map((run) => [run.concurrency, run.sellers, run.requests])).toEqual([
      [1, 1, 8],
      [16, 4, 32],
    ]);
    for (const run of report.orders) {
      expect(run.failures).toEqual({});
      expect(run.exhaustedRetries).toBe(0);
      // prepare and submit: authentication, a snapshot read and a write each.
      expect(run.attempts).toBeGreaterThanOrEqual(run.requests * 6);
      expect(run.abortRate).toBeCloseTo(run.conflictRetries / run.attempts, 12);
      expect(run.ratioToEd25519).toBeCloseTo(run.eventsPerSecond / report.ed25519.verificationsPerSecond, 12);
    }
    const summary = singleSummaryLines(report).join('\n');
    expect(summary).toMatch(/\{ me \{ id \} \} +p50 [\d.]+ ms .* ratio to \/healthz [\d.]+/);
    expect(summary).toMatch(/orders at concurrency 16 +[\d.]+ events\/s .* ratio to Ed25519 \d\.\d{4}/);
    expect(summary).toMatch(/conflict retries \(abort rate [\d.]+%\), 0 exhausted/);
    expect(lines.some((line) => line.includes('ledger listening at'))).toBe(true);
    expect(await benchDatabases(adminUrl)).toEqual(before);
  });
});
