/**
 * The anchoring loop that runs beside the API: a batch every intervalMs (at once again while batches
 * come back full), so an event is anchored within about a second. Only the lease holder works; the
 * others wait and take over when its lease lapses. Errors are logged and retried with backoff.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/transaction.js';
import { anchorBatch } from './anchor.js';
import { type CheckpointSink, publishCheckpoints } from './checkpoint-sink.js';
import type { LogSigner } from './log-signer.js';

export interface AnchorWorkerOptions {
  batchEventsMax: number;
  intervalMs: number;
  /** Every this often a batch scans all events, not only the recent window: late committers. */
  fullScanEveryMs: number;
  sinks: readonly CheckpointSink[];
  log: (line: string) => void;
}

export interface AnchorWorker {
  stop(): Promise<void>;
}

const lookbackMs = 5 * 60_000;

export function startAnchorWorker(db: Db, signer: LogSigner, options: AnchorWorkerOptions): AnchorWorker {
  const holder = randomUUID();
  let stopped = false;
  let wake: (() => void) | null = null;
  let lastFullScan = 0;
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
        const fullScan = Date.now() - lastFullScan > options.fullScanEveryMs;
        if (fullScan) lastFullScan = Date.now();
        const result = await anchorBatch(db, signer, {
          batchEventsMax: options.batchEventsMax,
          lookbackMs: fullScan ? null : lookbackMs,
          holder,
          leaseTtlMs: Math.max(5_000, options.intervalMs * 10),
        });
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
