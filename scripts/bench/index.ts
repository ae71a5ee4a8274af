/**
 * `npm run bench -- ledger [--events 100000,1000000] [--batch 10000] [--proofs 2000]
 *   [--database-url URL] [--json FILE]`
 *
 * Without --database-url (or BENCH_DATABASE_URL) it starts a fresh embedded PostgreSQL in a temporary
 * folder and removes it after; with one, it works in `bench_<random>` databases on that server and
 * drops them after. Progress and the summary go to stdout; the JSON report goes to FILE, or else is
 * stdout's last line. A missed target is reported, not an error: the exit code is 0 unless the run
 * itself failed (a wrong proof included).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startBenchServer } from './bench-database.js';
import { type LedgerBenchOptions, runLedgerBench } from './ledger.js';
import { profileLines, summaryLines, targets } from './report.js';

const usage =
  'usage: npm run bench -- ledger [--events 100000,1000000] [--batch 10000] [--proofs 2000] ' +
  '[--database-url URL] [--json FILE]';

const limits = { eventsMax: 10_000_000, batchEventsMax: 100_000, proofsMax: 1_000_000 };

function integer(text: string, name: string, max: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, not "${text}"`);
  }
  return value;
}

function parseOptions(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: 'string', default: '100000,1000000' },
      batch: { type: 'string', default: '10000' },
      proofs: { type: 'string', default: '2000' },
      'database-url': { type: 'string' },
      json: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || positionals[0] !== 'ledger') throw new Error(usage);
  const options: LedgerBenchOptions = {
    events: values.events.split(',').map((text) => integer(text.trim(), '--events', limits.eventsMax)),
    batchEventsMax: integer(values.batch, '--batch', limits.batchEventsMax),
    proofs: integer(values.proofs, '--proofs', limits.proofsMax),
  };
  const databaseUrl = values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? null;
  return { options, databaseUrl, jsonFile: values.json ?? null };
}

async function main(): Promise<void> {
  const { options, databaseUrl, jsonFile } = parseOptions(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const server = await startBenchServer(databaseUrl || null);
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= server.stop();
    return stopping;
  };
  const interrupted = () => {
    log('interrupted: cleaning up');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const report = await runLedgerBench(server, options, log);
    log('');
    for (const result of report.anchoring) {
      if (!result.targetMet) for (const line of profileLines(result)) log(line);
    }
    for (const line of summaryLines(report)) log(line);
    const missed = report.anchoring.some((result) => !result.targetMet);
    if (missed) log(`anchoring missed its target of ${targets.anchoringEventsPerSecondMin} events/s`);
    const json = JSON.stringify(report);
    if (jsonFile !== null) {
      await writeFile(jsonFile, `${json}\n`);
      log(`JSON report written to ${jsonFile}`);
    } else {
      log(json);
    }
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
