/**
 * Late committers: an event is stamped when its transaction starts, so it can become visible after
 * newer events were anchored. The worker's late scan must still anchor it, exactly once, without
 * rescanning the log each batch: it carries how far it has checked from batch to batch.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import type { Db } from '../../services/db/transaction.js';
import { type AnchorOptions, anchorBatch, type LogPosition } from '../../services/ledger/anchor.js';
import { ensureLogSigner, type LogSigner } from '../../services/ledger/log-signer.js';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { syntheticActor } from '../support/anchor.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let signer: LogSigner;
let actor: { partyId: string; keyId: string };

/** The worker's way: each batch goes on from where the last one's late scan stopped. */
class Worker {
  lateCheckedThrough: LogPosition | null = null;
  constructor(private readonly options: Partial<AnchorOptions> = {}) {}

  async batch(): Promise<number> {
    const result = await anchorBatch(ledger.app.db, signer, {
      batchEventsMax: 1000,
      lateCheckedThrough: this.lateCheckedThrough,
      lateSettleMs: 300,
      holder: 'late-test',
      leaseTtlMs: 60_000,
      ...this.options,
    });
    this.lateCheckedThrough = result.lateCheckedThrough;
    return result.anchored;
  }

  async drain(): Promise<number> {
    let total = 0;
    for (let anchored = await this.batch(); anchored > 0; anchored = await this.batch()) total += anchored;
    return total;
  }
}

const insert = (db: Db, count: number) => insertSyntheticEvents(db, count, actor);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Events stamped an hour back, sorting among anchored ones as a late committer's would. */
async function insertBackdated(count: number): Promise<void> {
  await insert(ledger.owner.db, count);
  await sql`UPDATE event SET recorded_at = recorded_at - INTERVAL '1 hour'
    WHERE NOT EXISTS (SELECT 1 FROM leaf WHERE leaf.event_id = event.id)`.execute(ledger.owner.db);
}

async function pendingCount(): Promise<number> {
  const { rows } = await sql<{ count: string }>`SELECT count(*)::TEXT AS count FROM event
    WHERE NOT EXISTS (SELECT 1 FROM leaf WHERE leaf.event_id = event.id)`.execute(ledger.owner.db);
  return Number(rows[0]?.count);
}

async function expectWholeLogOnce(): Promise<void> {
  const rows = await ledger.owner.db
    .selectFrom('leaf')
    .select(['leaf_index', 'leaf_hash', 'event_id'])
    .orderBy('leaf_index')
    .execute();
  const events = await ledger.owner.db.selectFrom('event').select('id').execute();
  expect(new Set(rows.map((row) => row.event_id)).size).toBe(events.length);
  expect(rows.map((row) => Number(row.leaf_index))).toEqual(events.map((_, index) => index));
  const checkpoint = await ledger.owner.db
    .selectFrom('checkpoint')
    .select(['tree_size', 'root_hash'])
    .orderBy('tree_size', 'desc')
    .executeTakeFirstOrThrow();
  expect(Number(checkpoint.tree_size)).toBe(rows.length);
  expect(checkpoint.root_hash).toEqual(rootFromLeafHashes(rows.map((row) => row.leaf_hash)));
}

/** Starts a transaction that inserts `count` events and holds it open until the returned commit. */
async function openTransaction(count: number): Promise<{ commit: () => Promise<void> }> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let inserted = () => {};
  const ready = new Promise<void>((resolve) => {
    inserted = resolve;
  });
  const done = ledger.owner.db.transaction().execute(async (trx) => {
    await insert(trx, count);
    inserted();
    await held;
  });
  await ready;
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

describe('late committers', () => {
  beforeAll(async () => {
    signer = await ensureLogSigner(ledger.app.db, ledger.ledger.custody, 'tradeproof.test/log');
    actor = await syntheticActor(ledger);
  });

  it('anchors an event that commits after newer ones were anchored, once it has settled', async () => {
    // Settled at 3 s: long enough that a loaded machine's pauses do not age the open transaction
    // past it before it commits (which would make it a pathological one, left to the next pass).
    const worker = new Worker({ lateSettleMs: 3_000 });
    await worker.drain();
    const late = await openTransaction(3);
    await insert(ledger.owner.db, 5);
    expect(await worker.drain()).toBe(5);
    await late.commit();
    // Visible now, sorting before the newest anchored event: the fresh scan cannot see it.
    expect(await pendingCount()).toBe(3);
    await sleep(3_100);
    expect(await worker.drain()).toBe(3);
    expect(await pendingCount()).toBe(0);
    await expectWholeLogOnce();
  });

  it('anchors a late committer seconds after its commit through the recent scan, before it settles', async () => {
    const worker = new Worker({ lateSettleMs: 60_000 });
    await worker.drain();
    const late = await openTransaction(2);
    await insert(ledger.owner.db, 4);
    expect(await worker.drain()).toBe(4);
    await late.commit();
    // Without the recent scan it waits a minute for the settled scan.
    expect(await worker.drain()).toBe(0);
    expect(await new Worker({ lateSettleMs: 60_000, lateWindowMs: 10_000 }).drain()).toBe(2);
    expect(await pendingCount()).toBe(0);
    await expectWholeLogOnce();
  });

  it('takes fresh events only once they are freshLagMs old, keeping off the range being written', async () => {
    const worker = new Worker({ lateSettleMs: 60_000 });
    await worker.drain();
    await insert(ledger.owner.db, 3);
    const lagging = new Worker({ lateSettleMs: 60_000, freshLagMs: 1_500 });
    expect(await lagging.drain()).toBe(0);
    await sleep(1_600);
    expect(await lagging.drain()).toBe(3);
    await expectWholeLogOnce();
  });

  it('leaves a transaction that outlived the settle time to the next pass from the start', async () => {
    const worker = new Worker({ lateSettleMs: 100 });
    await worker.drain();
    const slow = await openTransaction(2);
    await sleep(200);
    await insert(ledger.owner.db, 4);
    expect(await worker.drain()).toBe(4);
    await slow.commit();
    expect(await worker.drain()).toBe(0);
    expect(await pendingCount()).toBe(2);
    worker.lateCheckedThrough = null;
    expect(await worker.drain()).toBe(2);
    await expectWholeLogOnce();
  });

  it('finds the greatest anchored position itself when the checkpoint does not record it', async () => {
    const worker = new Worker({ lateSettleMs: 0 });
    await insert(ledger.owner.db, 6);
    await worker.drain();
    // Late events anchored last: the last leaf is no longer the greatest position anchored.
    await insertBackdated(3);
    expect(await new Worker({ lateSettleMs: 0 }).drain()).toBe(3);
    // As a checkpoint written before positions were recorded.
    await sql`UPDATE checkpoint SET anchored_through_at = NULL, anchored_through_event = NULL`.execute(
      ledger.owner.db,
    );
    await insert(ledger.owner.db, 5);
    expect(await new Worker({ lateSettleMs: 0 }).drain()).toBe(5);
    await expectWholeLogOnce();
  });

  it('walks the log in bounded slices, each batch going on from the last', async () => {
    const worker = new Worker({ lateSettleMs: 0 });
    await insert(ledger.owner.db, 900);
    await worker.drain();
    // Four events that sort among the anchored ones, as late committers would.
    await insertBackdated(4);
    const sliced = new Worker({ lateSettleMs: 0, lateScanRowsMax: 100 });
    const { rows } = await sql<{ count: string }>`SELECT count(*)::TEXT AS count FROM event`.execute(
      ledger.owner.db,
    );
    const slices = Math.ceil(Number(rows[0]?.count) / 100);
    const reached: LogPosition[] = [];
    let anchored = 0;
    for (let batch = 0; batch <= slices; batch++) {
      anchored += await sliced.batch();
      if (sliced.lateCheckedThrough) reached.push(sliced.lateCheckedThrough);
    }
    expect(anchored).toBe(4);
    const times = reached.map((position) => position.recordedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(reached.map((position) => `${position.recordedAt.getTime()}/${position.id}`)).size).toBe(
      slices,
    );
    await expectWholeLogOnce();
  });
});
