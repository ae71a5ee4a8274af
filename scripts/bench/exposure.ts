/**
 * `bench exposure`: p50 and p99 of three exposure reads on seeded supply chains of each size, each
 * beside the in-memory reference over the same rows in the same run: UPSTREAM exposure of the
 * largest core enterprise (depth 4), DOWNSTREAM of the tier-3 supplier holding the most, and the
 * stress test of the largest core enterprise (LGD 0.4, depth 4). The SQL side is the whole service
 * call (its snapshot, the access check, the statement); the reference side is the reference function
 * over claim rows loaded once, outside the timed region (so it still builds its edges each call, as
 * referenceExposure does). Every answer is checked against the reference before it is timed.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode, sql } from 'kysely';
import { defaultPlatformRegistrationId } from '../../scripts/runtime.js';
import { seedDatabase } from '../../scripts/seed/seed-database.js';
import type { Ledger } from '../../services/context.js';
import { migrateToLatest } from '../../services/db/migrator.js';
import type { Db } from '../../services/db/transaction.js';
import { readExposureRows } from '../../services/exposure/claim-graph.repository.js';
import type { ExposureQuery } from '../../services/exposure/exposure.js';
import { exposure } from '../../services/exposure/exposure.service.js';
import {
  type ClaimSourceRow,
  referenceExposure,
  referenceStressEdges,
} from '../../services/exposure/exposure-reference.js';
import { stress } from '../../services/exposure/stress.js';
import { stressTest } from '../../services/exposure/stress.service.js';
import type { Actor } from '../../services/parties/party.js';
import { overdueCutoff, todayUtc } from '../../services/receivables/receivable.js';
import { ensurePlatform } from '../../services/registry/platform.js';
import { type BenchServer, createBenchDatabase } from './bench-database.js';
import type { Log } from './run-bench.js';
import { formatCount, formatSignificant, percentile } from './stats.js';

export interface ExposureBenchOptions {
  sizes: number[];
  runs: number;
  seed: number;
}

/** The targets for this 2-core machine, checked at 1M receivables. */
export const exposureTargets = {
  atReceivables: 1_000_000,
  upstreamP50MsMax: 500,
  upstreamRatioMax: 5,
} as const;

const warmUps = 3;
const currency = 'CNY';
const lossGivenDefault = '0.4';
const depth = 4;

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export interface ExposureMeasure {
  what: 'upstream' | 'downstream' | 'upstreamAsOf' | 'stress';
  partyId: string;
  partiesReached: number;
  sql: Latency;
  reference: Latency;
  ratioP50: number;
  ratioP99: number;
}

export interface ExposureSizeResult {
  receivables: number;
  parties: number;
  seedSeconds: number;
  claimRows: number;
  measures: ExposureMeasure[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the upstream statement, when the target was missed there. */
  plan: string[] | null;
}

export interface ExposureBenchReport {
  bench: 'exposure';
  startedAt: string;
  seconds: number;
  machine: { cpus: number; cpuModel: string; node: string };
  database: string;
  targets: typeof exposureTargets;
  runs: number;
  sizes: ExposureSizeResult[];
  targetMet: boolean | null;
}

/** Parties grow with the chain up to the 10,000: about one party per hundred receivables. */
export function partiesFor(receivables: number): number {
  return Math.max(200, Math.min(10_000, Math.round(receivables / 100)));
}

async function timed(runs: number, call: () => Promise<unknown> | unknown): Promise<Latency> {
  const timings: number[] = [];
  for (let run = 0; run < warmUps + runs; run++) {
    const startedMs = performance.now();
    await call();
    if (run >= warmUps) timings.push(performance.now() - startedMs);
  }
  timings.sort((a, b) => a - b);
  return { p50Ms: percentile(timings, 0.5), p99Ms: percentile(timings, 0.99) };
}

type ClaimRow = ClaimSourceRow & { financed: boolean };

async function loadClaims(db: Db): Promise<ClaimRow[]> {
  const rows = await db
    .selectFrom('receivable')
    .select(['holder_party_id', 'obligor_party_id', 'currency', 'status', 'outstanding_minor', 'due_date'])
    .select(['on_hold', 'tier', 'financed_by'])
    .where('status', 'in', ['open', 'partially_settled', 'defaulted'])
    .where('outstanding_minor', '>', 0n)
    .execute();
  return rows.map((row) => ({
    holderPartyId: row.holder_party_id,
    obligorPartyId: row.obligor_party_id,
    currency: row.currency,
    status: row.status,
    outstandingMinor: row.outstanding_minor,
    dueDate: row.due_date,
    onHold: row.on_hold,
    tier: Number(row.tier),
    financed: row.financed_by !== null,
  }));
}

/** stress() over the loaded rows: the claim edges and A(X) summed in memory, then the rule. */
function referenceStress(rows: readonly ClaimRow[], obligorPartyId: string) {
  return stress({
    obligorPartyId,
    lossGivenDefaultMicros: 400_000n,
    maxDepth: depth,
    ...referenceStressEdges(rows, currency),
  });
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item));

function agree(what: string, fromSql: unknown, fromReference: unknown): void {
  const [a, b] = [json(fromSql), json(fromReference)];
  if (a === b) return;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  const around = (text: string) => text.slice(Math.max(0, at - 200), at + 200);
  throw new Error(
    `${what}: the SQL answer differs from the in-memory reference:\n  SQL       …${around(a)}\n  reference …${around(b)}`,
  );
}

/** The statement readExposureRows runs, with its parameters, caught on its way to the database. */
async function explainUpstream(db: Db, query: ExposureQuery, cutoff: string): Promise<string[]> {
  let caught: { node: RootOperationNode; queryId: QueryId } | null = null;
  const catcher: KyselyPlugin = {
    transformQuery(args) {
      caught = { node: args.node, queryId: args.queryId };
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await readExposureRows(db.withPlugin(catcher), query, cutoff);
  const statement = caught as { node: RootOperationNode; queryId: QueryId } | null;
  if (statement === null) return ['(the statement was not caught)'];
  const compiled = db.getExecutor().compileQuery(statement.node, statement.queryId);
  const result = await db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`, [...compiled.parameters]),
  );
  return result.rows.map((row) => row['QUERY PLAN']);
}

async function largestCore(db: Db, cores: readonly string[]): Promise<string> {
  const { rows } = await sql<{ party_id: string }>`
    SELECT obligor_party_id AS party_id FROM receivable
    WHERE obligor_party_id = ANY(${cores}::UUID[]) AND currency = ${currency}
      AND status IN ('open', 'partially_settled', 'defaulted') AND outstanding_minor > 0
    GROUP BY obligor_party_id ORDER BY CAST(sum(outstanding_minor) AS INT8) DESC, obligor_party_id LIMIT 1`.execute(
    db,
  );
  if (rows[0] === undefined) throw new Error('the seeded chain has no claims on a core enterprise');
  return rows[0].party_id;
}

async function busiestHolder(db: Db, parties: readonly string[]): Promise<string> {
  const { rows } = await sql<{ party_id: string }>`
    SELECT holder_party_id AS party_id FROM receivable
    WHERE holder_party_id = ANY(${parties}::UUID[]) AND currency = ${currency}
      AND status IN ('open', 'partially_settled', 'defaulted') AND outstanding_minor > 0
    GROUP BY holder_party_id ORDER BY count(*) DESC, holder_party_id LIMIT 1`.execute(db);
  if (rows[0] === undefined) throw new Error('no tier-3 supplier of the seeded chain holds a claim');
  return rows[0].party_id;
}

function measure(
  what: ExposureMeasure['what'],
  partyId: string,
  partiesReached: number,
  fromSql: Latency,
  reference: Latency,
): ExposureMeasure {
  return {
    what,
    partyId,
    partiesReached,
    sql: fromSql,
    reference,
    ratioP50: fromSql.p50Ms / reference.p50Ms,
    ratioP99: fromSql.p99Ms / reference.p99Ms,
  };
}

async function measureSize(
  server: BenchServer,
  receivables: number,
  options: ExposureBenchOptions,
  log: Log,
): Promise<ExposureSizeResult> {
  const database = await createBenchDatabase(server);
  try {
    const { db } = database.owner;
    await migrateToLatest(db);
    const platform = await ensurePlatform(
      db,
      { key: randomBytes(32) },
      {
        legalName: 'bench platform operator',
        registrationId: defaultPlatformRegistrationId,
        adminApiKey: null,
      },
    );
    const ledger: Ledger = platform.ledger;
    const admin: Actor = { partyId: ledger.platformPartyId, roles: ['platform_admin'] };
    const parties = partiesFor(receivables);
    log(`${formatCount(receivables)} receivables, ${formatCount(parties)} parties: seeding`);
    let lastLogMs = performance.now();
    const seeded = await seedDatabase(
      db,
      ledger.platformPartyId,
      { parties, receivables, seed: options.seed },
      () => ({
        advance(done) {
          if (performance.now() - lastLogMs < 10_000) return;
          lastLogMs = performance.now();
          log(`  seeded ${formatCount(done)}/${formatCount(receivables)} receivables`);
        },
        finish() {},
      }),
    );
    log(`  seeded in ${seeded.seconds.toFixed(1)} s`);
    const now = new Date();
    const cutoff = overdueCutoff(todayUtc(now), ledger.policy);
    const rows = await loadClaims(db);
    const core = await largestCore(db, seeded.layout.cores);
    const supplier = await busiestHolder(db, seeded.layout.suppliersByTier[3] ?? []);
    const upstream: ExposureQuery = { partyId: core, direction: 'upstream', maxDepth: depth, currency };
    const downstream: ExposureQuery = {
      partyId: supplier,
      direction: 'downstream',
      maxDepth: depth,
      currency,
    };
    const measures: ExposureMeasure[] = [];
    // The last one reads the balance history (asOf this instant) instead of the receivable table.
    for (const [what, query] of [
      ['upstream', upstream],
      ['downstream', downstream],
      ['upstreamAsOf', { ...upstream, asOf: now }],
    ] as const) {
      const answer = await exposure(ledger, admin, query, now);
      if (!answer.ok) throw new Error(`exposure: ${answer.code}: ${answer.message}`);
      agree(what, { ...answer.value, asOf: null }, { ...referenceExposure(rows, query, cutoff), asOf: null });
      log(`  ${what}: ${answer.value.rows.length} parties reached; timing ${options.runs} calls each side`);
      const fromSql = await timed(options.runs, () => exposure(ledger, admin, query, now));
      const reference = await timed(options.runs, () => referenceExposure(rows, query, cutoff));
      measures.push(measure(what, query.partyId, answer.value.rows.length, fromSql, reference));
    }
    const request = { obligorPartyId: core, lossGivenDefault, maxDepth: depth, currency };
    const stressed = await stressTest(ledger, admin, request);
    if (!stressed.ok) throw new Error(`stressTest: ${stressed.code}: ${stressed.message}`);
    const { parties: hit, lenders, totalLossMinor } = stressed.value;
    agree('stress', { parties: hit, lenders, totalLossMinor }, referenceStress(rows, core));
    log(`  stress: ${hit.length} parties reached; timing ${options.runs} calls each side`);
    const fromSql = await timed(options.runs, () => stressTest(ledger, admin, request));
    const reference = await timed(options.runs, () => referenceStress(rows, core));
    measures.push(measure('stress', core, hit.length, fromSql, reference));
    const up = measures[0] as ExposureMeasure;
    const missed =
      receivables >= exposureTargets.atReceivables &&
      (up.sql.p50Ms > exposureTargets.upstreamP50MsMax || up.ratioP50 > exposureTargets.upstreamRatioMax);
    return {
      receivables,
      parties,
      seedSeconds: seeded.seconds,
      claimRows: rows.length,
      measures,
      plan: missed ? await explainUpstream(db, upstream, cutoff) : null,
    };
  } finally {
    await database.drop();
  }
}

export async function runExposureBench(
  server: BenchServer,
  options: ExposureBenchOptions,
  log: Log,
): Promise<ExposureBenchReport> {
  const startedAt = new Date();
  const startedMs = performance.now();
  log(`database: ${server.label}`);
  const sizes: ExposureSizeResult[] = [];
  for (const receivables of options.sizes) sizes.push(await measureSize(server, receivables, options, log));
  const atTarget = sizes.filter((size) => size.receivables >= exposureTargets.atReceivables);
  return {
    bench: 'exposure',
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - startedMs) / 1000,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    database: server.label,
    targets: exposureTargets,
    runs: options.runs,
    sizes,
    targetMet: atTarget.length === 0 ? null : atTarget.every((size) => size.plan === null),
  };
}

const labels = {
  upstream: `UPSTREAM, largest core, depth ${depth}`,
  downstream: `DOWNSTREAM, tier-3 supplier, depth ${depth}`,
  upstreamAsOf: `UPSTREAM asOf now (balance history), largest core, depth ${depth}`,
  stress: `stress, largest core, LGD ${lossGivenDefault}, depth ${depth}`,
};

export function exposureSummaryLines(report: ExposureBenchReport): string[] {
  const ms = (value: number) => formatSignificant(value);
  const ratio = (value: number) => `${formatSignificant(value)}×`;
  const lines: string[] = [];
  for (const size of report.sizes) {
    if (size.plan === null) continue;
    lines.push(
      `EXPLAIN (ANALYZE, BUFFERS) of the UPSTREAM statement at ${formatCount(size.receivables)} receivables:`,
    );
    for (const line of size.plan) lines.push(`  ${line}`);
    lines.push('');
  }
  const machine = `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}`;
  lines.push(
    `summary (${machine}; ${report.runs} timed calls per cell after ${warmUps} to warm up; whole run ${report.seconds.toFixed(0)} s)`,
  );
  lines.push('');
  lines.push(
    '| receivables | parties | seed s | query | reached | SQL p50 ms | SQL p99 ms | reference p50 ms | reference p99 ms | ratio p50 | ratio p99 |',
  );
  lines.push('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of report.sizes) {
    for (const cell of size.measures) {
      lines.push(
        `| ${formatCount(size.receivables)} | ${formatCount(size.parties)} | ${size.seedSeconds.toFixed(0)} | ${labels[cell.what]} | ${formatCount(cell.partiesReached)} | ` +
          `${ms(cell.sql.p50Ms)} | ${ms(cell.sql.p99Ms)} | ${ms(cell.reference.p50Ms)} | ${ms(cell.reference.p99Ms)} | ` +
          `${ratio(cell.ratioP50)} | ${ratio(cell.ratioP99)} |`,
      );
    }
  }
  lines.push('');
  const { upstreamP50MsMax, upstreamRatioMax, atReceivables } = report.targets;
  const target = `UPSTREAM at ${formatCount(atReceivables)} receivables: p50 ≤ ${upstreamP50MsMax} ms and ≤ ${upstreamRatioMax}× the reference`;
  lines.push(
    report.targetMet === null
      ? `target (${target}): not measured at this size`
      : `target (${target}): ${report.targetMet ? 'met' : 'MISSED (plan above)'}`,
  );
  return lines;
}
