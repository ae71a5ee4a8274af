/**
 * `bench ingest`: signed purchase orders from many sellers sent through HTTP in submitStatements
 * batches to a server in this process (yoga, the verifier threads, the real transactions, the
 * anchoring worker), measured end to end beside the single-core Ed25519 rate of the same run; then
 * the wait until the anchoring worker has put every event in the log. Statements are prepared and
 * signed before the clock starts: that is the client's work, not ingest.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { graphqlLimits, type RunningServer, startHttpServer } from '../../graphql/http.js';
import { loadConfig } from '../../services/config.js';
import { startVerifyPool } from '../../services/crypto/verify-pool.js';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { migrateToLatest } from '../../services/db/migrator.js';
import { batchPhaseTotals } from '../../services/events/fact-batch.service.js';
import { anchorLateness, startAnchorWorker } from '../../services/ledger/anchor-worker.js';
import { ensureLogSigner } from '../../services/ledger/log-signer.js';
import { ensurePlatform } from '../../services/registry/platform.js';
import { submitStatementsWith } from '../client/statement-batch.js';
import { TradeproofClient } from '../client/tradeproof-client.js';
import { defaultPlatformRegistrationId } from '../runtime.js';
import { type BenchServer, createBenchDatabase } from './bench-database.js';
import { measureEd25519Rate } from './ed25519-rate.js';
import {
  type BenchParty,
  registerBenchParties,
  type SignedStatement,
  signedOrder,
} from './ingest-parties.js';
import { type IngestBenchReport, ingestTargets } from './ingest-report.js';
import { formatCount, percentile } from './stats.js';

export interface IngestBenchOptions {
  events: number;
  batch: number;
  concurrency: number;
  sellers: number;
  buyers: number;
}

type Log = (line: string) => void;

interface Batch {
  seller: BenchParty;
  items: SignedStatement[];
}

/** Every seller's orders in batches of its own (a batch is one party's, as its API key is). */
function prepareBatches(options: IngestBenchOptions, sellers: BenchParty[], buyers: BenchParty[]): Batch[] {
  const run = randomBytes(4).toString('hex');
  const perSeller = sellers.map(() => [] as SignedStatement[]);
  for (let number = 0; number < options.events; number++) {
    const seller = number % sellers.length;
    const buyer = buyers[Math.floor(number / sellers.length) % buyers.length] as BenchParty;
    perSeller[seller]?.push(signedOrder(sellers[seller] as BenchParty, buyer, number, run));
  }
  // Round robin over the sellers, so that concurrent batches come from different parties.
  const batches: Batch[] = [];
  for (let at = 0; at < options.events; at += options.batch) {
    perSeller.forEach((items, seller) => {
      const slice = items.slice(at, at + options.batch);
      if (slice.length > 0) batches.push({ seller: sellers[seller] as BenchParty, items: slice });
    });
  }
  return batches;
}

/** Sends every batch, `concurrency` at a time; throws if any statement is refused. */
async function ingest(url: string, batches: Batch[], concurrency: number, log: Log) {
  const latenciesMs: number[] = [];
  const clients = new Map<string, TradeproofClient>();
  const total = batches.reduce((sum, batch) => sum + batch.items.length, 0);
  let next = 0;
  let done = 0;
  let nextReport = total / 5;
  const startedMs = performance.now();
  const sender = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      const { seller } = batch;
      let client = clients.get(seller.partyId);
      if (!client) {
        client = new TradeproofClient({ url, apiKey: seller.apiKey, requestTimeoutMs: 300_000 });
        clients.set(seller.partyId, client);
      }
      const sentMs = performance.now();
      const outcomes = await submitStatementsWith(client, null, batch.items);
      latenciesMs.push(performance.now() - sentMs);
      const refused = outcomes.find((outcome) => !outcome.ok || outcome.replayed);
      if (refused) throw new Error(`a bench statement was not freshly recorded: ${JSON.stringify(refused)}`);
      done += outcomes.length;
      if (done >= nextReport) {
        const seconds = (performance.now() - startedMs) / 1000;
        log(
          `  ${formatCount(done)}/${formatCount(total)} events in ${seconds.toFixed(1)} s: ${formatCount(done / seconds)} events/s so far`,
        );
        while (nextReport <= done) nextReport += total / 5;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, sender));
  const seconds = (performance.now() - startedMs) / 1000;
  latenciesMs.sort((left, right) => left - right);
  return { seconds, latenciesMs };
}

async function leafCount(db: DatabaseHandle['db']): Promise<number> {
  const { rows } = await sql<{ count: string }>`SELECT count(*)::INT8 AS count FROM leaf`.execute(db);
  return Number(rows[0]?.count ?? 0);
}

async function eventCount(db: DatabaseHandle['db']): Promise<number> {
  const { rows } = await sql<{ count: string }>`SELECT count(*)::INT8 AS count FROM event`.execute(db);
  return Number(rows[0]?.count ?? 0);
}

/** Waits until every event is a leaf; the seconds that took. */
async function untilAnchored(db: DatabaseHandle['db'], timeoutMs: number): Promise<number> {
  const startedMs = performance.now();
  const events = await eventCount(db);
  while ((await leafCount(db)) < events) {
    if (performance.now() - startedMs > timeoutMs)
      throw new Error(`events still unanchored after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (performance.now() - startedMs) / 1000;
}

async function withServer<T>(
  databaseUrl: string,
  log: Log,
  body: (context: {
    url: string;
    app: DatabaseHandle;
    setup: Awaited<ReturnType<typeof setUp>>;
  }) => Promise<T>,
): Promise<T> {
  const config = loadConfig({});
  const app = await openDatabase(databaseUrl, {
    poolMax: config.dbPoolMax,
    applicationName: 'tradeproof-bench',
  });
  const verifier = startVerifyPool();
  let server: RunningServer | null = null;
  let worker: { stop(): Promise<void> } | null = null;
  try {
    const setup = await setUp(app);
    const ledger = { ...setup.ledger, verifier };
    worker = startAnchorWorker(app.db, setup.logSigner, {
      batchEventsMax: config.log.anchorBatchEventsMax,
      intervalMs: config.log.anchorIntervalMs,
      ...anchorLateness,
      sinks: [],
      log,
    });
    server = await startHttpServer({
      ledger,
      logSigner: setup.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: config.requestBodyBytesMax,
      ...graphqlLimits(config),
    });
    return await body({ url: `${server.url}/graphql`, app, setup });
  } finally {
    await server?.close(5_000);
    await worker?.stop();
    await verifier.close();
    await app.close();
  }
}

async function setUp(app: DatabaseHandle) {
  const platform = await ensurePlatform(
    app.db,
    { key: randomBytes(32) },
    {
      legalName: 'bench platform operator',
      registrationId: defaultPlatformRegistrationId,
      adminApiKey: null,
    },
  );
  const logSigner = await ensureLogSigner(app.db, platform.ledger.custody, 'tradeproof.bench/log');
  return { ledger: platform.ledger, logSigner };
}

export async function runIngestBench(
  server: BenchServer,
  options: IngestBenchOptions,
  log: Log,
): Promise<IngestBenchReport> {
  const startedAt = new Date();
  const startedMs = performance.now();
  log(`database: ${server.label}`);
  const ed25519 = measureEd25519Rate();
  log(`Ed25519 verification on one core: ${formatCount(ed25519.verificationsPerSecond)} verifications/s`);
  const database = await createBenchDatabase(server);
  try {
    await migrateToLatest(database.owner.db);
    return await withServer(database.url, log, async ({ url, app, setup }) => {
      const { buyers, sellers } = await registerBenchParties(setup.ledger, options);
      const batches = prepareBatches(options, sellers, buyers);
      await untilAnchored(app.db, 60_000);
      log(
        `prepared and signed ${formatCount(options.events)} purchase orders of ${sellers.length} sellers (not counted)`,
      );
      log(`ingesting in batches of ${options.batch}, ${options.concurrency} at a time`);
      const phasesBefore = { ...batchPhaseTotals };
      const cpuBefore = process.cpuUsage();
      const run = await ingest(url, batches, options.concurrency, log);
      const cpu = process.cpuUsage(cpuBefore);
      const anchoringSeconds = await untilAnchored(app.db, 600_000);
      const eventsPerSecond = options.events / run.seconds;
      const phase = (name: 'checkMs' | 'verifyMs' | 'writeMs') => batchPhaseTotals[name] - phasesBefore[name];
      const serverMs = phase('checkMs') + phase('verifyMs') + phase('writeMs');
      const requestMs = run.latenciesMs.reduce((sum, ms) => sum + ms, 0);
      return {
        bench: 'ingest',
        startedAt: startedAt.toISOString(),
        seconds: (performance.now() - startedMs) / 1000,
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? 'unknown',
          node: process.version,
        },
        database: server.label,
        targets: ingestTargets,
        options,
        ed25519,
        ingest: {
          events: options.events,
          batches: run.latenciesMs.length,
          seconds: run.seconds,
          eventsPerSecond,
          ratioToEd25519: eventsPerSecond / ed25519.verificationsPerSecond,
          batchP50Ms: percentile(run.latenciesMs, 0.5),
          batchP99Ms: percentile(run.latenciesMs, 0.99),
          targetMet: eventsPerSecond / ed25519.verificationsPerSecond >= ingestTargets.ratioToEd25519Min,
        },
        anchoring: { secondsAfterIngest: anchoringSeconds, leaves: await leafCount(app.db) },
        breakdown: {
          // Summed over concurrent batches: shares of requestMs, not of the wall clock.
          requestMs,
          checkMs: phase('checkMs'),
          verifyMs: phase('verifyMs'),
          writeMs: phase('writeMs'),
          httpAndGraphqlMs: Math.max(0, requestMs - serverMs),
          processCpuSeconds: (cpu.user + cpu.system) / 1e6,
        },
      };
    });
  } finally {
    await database.drop();
  }
}
