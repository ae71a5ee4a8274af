/**
 * `bench report`: the latency of verificationReport for a tier-3 receivable with about forty events
 * behind it, on a log of --events events (synthetic, zero-signature, as the ledger bench makes them),
 * beside a baseline of the same run: one inclusion-proof read (one node query and its fold). Each
 * report call is the whole service call: the snapshot reads, every check, and storing the report,
 * with the server's signature verifier threads (one per core).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { defaultPlatformRegistrationId } from '../../scripts/runtime.js';
import type { Ledger } from '../../services/context.js';
import { startVerifyPool } from '../../services/crypto/verify-pool.js';
import { migrateToLatest } from '../../services/db/migrator.js';
import type { Db } from '../../services/db/transaction.js';
import { ensureLogSigner } from '../../services/ledger/log-signer.js';
import { ensurePlatform } from '../../services/registry/platform.js';
import { verificationReport } from '../../services/verify/report.service.js';
import { anchorUntilDone } from './anchoring.js';
import { type BenchServer, createBenchDatabase } from './bench-database.js';
import { measureProofLatency, type ProofLatency } from './proof-latency.js';
import { type BenchReceivable, buildBenchReceivable, eventsBehind } from './report-trade.js';
import { formatCount, formatSignificant, percentile } from './stats.js';

export interface ReportBenchOptions {
  events: number;
  reports: number;
  batchEventsMax: number;
}

/** Issue 11 item 8, for this 2-core machine. */
export const reportTargets = { reportP50MsMax: 50 } as const;

export interface ReportLatency {
  runs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface ReportBenchReport {
  bench: 'report';
  startedAt: string;
  seconds: number;
  machine: { cpus: number; cpuModel: string; node: string };
  database: string;
  targets: typeof reportTargets;
  log: { treeSize: number; insertSeconds: number; anchorSeconds: number };
  receivable: { id: string; tier: number; eventsBehind: number; verdict: string; reportBytes: number };
  report: ReportLatency;
  baseline: ProofLatency & { what: string };
  ratioP50: number;
  ratioP99: number;
  targetMet: boolean;
}

type Log = (line: string) => void;

const warmUpReports = 10;

async function insertEvents(db: Db, count: number, actor: { partyId: string; keyId: string }, log: Log) {
  const slice = Math.max(5000, Math.ceil(count / 10));
  for (let done = 0; done < count; ) {
    const size = Math.min(slice, count - done);
    await insertSyntheticEvents(db, size, actor);
    done += size;
    if (done < count) log(`  inserted ${formatCount(done)}/${formatCount(count)} synthetic events`);
  }
}

/** A log of about `events` events with the receivable's in the middle of it. */
async function buildLog(ledger: Ledger, options: ReportBenchOptions, log: Log) {
  const { db } = ledger;
  const key = await db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', ledger.platformPartyId)
    .executeTakeFirstOrThrow();
  const actor = { partyId: ledger.platformPartyId, keyId: key.key_id };
  const synthetic = Math.max(0, options.events - 2 * eventsBehind);
  const startedMs = performance.now();
  await insertEvents(db, Math.floor(synthetic / 2), actor, log);
  const receivable = await buildBenchReceivable(ledger);
  log(`  built the tier-3 receivable ${receivable.receivableId} (${eventsBehind} events behind it)`);
  await insertEvents(db, Math.ceil(synthetic / 2), actor, log);
  return { receivable, insertSeconds: (performance.now() - startedMs) / 1000 };
}

async function timeReports(
  ledger: Ledger,
  receivable: BenchReceivable,
  runs: number,
): Promise<ReportLatency> {
  const timings: number[] = [];
  for (let run = 0; run < warmUpReports + runs; run++) {
    const startedMs = performance.now();
    const report = await verificationReport(ledger, receivable.holder, receivable.receivableId);
    const ms = performance.now() - startedMs;
    if (!report.ok) throw new Error(`verificationReport: ${report.code}: ${report.message}`);
    if (run >= warmUpReports) timings.push(ms);
  }
  timings.sort((a, b) => a - b);
  return {
    runs,
    p50Ms: percentile(timings, 0.5),
    p99Ms: percentile(timings, 0.99),
    maxMs: timings.at(-1) ?? Number.NaN,
    meanMs: timings.reduce((sum, ms) => sum + ms, 0) / timings.length,
  };
}

/** The report must be what the bench built: every event anchored and checked, the trade genuine. */
async function checkedReport(ledger: Ledger, receivable: BenchReceivable) {
  const report = await verificationReport(ledger, receivable.holder, receivable.receivableId);
  if (!report.ok) throw new Error(`verificationReport: ${report.code}: ${report.message}`);
  const { body } = report.value;
  const integrity = body.checks.find((check) => check.name === 'integrity');
  const checked = integrity?.evidence.find((item) => item.label === 'events checked, in order');
  if (body.verdict !== 'genuine' || checked?.values.length !== eventsBehind) {
    const problems = body.checks.filter((check) => check.status !== 'pass').map((check) => check.summary);
    throw new Error(`the bench receivable reads ${body.verdict}, not genuine: ${problems.join('; ')}`);
  }
  return report.value;
}

export async function runReportBench(
  server: BenchServer,
  options: ReportBenchOptions,
  log: Log,
): Promise<ReportBenchReport> {
  const startedAt = new Date();
  const startedMs = performance.now();
  log(`database: ${server.label}`);
  const database = await createBenchDatabase(server);
  // As the server runs: signatures checked on one thread per core (scripts/runtime.ts).
  const verifier = startVerifyPool();
  try {
    const { db } = database.owner;
    await migrateToLatest(db);
    const custody = { key: randomBytes(32) };
    const platform = await ensurePlatform(db, custody, {
      legalName: 'bench platform operator',
      registrationId: defaultPlatformRegistrationId,
      adminApiKey: null,
    });
    const ledger: Ledger = { ...platform.ledger, verifier };
    const signer = await ensureLogSigner(db, custody, 'tradeproof.bench/log');
    log(`building a log of about ${formatCount(options.events)} events`);
    const { receivable, insertSeconds } = await buildLog(ledger, options, log);
    const anchored = await anchorUntilDone(db, signer, {
      batchEventsMax: options.batchEventsMax,
      expected: options.events,
      log,
    });
    log(`  anchored: tree size ${formatCount(anchored.treeSize)} in ${anchored.seconds.toFixed(1)} s`);
    const sample = await checkedReport(ledger, receivable);
    log(`verificationReport: ${formatCount(options.reports)} calls after ${warmUpReports} to warm up`);
    const report = await timeReports(ledger, receivable, options.reports);
    log(`baseline: ${formatCount(options.reports)} inclusion-proof reads`);
    const baseline = await measureProofLatency(db, options.reports);
    return {
      bench: 'report',
      startedAt: startedAt.toISOString(),
      seconds: (performance.now() - startedMs) / 1000,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      database: server.label,
      targets: reportTargets,
      log: { treeSize: anchored.treeSize, insertSeconds, anchorSeconds: anchored.seconds },
      receivable: {
        id: receivable.receivableId,
        tier: 3,
        eventsBehind,
        verdict: sample.body.verdict,
        reportBytes: Buffer.byteLength(sample.json),
      },
      report,
      baseline: { ...baseline, what: 'one inclusion-proof read (one node query and its fold)' },
      ratioP50: report.p50Ms / baseline.p50Ms,
      ratioP99: report.p99Ms / baseline.p99Ms,
      targetMet: report.p50Ms <= reportTargets.reportP50MsMax,
    };
  } finally {
    await verifier.close();
    await database.drop();
  }
}

export function reportSummaryLines(result: ReportBenchReport): string[] {
  const ms = (value: number) => `${formatSignificant(value)} ms`;
  const machine = `${result.machine.cpus} CPUs, Node ${result.machine.node}, ${result.database}`;
  const at = `at ${formatCount(result.log.treeSize)} leaves`;
  return [
    `summary (${machine}; whole run ${result.seconds.toFixed(0)} s)`,
    `  verificationReport, tier-3 part with ${result.receivable.eventsBehind} events behind it, ${at}:`,
    `    p50 ${ms(result.report.p50Ms)}  p99 ${ms(result.report.p99Ms)}  max ${ms(result.report.maxMs)}  (${result.report.runs} calls)`,
    `  baseline, ${result.baseline.what}:`,
    `    p50 ${ms(result.baseline.p50Ms)}  p99 ${ms(result.baseline.p99Ms)}`,
    `  ratio report ÷ baseline: p50 ${formatSignificant(result.ratioP50)}×  p99 ${formatSignificant(result.ratioP99)}×`,
    `  target p50 ≤ ${result.targets.reportP50MsMax} ms: ${result.targetMet ? 'met' : 'MISSED'}`,
    `  log: synthetic events inserted in ${result.log.insertSeconds.toFixed(1)} s, anchored in ${result.log.anchorSeconds.toFixed(1)} s (not counted)`,
  ];
}
