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
import { commandLine, usageError } from '../cli.js';
import { startBenchServer } from './bench-database.js';
import { type LedgerBenchOptions, runLedgerBench } from './ledger.js';
import { profileLines, summaryLines, targets } from './report.js';
import { runSingleCommand } from './single.js';

const usage = `usage: npm run bench -- ledger [--events 100000,1000000] [--batch 10000] [--proofs 2000] [--database-url URL] [--json FILE]

Times anchoring and inclusion proofs on synthetic events (README.md, Benchmark).
  --events N,N        tree sizes to anchor, one run each (default 100000,1000000)
  --batch N           events per anchoring batch (default 10000)
  --proofs N          inclusion proofs to time at the largest size (default 2000)
  --database-url URL  a server to work on in throwaway bench_… databases (or BENCH_DATABASE_URL);
                      without it, a fresh embedded PostgreSQL in a temporary folder
  --json FILE         write the JSON report there instead of as stdout's last line
Exit status: 0 ran (a missed target is reported, not an error), 1 the run failed, 2 bad arguments.`;

const limits = { eventsMax: 10_000_000, batchEventsMax: 100_000, proofsMax: 1_000_000 };

function integer(text: string, name: string, max: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    usageError(usage, `${name} must be an integer from 1 to ${max}, not "${text}"`);
  }
  return value;
}

function parseOptions(argv: string[]) {
  const { values, positionals } = commandLine(
    usage,
    {
      events: { type: 'string', default: '100000,1000000' },
      batch: { type: 'string', default: '10000' },
      proofs: { type: 'string', default: '2000' },
      'database-url': { type: 'string' },
      json: { type: 'string' },
    },
    { positionals: true, argv },
  );
  if (positionals.length !== 1 || positionals[0] !== 'ledger')
    usageError(
      usage,
      positionals.length === 0 ? 'which bench? (ledger, single)' : `unknown bench "${positionals.join(' ')}"`,
    );
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
