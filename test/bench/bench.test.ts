/**
 * `npm run bench -- ledger`, `-- ingest`, `-- single` and `-- report` at toy sizes (in one file: each checks that
 * it leaves no bench database behind, which a bench of another file running at once would upset).
 * Single: it measures each part, counts the ledger's transaction attempts and conflict retries, and
 * prints the ratios against the baselines of the same run.
 * Ledger, on the test server: every event anchored exactly once,
 * every sampled proof verified (the bench throws otherwise), ratios against the SHA-256 rate of the
 * same run, progress on the way, and no database left behind. Speeds are not asserted here: they
 * belong to the benchmark's own report.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { BenchServer } from '../../scripts/bench/bench-database.js';
import { runIngestBench } from '../../scripts/bench/ingest.js';
import { ingestSummaryLines } from '../../scripts/bench/ingest-report.js';
import { runLedgerBench } from '../../scripts/bench/ledger.js';
import { summaryLines } from '../../scripts/bench/report.js';
import { reportSummaryLines, runReportBench } from '../../scripts/bench/report-bench.js';
import { singleSummaryLines } from '../../scripts/bench/single.js';
import { runSingleBench } from '../../scripts/bench/single-run.js';
import { openDatabase } from '../../services/db/connect.js';
import { runScript } from '../support/script-run.js';

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
    // Nothing of this run is left behind (another bench test may drop its own meanwhile).
    const left = await benchDatabases(adminUrl);
    expect(left.filter((name) => !before.includes(name))).toEqual([]);
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

/**
 * Ingest: every signed event recorded (the bench throws on any refusal) and anchored, a report with the
 * rate beside the single-core Ed25519 rate of the same run, batch latencies and the breakdown.
 */
describe('the ingest benchmark', { timeout: 180_000 }, () => {
  it('records and anchors every signed event and reports its rate beside one core’s Ed25519 rate', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const before = await benchDatabases(adminUrl);
    const server: BenchServer = { adminUrl, label: 'test server', stop: async () => {} };
    const lines: string[] = [];
    const options = { events: 240, batch: 50, concurrency: 2, sellers: 3, buyers: 2 };
    const report = await runIngestBench(server, options, (line) => lines.push(line));

    expect(report.bench).toBe('ingest');
    expect(report.ingest.events).toBe(240);
    // 80 orders per seller in batches of 50: two calls each.
    expect(report.ingest.batches).toBe(6);
    expect(report.ingest.eventsPerSecond).toBeGreaterThan(0);
    expect(report.ingest.ratioToEd25519).toBeCloseTo(
      report.ingest.eventsPerSecond / report.ed25519.verificationsPerSecond,
      12,
    );
    expect(report.ingest.batchP50Ms).toBeLessThanOrEqual(report.ingest.batchP99Ms);
    // The bench's parties, keys and API keys are events too: at least the 240 orders are leaves.
    expect(report.anchoring.leaves).toBeGreaterThan(240);
    expect(report.anchoring.secondsAfterIngest).toBeGreaterThanOrEqual(0);
    for (const phase of ['requestMs', 'checkMs', 'verifyMs', 'writeMs', 'httpAndGraphqlMs'] as const) {
      expect(report.breakdown[phase]).toBeGreaterThanOrEqual(0);
    }
    expect(report.breakdown.writeMs).toBeGreaterThan(0);
    const summary = ingestSummaryLines(report).join('\n');
    expect(summary).toMatch(/ingest of 240 signed events +[\d,]+ events\/s/);
    expect(summary).toMatch(/ratio +\d\.\d{3} × the single-core rate/);
    expect(lines.some((line) => /^ {2}[\d,]+\/240 events in /.test(line))).toBe(true);
    // Nothing of this run is left behind (another bench test may drop its own meanwhile).
    const left = await benchDatabases(adminUrl);
    expect(left.filter((name) => !before.includes(name))).toEqual([]);
  });

  it('refuses a batch above 1,000 statements and an option of the other bench (exit 2)', async () => {
    const big = await runScript('scripts/bench/index.ts', ['ingest', '--batch', '1001']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--batch must be an integer from 1 to 1000, not "1001"');
    const stray = await runScript('scripts/bench/index.ts', ['ingest', '--proofs', '5']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--proofs is not an option of the ingest bench');
    expect(stray.stderr).toContain('usage: npm run bench -- ledger');
  });
});

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
    // Nothing of this run is left behind (another bench test may drop its own meanwhile).
    const left = await benchDatabases(adminUrl);
    expect(left.filter((name) => !before.includes(name))).toEqual([]);
  });
});

/**
 * Report: a tier-3 receivable with its forty events among a small synthetic log, the report read
 * GENUINE (the bench throws otherwise), timings beside the inclusion-proof baseline, and no database
 * left behind.
 */
describe('the verification report benchmark', { timeout: 180_000 }, () => {
  it('times verificationReport on a tier-3 receivable beside one inclusion-proof read', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const before = await benchDatabases(adminUrl);
    const server: BenchServer = { adminUrl, label: 'test server', stop: async () => {} };
    const lines: string[] = [];
    const report = await runReportBench(server, { events: 600, reports: 8, batchEventsMax: 256 }, (line) =>
      lines.push(line),
    );

    expect(report.receivable).toMatchObject({ tier: 3, eventsBehind: 40, verdict: 'genuine' });
    expect(report.log.treeSize).toBeGreaterThan(500);
    expect(report.report.runs).toBe(8);
    expect(report.report.p50Ms).toBeLessThanOrEqual(report.report.p99Ms);
    expect(report.ratioP50).toBeCloseTo(report.report.p50Ms / report.baseline.p50Ms, 12);
    const summary = reportSummaryLines(report).join('\n');
    expect(summary).toMatch(/verificationReport, tier-3 part with 40 events behind it, at [\d,]+ leaves/);
    expect(summary).toMatch(/ratio report ÷ baseline: p50 [\d.,]+×/);
    // Nothing of this run is left behind (another bench test may drop its own meanwhile).
    const left = await benchDatabases(adminUrl);
    expect(left.filter((name) => !before.includes(name))).toEqual([]);
  });

  it('refuses an option of another bench (exit 2)', async () => {
    const stray = await runScript('scripts/bench/index.ts', ['report', '--proofs', '5']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--proofs is not an option of the report bench');
  });
});
