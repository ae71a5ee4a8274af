/**
 * `npm run bench -- ledger [--events 100000,1000000] [--batch 10000] [--proofs 2000]
 *   [--database-url URL] [--json FILE]`
 * `npm run bench -- ingest [--events 5000] [--batch 1000] [--concurrency 4] [--sellers 8]
 *   [--database-url URL] [--json FILE]`
 * `npm run bench -- report [--events 1000000] [--reports 200] [--batch 10000] [--database-url URL]
 *   [--json FILE]`
 * `npm run bench -- exposure [--sizes 10000,100000,1000000] [--runs 30] [--seed 1] [--database-url URL]
 *   [--json FILE]`
 *
 * Without --database-url (or BENCH_DATABASE_URL) it starts a fresh embedded PostgreSQL in a temporary
 * folder and removes it after; with one, it works in `bench_<random>` databases on that server and
 * drops them after. Progress and the summary go to stdout; the JSON report goes to FILE, or else is
 * stdout's last line. A missed target is reported, not an error: the exit code is 0 unless the run
 * itself failed (a wrong proof included, or a statement refused).
 */
import { commandLine, usageError } from '../cli.js';
import type { BenchServer } from './bench-database.js';
import { type ExposureBenchOptions, exposureSummaryLines, runExposureBench } from './exposure.js';
import { type IngestBenchOptions, runIngestBench } from './ingest.js';
import { ingestSummaryLines } from './ingest-report.js';
import { type LedgerBenchOptions, runLedgerBench } from './ledger.js';
import { profileLines, summaryLines, targets } from './report.js';
import { type ReportBenchOptions, reportSummaryLines, runReportBench } from './report-bench.js';
import { type Log, runBenchCommand } from './run-bench.js';
import { runSingleCommand } from './single.js';

const usage = `usage: npm run bench -- ledger [--events 100000,1000000] [--batch 10000] [--proofs 2000] [--database-url URL] [--json FILE]
       npm run bench -- ingest [--events 5000] [--batch 1000] [--concurrency 4] [--sellers 8] [--database-url URL] [--json FILE]
       npm run bench -- report [--events 1000000] [--reports 200] [--batch 10000] [--database-url URL] [--json FILE]
       npm run bench -- exposure [--sizes 10000,100000,1000000] [--runs 30] [--seed 1] [--database-url URL] [--json FILE]
       npm run bench -- single --help   (the single-event path: its own options)

ledger: times anchoring and inclusion proofs on synthetic events (README.md, Benchmark).
  --events N,N        tree sizes to anchor, one run each (default 100000,1000000)
  --batch N           events per anchoring batch (default 10000)
  --proofs N          inclusion proofs to time at the largest size (default 2000)
ingest: signed purchase orders through HTTP in submitStatements batches, beside one core's Ed25519 rate.
  --events N          signed events to ingest (default 5000)
  --batch N           statements per submitStatements call, at most 1000 (default 1000)
  --concurrency N     calls in flight at once (default 4)
  --sellers N         sellers signing with their own keys, each its own API key (default 8)
report: p50 and p99 of verificationReport for a tier-3 receivable with 40 events behind it, beside one inclusion-proof read.
  --events N          events in the log, nearly all synthetic (default 1000000)
  --reports N         verificationReport calls to time, and inclusion-proof reads for the baseline (default 200)
  --batch N           events per anchoring batch while building the log (default 10000)
exposure: p50 and p99 of UPSTREAM (largest core, depth 4), DOWNSTREAM (a tier-3 supplier) and the stress test
  on seeded supply chains (npm run seed), each beside the in-memory reference of the same run, as a ratio.
  --sizes N,N         receivables to seed, one fresh database each (default 10000,100000,1000000)
  --runs N            timed calls per query and side (default 30)
  --seed N            the seed's random seed (default 1)
all:
  --database-url URL  a server to work on in throwaway bench_… databases (or BENCH_DATABASE_URL);
                      without it, a fresh embedded PostgreSQL in a temporary folder
  --json FILE         write the JSON report there instead of as stdout's last line
Exit status: 0 ran (a missed target is reported, not an error), 1 the run failed, 2 bad arguments.`;

const limits = {
  eventsMax: 10_000_000,
  batchEventsMax: 100_000,
  proofsMax: 1_000_000,
  reportsMax: 100_000,
  ingestEventsMax: 1_000_000,
  statementsPerCallMax: 1000,
  concurrencyMax: 256,
  sellersMax: 1000,
  exposureReceivablesMax: 10_000_000,
  seedMax: 2 ** 32 - 1,
};

function integer(text: string, name: string, max: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    usageError(usage, `${name} must be an integer from 1 to ${max}, not "${text}"`);
  }
  return value;
}

type Bench =
  | { name: 'ledger'; options: LedgerBenchOptions }
  | { name: 'ingest'; options: IngestBenchOptions }
  | { name: 'report'; options: ReportBenchOptions }
  | { name: 'exposure'; options: ExposureBenchOptions };

function parseOptions(argv: string[]) {
  const { values, positionals } = commandLine(
    usage,
    {
      events: { type: 'string' },
      batch: { type: 'string' },
      proofs: { type: 'string' },
      reports: { type: 'string' },
      concurrency: { type: 'string' },
      sellers: { type: 'string' },
      sizes: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      json: { type: 'string' },
    },
    { positionals: true, argv },
  );
  const name = positionals[0];
  const names = ['ledger', 'ingest', 'report', 'exposure'] as const;
  const known = (text: string | undefined): text is Bench['name'] => names.some((each) => each === text);
  if (positionals.length !== 1 || !known(name))
    usageError(
      usage,
      positionals.length === 0
        ? 'which bench? (ledger, ingest, report, exposure or single)'
        : `unknown bench "${positionals.join(' ')}"`,
    );
  const onlyFor = (flags: string[], bench: string) => {
    const stray = flags.find((flag) => values[flag as keyof typeof values] !== undefined);
    if (stray) usageError(usage, `--${stray} is not an option of the ${bench} bench`);
  };
  let bench: Bench;
  if (name !== 'exposure') onlyFor(['sizes', 'runs', 'seed'], name);
  if (name === 'exposure') {
    onlyFor(['events', 'batch', 'proofs', 'reports', 'concurrency', 'sellers'], 'exposure');
    bench = {
      name,
      options: {
        sizes: (values.sizes ?? '10000,100000,1000000')
          .split(',')
          .map((text) => integer(text.trim(), '--sizes', limits.exposureReceivablesMax)),
        runs: integer(values.runs ?? '30', '--runs', limits.reportsMax),
        seed: integer(values.seed ?? '1', '--seed', limits.seedMax),
      },
    };
  } else if (name === 'report') {
    onlyFor(['proofs', 'concurrency', 'sellers'], 'report');
    bench = {
      name,
      options: {
        events: integer(values.events ?? '1000000', '--events', limits.eventsMax),
        reports: integer(values.reports ?? '200', '--reports', limits.reportsMax),
        batchEventsMax: integer(values.batch ?? '10000', '--batch', limits.batchEventsMax),
      },
    };
  } else if (name === 'ledger') {
    onlyFor(['concurrency', 'sellers', 'reports'], 'ledger');
    bench = {
      name,
      options: {
        events: (values.events ?? '100000,1000000')
          .split(',')
          .map((text) => integer(text.trim(), '--events', limits.eventsMax)),
        batchEventsMax: integer(values.batch ?? '10000', '--batch', limits.batchEventsMax),
        proofs: integer(values.proofs ?? '2000', '--proofs', limits.proofsMax),
      },
    };
  } else {
    onlyFor(['proofs', 'reports'], 'ingest');
    const sellers = integer(values.sellers ?? '8', '--sellers', limits.sellersMax);
    bench = {
      name,
      options: {
        events: integer(values.events ?? '5000', '--events', limits.ingestEventsMax),
        batch: integer(values.batch ?? '1000', '--batch', limits.statementsPerCallMax),
        concurrency: integer(values.concurrency ?? '4', '--concurrency', limits.concurrencyMax),
        sellers,
        buyers: Math.max(1, Math.ceil(sellers / 2)),
      },
    };
  }
  const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? null;
  return { bench, databaseUrl, jsonFile: values.json ?? null };
}

async function runLedger(server: BenchServer, options: LedgerBenchOptions, log: Log): Promise<object> {
  const report = await runLedgerBench(server, options, log);
  log('');
  for (const result of report.anchoring) {
    if (!result.targetMet) for (const line of profileLines(result)) log(line);
  }
  for (const line of summaryLines(report)) log(line);
  const missed = report.anchoring.some((result) => !result.targetMet);
  if (missed) log(`anchoring missed its target of ${targets.anchoringEventsPerSecondMin} events/s`);
  return report;
}

async function runIngest(server: BenchServer, options: IngestBenchOptions, log: Log): Promise<object> {
  const report = await runIngestBench(server, options, log);
  log('');
  for (const line of ingestSummaryLines(report)) log(line);
  return report;
}

async function runReport(server: BenchServer, options: ReportBenchOptions, log: Log): Promise<object> {
  const report = await runReportBench(server, options, log);
  log('');
  for (const line of reportSummaryLines(report)) log(line);
  return report;
}

async function runExposure(server: BenchServer, options: ExposureBenchOptions, log: Log): Promise<object> {
  const report = await runExposureBench(server, options, log);
  log('');
  for (const line of exposureSummaryLines(report)) log(line);
  return report;
}

async function main(): Promise<void> {
  const { bench, databaseUrl, jsonFile } = parseOptions(process.argv.slice(2));
  await runBenchCommand(databaseUrl, jsonFile, (server, log) => {
    switch (bench.name) {
      case 'ledger':
        return runLedger(server, bench.options, log);
      case 'ingest':
        return runIngest(server, bench.options, log);
      case 'report':
        return runReport(server, bench.options, log);
      case 'exposure':
        return runExposure(server, bench.options, log);
    }
  });
}

// Each further bench has a command of its own, chosen by the first positional.
const command = process.argv[2] === 'single' ? runSingleCommand(process.argv.slice(3)) : main();
command.catch((error: unknown) => {
  // A failed run (a wrong proof) says why in its message; a bug in the bench itself keeps its stack.
  const bug = error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError;
  console.error(
    `bench failed: ${error instanceof Error ? (bug ? error.stack : error.message) : String(error)}`,
  );
  process.exit(1);
});
