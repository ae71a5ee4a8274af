/**
 * The ingest benchmark's results: the target, the summary a person reads and the JSON a machine
 * reads. A missed target is reported with where the time went, never turned into a failing exit code.
 */
import type { Ed25519Rate } from './ed25519-rate.js';
import type { IngestBenchOptions } from './ingest.js';
import { formatCount, formatSignificant } from './stats.js';

/** Issue 10 item 8, for this 2-core machine: signed events through the whole stack vs one core's checks. */
export const ingestTargets = { ratioToEd25519Min: 0.6 } as const;

export interface IngestBenchReport {
  bench: 'ingest';
  startedAt: string;
  seconds: number;
  machine: { cpus: number; cpuModel: string; node: string };
  database: string;
  targets: typeof ingestTargets;
  options: IngestBenchOptions;
  ed25519: Ed25519Rate;
  ingest: {
    events: number;
    batches: number;
    seconds: number;
    eventsPerSecond: number;
    /** Ingested events per second over single-core Ed25519 verifications per second. */
    ratioToEd25519: number;
    batchP50Ms: number;
    batchP99Ms: number;
    targetMet: boolean;
  };
  /** From the end of ingest until every event was a leaf of the log. */
  anchoring: { secondsAfterIngest: number; leaves: number };
  /**
   * Milliseconds summed over all batches (they overlap when concurrent): the requests as the client
   * timed them, and inside them submitFacts' phases; the rest is HTTP, JSON and GraphQL.
   */
  breakdown: {
    requestMs: number;
    checkMs: number;
    verifyMs: number;
    writeMs: number;
    httpAndGraphqlMs: number;
    /** CPU time of this process (event loop and verifier threads) during ingest; the rest is PostgreSQL's. */
    processCpuSeconds: number;
  };
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-';
}

/** The final summary, as lines. */
export function ingestSummaryLines(report: IngestBenchReport): string[] {
  const { ingest, ed25519, breakdown, anchoring } = report;
  const machine = `${report.machine.cpus} CPUs, Node ${report.machine.node}, ${report.database}`;
  return [
    `summary (${machine}; whole run ${report.seconds.toFixed(0)} s)`,
    `  Ed25519 verification, one core   ${formatCount(ed25519.verificationsPerSecond)} verifications/s`,
    `  ingest of ${formatCount(ingest.events)} signed events     ${formatCount(ingest.eventsPerSecond)} events/s ` +
      `in ${ingest.seconds.toFixed(1)} s (${ingest.batches} batches of ≤ ${report.options.batch}, ${report.options.concurrency} at a time)`,
    `  ratio                            ${ingest.ratioToEd25519.toFixed(3)} × the single-core rate ` +
      `(target ≥ ${ingestTargets.ratioToEd25519Min}: ${ingest.targetMet ? 'met' : 'NOT met'})`,
    `  batch latency                    p50 ${formatSignificant(ingest.batchP50Ms)} ms, p99 ${formatSignificant(ingest.batchP99Ms)} ms`,
    `  anchoring                        every event a leaf ${anchoring.secondsAfterIngest.toFixed(1)} s after ingest ended (${formatCount(anchoring.leaves)} leaves)`,
    '  where the batches spent their time (summed over batches):',
    `    statement checks (parse, canonical form)  ${share(breakdown.checkMs, breakdown.requestMs)}`,
    `    signature verification (threads)          ${share(breakdown.verifyMs, breakdown.requestMs)}`,
    `    database transactions                     ${share(breakdown.writeMs, breakdown.requestMs)}`,
    `    HTTP, JSON and GraphQL                    ${share(breakdown.httpAndGraphqlMs, breakdown.requestMs)}`,
    `    this process used ${breakdown.processCpuSeconds.toFixed(1)} CPU-s of ${(ingest.seconds * report.machine.cpus).toFixed(1)} ` +
      "core-seconds during ingest; PostgreSQL and the machine's other work used the rest",
  ];
}
