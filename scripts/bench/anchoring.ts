/**
 * Anchoring throughput: the real anchorBatch, in a loop until nothing is pending, exactly as the
 * worker calls it (the late scan carried from batch to batch), with the step profiler attached.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../../services/db/transaction.js';
import { type AnchorOptions, anchorBatch, type LogPosition } from '../../services/ledger/anchor.js';
import { anchorLateness } from '../../services/ledger/anchor-worker.js';
import type { LogSigner } from '../../services/ledger/log-signer.js';
import { type AnchorProfile, AnchorProfiler } from './anchor-profile.js';
import { formatCount } from './stats.js';

export interface AnchoringRun {
  anchored: number;
  batches: number;
  seconds: number;
  eventsPerSecond: number;
  treeSize: number;
  profile: AnchorProfile;
  profiler: AnchorProfiler;
}

export function anchorOptions(batchEventsMax: number, lateCheckedThrough: LogPosition | null): AnchorOptions {
  return {
    batchEventsMax,
    lateCheckedThrough,
    lateSettleMs: anchorLateness.lateSettleMs,
    holder: 'bench',
    leaseTtlMs: 60_000,
  };
}

/** Anchors until a batch finds nothing pending; a progress line each time ~10% more is anchored. */
export async function anchorUntilDone(
  db: Db,
  signer: LogSigner,
  options: { batchEventsMax: number; expected: number; log: (line: string) => void },
): Promise<AnchoringRun> {
  const profiler = new AnchorProfiler();
  const profiled = db.withPlugin(profiler);
  const step = Math.max(1, Math.ceil(options.expected / 10));
  let nextReport = step;
  let anchored = 0;
  let treeSize = 0;
  // As the worker does: the late scan goes on from where the previous batch left it.
  let lateCheckedThrough: LogPosition | null = null;
  const startedMs = performance.now();
  for (;;) {
    const result = await profiler.measure(() =>
      anchorBatch(profiled, signer, anchorOptions(options.batchEventsMax, lateCheckedThrough)),
    );
    lateCheckedThrough = result.lateCheckedThrough;
    if (!result.leader) throw new Error('the bench lost the anchoring lease: is a worker running here?');
    treeSize = result.treeSize;
    if (result.anchored === 0) break;
    anchored += result.anchored;
    if (anchored >= nextReport) {
      const seconds = (performance.now() - startedMs) / 1000;
      const share = Math.round((anchored / options.expected) * 100);
      options.log(
        `  anchored ${formatCount(anchored)}/${formatCount(options.expected)} (${share}%) in ` +
          `${seconds.toFixed(1)} s: ${formatCount(anchored / seconds)} events/s so far`,
      );
      while (nextReport <= anchored) nextReport += step;
    }
  }
  const seconds = (performance.now() - startedMs) / 1000;
  return {
    anchored,
    batches: profiler.profile.batches,
    seconds,
    eventsPerSecond: anchored / seconds,
    treeSize,
    profile: profiler.profile,
    profiler,
  };
}
