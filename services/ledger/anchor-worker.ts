/**
 * The anchoring loop that runs beside the API: a batch every intervalMs (at once again while batches
 * come back full), so an event is anchored within about a second. Only the lease holder works; the
 * others wait and take over when its lease lapses. Errors are logged and retried with backoff.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/transaction.js';
import { type AnchorResult, anchorBatch, type LogPosition } from './anchor.js';
import { type CheckpointSink, publishCheckpoints } from './checkpoint-sink.js';
import type { LogSigner } from './log-signer.js';

export interface AnchorWorkerOptions {
  batchEventsMax: number;
  intervalMs: number;
  /**
   * How long after its stamp an event's transaction is taken to have committed or died: the late
   * scan (services/ledger/pending-events.ts) passes an event once it is that old.
   */
  lateSettleMs: number;
  /** Every this often the late scan starts a new pass from the start of the log. */
  lateRescanEveryMs: number;
  /** Fresh events are taken once stamped this long ago: the scan keeps off the range being written. */
  freshLagMs: number;
  /** The recent scan looks this far back for late committers… */
  lateWindowMs: number;
  /** …this often. */
  lateWindowEveryMs: number;
  sinks: readonly CheckpointSink[];
  log: (line: string) => void;
  /** Observes each batch (metrics, tests). */
  onBatch?: (result: AnchorResult) => void;
}

/**
 * The worker's lateness settings. Our transactions write in milliseconds and are cut well before a
 * minute, so the settled scan covers any of them but a pathological one, which the hourly pass from
 * the log's start still finds. A transaction that commits a few seconds after its stamp (a lock wait,
 * a retried commit) is anchored by the recent scan within about lateWindowEveryMs of its commit.
 */
export const anchorLateness = {
  lateSettleMs: 60_000,
  lateRescanEveryMs: 3_600_000,
  freshLagMs: 250,
  lateWindowMs: 15_000,
  lateWindowEveryMs: 1_000,
} as const;

export interface AnchorWorker {
  stop(): Promise<void>;
}

export function startAnchorWorker(db: Db, signer: LogSigner, options: AnchorWorkerOptions): AnchorWorker {
  const holder = randomUUID();
  let stopped = false;
  let wake: (() => void) | null = null;
  let lateCheckedThrough: LogPosition | null = null;
  let passStartedAt = Date.now();
  let recentScannedAt = 0;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (Date.now() - passStartedAt > options.lateRescanEveryMs) {
          lateCheckedThrough = null;
          passStartedAt = Date.now();
        }
        const recentDue = Date.now() - recentScannedAt >= options.lateWindowEveryMs;
        const result = await anchorBatch(db, signer, {
          batchEventsMax: options.batchEventsMax,
          lateCheckedThrough,
          lateSettleMs: options.lateSettleMs,
          freshLagMs: options.freshLagMs,
          lateWindowMs: recentDue ? options.lateWindowMs : 0,
          holder,
          leaseTtlMs: Math.max(5_000, options.intervalMs * 10),
        });
        if (recentDue) recentScannedAt = Date.now();
        options.onBatch?.(result);
        lateCheckedThrough = result.lateCheckedThrough;
        if (result.anchored > 0) await publishCheckpoints(db, options.sinks, options.log);
        failures = 0;
        if (result.anchored < options.batchEventsMax) await sleep(options.intervalMs);
      } catch (error) {
        failures += 1;
        options.log(
          `anchoring failed (attempt ${failures}): ${error instanceof Error ? error.message : String(error)}`,
        );
        await sleep(Math.min(30_000, options.intervalMs * 2 ** failures));
      }
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
