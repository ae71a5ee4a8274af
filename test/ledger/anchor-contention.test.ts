/**
 * Anchoring under load: 8 writers commit events (some holding their transaction open after the
 * insert, so that they commit after newer events were anchored) while 8 pollers read what anchoring
 * writes (leaf indexes of their events, the latest checkpoint, tiles). The worker must neither
 * starve nor restart batch after batch, and every event must reach the log within seconds of its
 * commit, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { inTransaction } from '../../services/db/transaction.js';
import type { AnchorResult } from '../../services/ledger/anchor.js';
import { anchorLateness, startAnchorWorker } from '../../services/ledger/anchor-worker.js';
import { leafIndexesOf } from '../../services/ledger/log-query.service.js';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { readTiles } from '../../services/ledger/node-store.js';
import { findCheckpoint } from '../../services/ledger/proof.repository.js';
import { syntheticActor } from '../support/anchor.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const writers = 8;
const pollers = 8;
const writeForMs = 4_000;
/** A writer holds every third transaction open this long after its insert: a late committer. */
const lateHoldMs = 700;
/** Bounds: retries of one batch's write, and commit-to-leaf delay of any event. */
const attemptsPerBatchMax = 3;
const commitToLeafMsMax = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let writePool: DatabaseHandle;
let readPool: DatabaseHandle;
let actor: { partyId: string; keyId: string };

interface Acknowledged {
  id: string;
  recordedAt: Date;
  committedAtMs: number;
}

async function write(until: number, writer: number, acknowledged: Acknowledged[]): Promise<void> {
  for (let round = 0; Date.now() < until; round++) {
    const late = (round + writer) % 3 === 0;
    const ids = await inTransaction(writePool.db, async (trx) => {
      const inserted = await insertSyntheticEvents(trx, 1 + (round % 4), actor);
      if (late) await sleep(lateHoldMs);
      return inserted;
    });
    const committedAtMs = Date.now();
    const rows = await writePool.db
      .selectFrom('event')
      .select(['id', 'recorded_at'])
      .where('id', 'in', ids)
      .execute();
    for (const row of rows) acknowledged.push({ id: row.id, recordedAt: row.recorded_at, committedAtMs });
  }
}

async function poll(until: number, acknowledged: readonly Acknowledged[]): Promise<number> {
  const reader = { ...ledger.ledger, db: readPool.db };
  let reads = 0;
  while (Date.now() < until) {
    const recent = acknowledged.slice(-20);
    await leafIndexesOf(reader, recent);
    await inTransaction(readPool.db, async (trx) => {
      await findCheckpoint(trx, null);
      await readTiles(trx, [{ tileLevel: 1, tileIndex: 0 }]);
    });
    reads += 1;
  }
  return reads;
}

describe('anchoring while 8 writers and 8 pollers run', () => {
  beforeAll(async () => {
    writePool = await openDatabase(ledger.ownerUrl, { poolMax: writers + 1 });
    readPool = await openDatabase(ledger.appUrl, { poolMax: pollers });
    actor = await syntheticActor(ledger);
  });
  afterAll(async () => {
    await writePool?.close();
    await readPool?.close();
  });

  it('anchors every event once, within seconds of its commit, late committers included', async () => {
    const batches: AnchorResult[] = [];
    const worker = startAnchorWorker(ledger.app.db, ledger.logSigner, {
      batchEventsMax: 500,
      intervalMs: 50,
      ...anchorLateness,
      lateWindowEveryMs: 250,
      sinks: [],
      log: () => {},
      onBatch: (result) => batches.push(result),
    });
    const acknowledged: Acknowledged[] = [];
    try {
      const until = Date.now() + writeForMs;
      const reads = await Promise.all([
        ...Array.from({ length: writers }, (_, writer) => write(until, writer, acknowledged).then(() => 0)),
        ...Array.from({ length: pollers }, () => poll(until, acknowledged)),
      ]);
      expect(reads.reduce((sum, each) => sum + each, 0)).toBeGreaterThan(pollers);
      for (let waited = 0; waited < 20_000; waited += 100) {
        const found = await leafIndexesOf(ledger.ledger, acknowledged);
        if (found.size === acknowledged.length) break;
        await sleep(100);
      }
    } finally {
      await worker.stop();
    }

    const leaves = await ledger.owner.db
      .selectFrom('leaf')
      .select(['leaf_index', 'event_id'])
      .orderBy('leaf_index')
      .execute();
    const events = await ledger.owner.db.selectFrom('event').select('id').execute();
    expect(leaves.map((leaf) => Number(leaf.leaf_index))).toEqual(events.map((_, index) => index));
    expect(new Set(leaves.map((leaf) => leaf.event_id)).size).toBe(events.length);

    // A late committer: stamped before an event that was anchored before it committed.
    const leafOf = new Map(leaves.map((leaf) => [leaf.event_id, Number(leaf.leaf_index)]));
    const byStamp = [...acknowledged].sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
    const lateCount = byStamp.filter((event, index) =>
      byStamp
        .slice(index + 1)
        .some(
          (newer) =>
            (leafOf.get(newer.id) ?? 0) < (leafOf.get(event.id) ?? 0) && newer.recordedAt > event.recordedAt,
        ),
    ).length;
    expect(lateCount).toBeGreaterThan(0);

    const checkpoints = await ledger.owner.db
      .selectFrom('checkpoint')
      .select(['tree_size', 'created_at'])
      .orderBy('tree_size')
      .execute();
    const delays = acknowledged.map((event) => {
      const index = leafOf.get(event.id) ?? Number.POSITIVE_INFINITY;
      const first = checkpoints.find((checkpoint) => Number(checkpoint.tree_size) > index);
      return (first?.created_at.getTime() ?? Number.POSITIVE_INFINITY) - event.committedAtMs;
    });
    expect(Math.max(...delays)).toBeLessThan(commitToLeafMsMax);

    const written = batches.filter((batch) => batch.anchored > 0);
    expect(written.length).toBeGreaterThan(1);
    expect(Math.max(...batches.map((batch) => batch.attempts))).toBeLessThanOrEqual(attemptsPerBatchMax);

    // Every checkpoint signs the root of the leaves before its size: each batch extended the last.
    const hashes = (
      await ledger.owner.db.selectFrom('leaf').select('leaf_hash').orderBy('leaf_index').execute()
    ).map((leaf) => leaf.leaf_hash);
    const signed = await ledger.owner.db
      .selectFrom('checkpoint')
      .select(['tree_size', 'root_hash'])
      .orderBy('tree_size')
      .execute();
    for (const checkpoint of signed) {
      expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(hashes.slice(0, Number(checkpoint.tree_size))));
    }
  });
});
