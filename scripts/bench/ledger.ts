/**
 * `bench ledger`: anchoring throughput at each requested size and inclusion-proof latency at the
 * largest, each beside the raw SHA-256 rate of the same run. Every size gets a fresh database, so
 * each measures a log that starts empty and the proofs run over exactly that size's tree.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { defaultPlatformRegistrationId } from '../../scripts/runtime.js';
import { migrateToLatest } from '../../services/db/migrator.js';
import type { Db } from '../../services/db/transaction.js';
import { ensureLogSigner, type LogSigner } from '../../services/ledger/log-signer.js';
import { ensurePlatform } from '../../services/registry/platform.js';
import { explainAnalyze, rankSteps, stepLabels } from './anchor-profile.js';
import { anchorUntilDone } from './anchoring.js';
import { type BenchServer, createBenchDatabase } from './bench-database.js';
import { measureProofLatency } from './proof-latency.js';
import { type AnchoringResult, type LedgerBenchReport, targets } from './report.js';
import { measureSha256Rate } from './sha256-rate.js';
import { formatCount } from './stats.js';
import { insertSyntheticEvents } from './synthetic-events.js';

export interface LedgerBenchOptions {
  events: number[];
  batchEventsMax: number;
  proofs: number;
}

type Log = (line: string) => void;

/** Inserts in about ten slices so that a long insert shows progress too. */
async function insertEvents(db: Db, count: number, actor: { partyId: string; keyId: string }, log: Log) {
  const slice = Math.max(5000, Math.ceil(count / 10));
  const startedMs = performance.now();
  for (let done = 0; done < count; ) {
    const size = Math.min(slice, count - done);
    await insertSyntheticEvents(db, size, actor);
    done += size;
    if (done < count) log(`  inserted ${formatCount(done)}/${formatCount(count)}`);
  }
  return (performance.now() - startedMs) / 1000;
}

/** Migrates, bootstraps the platform and the log key, and anchors the bootstrap's own events. */
async function prepareLedger(db: Db, batchEventsMax: number, log: Log) {
  await migrateToLatest(db);
  const custody = { key: randomBytes(32) };
  const platform = await ensurePlatform(db, custody, {
    legalName: 'bench platform operator',
    registrationId: defaultPlatformRegistrationId,
    adminApiKey: null,
  });
  const partyId = platform.ledger.platformPartyId;
  const key = await db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', partyId)
    .executeTakeFirstOrThrow();
  const signer = await ensureLogSigner(db, custody, 'tradeproof.bench/log');
  await anchorUntilDone(db, signer, { batchEventsMax, expected: 1, log: () => {} });
  log('  migrated, platform and log key created, bootstrap events anchored');
  return { signer, actor: { partyId, keyId: key.key_id } };
}

async function benchSize(
  db: Db,
  signer: LogSigner,
  actor: { partyId: string; keyId: string },
  events: number,
  options: LedgerBenchOptions & { hashesPerSecond: number; log: Log },
): Promise<AnchoringResult> {
  const { log } = options;
  const insertSeconds = await insertEvents(db, events, actor, log);
  log(`  inserted ${formatCount(events)} events in ${insertSeconds.toFixed(1)} s (not counted)`);
  const run = await anchorUntilDone(db, signer, {
    batchEventsMax: options.batchEventsMax,
    expected: events,
    log,
  });
  if (run.anchored !== events) throw new Error(`anchored ${run.anchored} of ${events} events`);
  const met = run.eventsPerSecond >= targets.anchoringEventsPerSecondMin;
  const pendingQuery = run.profiler.pendingQuery;
  // The last batch's pending query replayed: with nothing left it walks the whole window in vain.
  const pendingPlan = !met && pendingQuery !== null ? await explainAnalyze(db, pendingQuery) : null;
  return {
    events,
    batchEventsMax: options.batchEventsMax,
    insertSeconds,
    batches: run.batches,
    seconds: run.seconds,
    eventsPerSecond: run.eventsPerSecond,
    ratioToSha256: run.eventsPerSecond / options.hashesPerSecond,
    targetMet: met,
    profile: rankSteps(run.profile).map((entry) => ({ ...entry, label: stepLabels[entry.step] })),
    pendingPlan,
  };
}

export async function runLedgerBench(
  server: BenchServer,
  options: LedgerBenchOptions,
  log: Log,
): Promise<LedgerBenchReport> {
  const startedAt = new Date();
  const startedMs = performance.now();
  log(`database: ${server.label}`);
  const sha256 = measureSha256Rate();
  log(`SHA-256 (64-byte inputs): ${formatCount(sha256.hashesPerSecond)} hashes/s`);
  const largest = Math.max(...options.events);
  const anchoring: AnchoringResult[] = [];
  let proofs: LedgerBenchReport['proofs'] = null;
  for (const [position, events] of options.events.entries()) {
    log(`anchoring ${formatCount(events)} events in batches of ${formatCount(options.batchEventsMax)}`);
    const database = await createBenchDatabase(server);
    try {
      const { db } = database.owner;
      const { signer, actor } = await prepareLedger(db, options.batchEventsMax, log);
      const hashesPerSecond = sha256.hashesPerSecond;
      const result = await benchSize(db, signer, actor, events, { ...options, hashesPerSecond, log });
      anchoring.push(result);
      log(
        `  ${formatCount(result.eventsPerSecond)} events/s; ratio to SHA-256 ${result.ratioToSha256.toFixed(4)}`,
      );
      if (events === largest && options.events.indexOf(largest, position + 1) === -1) {
        log(`inclusion proofs: ${formatCount(options.proofs)} random leaves`);
        proofs = { ...(await measureProofLatency(db, options.proofs)), msPerHash: sha256.msPerHash };
      }
    } finally {
      await database.drop();
    }
  }
  return {
    bench: 'ledger',
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - startedMs) / 1000,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    database: server.label,
    targets,
    sha256,
    anchoring,
    proofs,
  };
}
