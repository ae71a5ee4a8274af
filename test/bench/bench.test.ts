/**
 * `npm run bench -- ledger` at toy sizes, on the test server: every event anchored exactly once,
 * every sampled proof verified (the bench throws otherwise), ratios against the SHA-256 rate of the
 * same run, progress on the way, and no database left behind. Speeds are not asserted here: they
 * belong to the benchmark's own report.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { BenchServer } from '../../scripts/bench/bench-database.js';
import { runLedgerBench } from '../../scripts/bench/ledger.js';
import { summaryLines } from '../../scripts/bench/report.js';
import { openDatabase } from '../../services/db/connect.js';

const run = promisify(execFile);

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

describe('the ledger benchmark', { timeout: 120_000 }, () => {
  it('anchors every event, proves sampled leaves, reports ratios to SHA-256 and cleans up', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const before = await benchDatabases(adminUrl);
    const server: BenchServer = { adminUrl, label: 'test server', stop: async () => {} };
    const lines: string[] = [];
    const report = await runLedgerBench(
      server,
      { events: [300, 700], batchEventsMax: 128, proofs: 40 },
      (line) => lines.push(line),
    );

    expect(report.anchoring.map((result) => result.events)).toEqual([300, 700]);
    for (const result of report.anchoring) {
      expect(result.batches).toBe(Math.ceil(result.events / 128) + 1);
      expect(result.ratioToSha256).toBeCloseTo(result.eventsPerSecond / report.sha256.hashesPerSecond, 12);
      expect(result.eventsPerSecond).toBeGreaterThan(0);
    }
    // The proofs run over the largest size's tree: its events plus the bootstrap's own.
    expect(report.proofs?.treeSize).toBeGreaterThan(700);
    expect(report.proofs?.proofs).toBe(40);
    expect(report.proofs?.p50Ms).toBeLessThanOrEqual(report.proofs?.p99Ms ?? 0);
    const progress = lines.filter((line) => /^ {2}anchored [\d,]+\/700 \(\d+%\) in /.test(line));
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toMatch(/^ {2}anchored 700\/700 \(100%\)/);
    const summary = summaryLines(report).join('\n');
    expect(summary).toMatch(/anchoring 700 events +[\d,]+ events\/s +ratio \d\.\d{4}/);
    expect(summary).toMatch(/inclusion proof p50 at [\d,]+ leaves/);
    expect(await benchDatabases(adminUrl)).toEqual(before);
  });

  it('refuses a bad size with the reason, and an unknown bench with its usage (exit 2, no stack)', async () => {
    const bench = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/bench/index.ts', ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const zero = await bench('ledger', '--events', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--events must be an integer from 1 to 10000000, not "0"');
    expect(zero.stderr).toContain('usage: npm run bench -- ledger');
    const unknown = await bench('ledgers');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown bench "ledgers"');
    expect(unknown.stderr).toContain('usage: npm run bench -- ledger');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
