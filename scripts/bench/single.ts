/**
 * `npm run bench -- single [--queries 2000] [--orders 480] [--database-url URL] [--json FILE]`
 *
 * The single-event path (single-run.ts): `{ me { id } }` beside a bare /healthz, and prepare + submit
 * of custodial purchase orders at concurrency 1 and 16 beside the single-core Ed25519 verification
 * rate, all measured in one run. Where it runs and how it reports work as for `bench ledger`.
 */
import { commandLine, usageError } from '../cli.js';
import { runBenchCommand } from './run-bench.js';
import { runSingleBench, type SingleBenchReport } from './single-run.js';
import { formatSignificant } from './stats.js';

const usage = `usage: npm run bench -- single [--queries 2000] [--orders 480] [--database-url URL] [--json FILE]

Times the single-event path through HTTP (README.md, Benchmark).
  --queries N         { me { id } } requests (and as many /healthz) timed at concurrency 1 (default 2000)
  --orders N          purchase orders (prepare + submit) timed at concurrency 16 from four sellers;
                      a quarter as many at concurrency 1 (default 480)
  --database-url URL  a server to work on in a throwaway bench_… database (or BENCH_DATABASE_URL);
                      without it, a fresh embedded PostgreSQL in a temporary folder
  --json FILE         write the JSON report there instead of as stdout's last line
Exit status: 0 ran (a missed target is reported, not an error), 1 the run failed, 2 bad arguments.`;

function integer(text: string, name: string, max: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    usageError(usage, `${name} must be an integer from 1 to ${max}, not "${text}"`);
  }
  return value;
}

function parseOptions(argv: string[]) {
  const { values } = commandLine(
    usage,
    {
      queries: { type: 'string', default: '2000' },
      orders: { type: 'string', default: '480' },
      'database-url': { type: 'string' },
      json: { type: 'string' },
    },
    { argv },
  );
  return {
    options: {
      queries: integer(values.queries, '--queries', 1_000_000),
      orders: integer(values.orders, '--orders', 1_000_000),
    },
    databaseUrl: values['database-url'] ?? process.env.BENCH_DATABASE_URL ?? null,
    jsonFile: values.json ?? null,
  };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function singleSummaryLines(report: SingleBenchReport): string[] {
  const { healthz, me, targets, targetsMet } = report;
  const mark = (met: boolean) => (met ? 'met' : 'MISSED');
  const lines = [
    `single-event path on ${report.server}, ${report.cpus} cores`,
    `  Ed25519 verification, one core   ${Math.round(report.ed25519.verificationsPerSecond)}/s`,
    `  GET /healthz (baseline)          p50 ${ms(healthz.p50Ms)}  p99 ${ms(healthz.p99Ms)}`,
    `  { me { id } }                    p50 ${ms(me.p50Ms)}  p99 ${ms(me.p99Ms)}  ratio to /healthz ${formatSignificant(me.ratioToHealthz)} (target ≤ ${targets.meRatioToHealthzMax}: ${mark(targetsMet.me)})`,
  ];
  for (const run of report.orders) {
    const failed = Object.entries(run.failures).map(([code, count]) => `${code} ×${count}`);
    lines.push(
      `  orders at concurrency ${String(run.concurrency).padEnd(2)}         ${run.eventsPerSecond.toFixed(1)} events/s  p50 ${ms(run.p50Ms)}  p99 ${ms(run.p99Ms)}  ratio to Ed25519 ${run.ratioToEd25519.toFixed(4)}`,
      `    ${run.attempts} transaction attempts, ${run.conflictRetries} conflict retries (abort rate ${(run.abortRate * 100).toFixed(2)}%), ${run.exhaustedRetries} exhausted${failed.length ? `, failed: ${failed.join(', ')}` : ''}`,
    );
    for (const [reason, count] of Object.entries(run.conflictReasons))
      lines.push(`      ${count} × ${reason}`);
  }
  lines.push(
    `  targets at concurrency 16: ratio ≥ ${targets.ordersRatioToEd25519Min} ${mark(targetsMet.ordersRatio)}, ` +
      `abort rate < ${targets.abortRateMax * 100}% ${mark(targetsMet.abortRate)}, ` +
      `no exhausted retry ${mark(targetsMet.noExhaustedRetry)}`,
  );
  return lines;
}

export async function runSingleCommand(argv: string[]): Promise<void> {
  const { options, databaseUrl, jsonFile } = parseOptions(argv);
  await runBenchCommand(databaseUrl, jsonFile, async (server, log) => {
    const report = await runSingleBench(server, options, log);
    log('');
    for (const line of singleSummaryLines(report)) log(line);
    return report;
  });
}
