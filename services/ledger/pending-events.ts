/**
 * Which events a batch anchors. Fresh events sort after the greatest anchored position in
 * (recordedAt, id) order, an index range holding nothing else, so finding them costs what they are.
 * But an event is stamped when its transaction starts, so one that commits late can sort before
 * events anchored already. The late scan finds those: it walks the events recorded more than
 * lateSettleMs before the database's clock (by then every transaction that stamped them has committed
 * or died), a bounded slice per batch, from where the previous batch stopped. Each event is examined
 * once per pass, not once per batch as a look-back window would; a worker restarts a pass from the
 * start of the log now and then, which catches a transaction that outlived lateSettleMs.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Trx } from '../db/transaction.js';

/** A point in the anchoring order: events sort by (recordedAt, id). */
export interface LogPosition {
  recordedAt: Date;
  id: string;
}

export interface PendingOptions {
  batchEventsMax: number;
  lateCheckedThrough: LogPosition | null;
  lateSettleMs: number;
  lateScanRowsMax?: number;
}

export interface PendingEvent {
  id: string;
  event_hash: Buffer;
}

export interface PendingBatch {
  /** Late events first, then fresh ones, each in (recordedAt, id) order. */
  events: PendingEvent[];
  lateCheckedThrough: LogPosition | null;
  /** The greatest position anchored once this batch is: the checkpoint records it. */
  anchoredThrough: LogPosition | null;
}

const lateScanRowsDefault = 50_000;
/** Sorts before every UUID: the position at the very start of a millisecond. */
const nilUuid = '00000000-0000-0000-0000-000000000000';

type EventExpressions = ExpressionBuilder<Database, 'event'>;
const positionOf = (eb: EventExpressions) => eb.refTuple('event.recorded_at', 'event.id');
const tupleOf = (eb: EventExpressions, at: LogPosition) => eb.tuple(eb.val(at.recordedAt), eb.val(at.id));

function compare(a: LogPosition, b: LogPosition): number {
  const byTime = a.recordedAt.getTime() - b.recordedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Events after `after` and up to `through` (inclusive) not yet anchored, in order, at most `limit`. */
function unanchored(trx: Trx, after: LogPosition | null, through: LogPosition, limit: number) {
  return trx
    .selectFrom('event')
    .select(['event.id', 'event.event_hash'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('leaf').select('leaf.event_id').whereRef('leaf.event_id', '=', 'event.id'))),
    )
    .$if(after !== null, (query) =>
      query.where((eb) => eb(positionOf(eb), '>', tupleOf(eb, after as LogPosition))),
    )
    .where((eb) => eb(positionOf(eb), '<=', tupleOf(eb, through)))
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .limit(limit)
    .execute();
}

/**
 * Fresh events: those after the greatest anchored position, where nothing is anchored yet, so the
 * scan is a plain index range with no anti-join (whose plan, on statistics older than a burst of
 * events, can turn into hashing the whole leaf table). Should that ever not hold, the leaf insert
 * fails on its unique event_id: a stuck batch, never a double.
 */
function freshAfter(trx: Trx, cursor: LogPosition | null, limit: number) {
  return trx
    .selectFrom('event')
    .select(['event.id', 'event.event_hash'])
    .$if(cursor !== null, (query) =>
      query.where((eb) => eb(positionOf(eb), '>', tupleOf(eb, cursor as LogPosition))),
    )
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .limit(limit)
    .execute();
}

/**
 * The greatest position anchored so far, as the latest checkpoint records it. For a checkpoint
 * written before positions were recorded it is looked up once, over every leaf; the next checkpoint
 * records it.
 */
async function anchoredThrough(trx: Trx, treeSize: number): Promise<LogPosition | null> {
  if (treeSize === 0) return null;
  const recorded = await trx
    .selectFrom('checkpoint')
    .select(['anchored_through_at', 'anchored_through_event'])
    .where('tree_size', '=', BigInt(treeSize))
    .executeTakeFirst();
  if (recorded?.anchored_through_at && recorded.anchored_through_event) {
    return { recordedAt: recorded.anchored_through_at, id: recorded.anchored_through_event };
  }
  const row = await trx
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .select(['event.recorded_at', 'event.id'])
    .orderBy('event.recorded_at', 'desc')
    .orderBy('event.id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { recordedAt: row.recorded_at, id: row.id };
}

/** The position of the `rows`-th event after `after` and up to `through`, or null if fewer lie there. */
async function sliceEnd(
  trx: Trx,
  after: LogPosition | null,
  through: LogPosition,
  rows: number,
): Promise<LogPosition | null> {
  const row = await trx
    .selectFrom('event')
    .select(['event.recorded_at', 'event.id'])
    .$if(after !== null, (query) =>
      query.where((eb) => eb(positionOf(eb), '>', tupleOf(eb, after as LogPosition))),
    )
    .where((eb) => eb(positionOf(eb), '<=', tupleOf(eb, through)))
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .offset(rows - 1)
    .limit(1)
    .executeTakeFirst();
  return row ? { recordedAt: row.recorded_at, id: row.id } : null;
}

/**
 * Late committers first (they sort before the newest anchored event), then fresh events after it:
 * at most batchEventsMax, in (recordedAt, id) order. Also how far the late scan has now checked.
 */
export async function pendingEvents(
  trx: Trx,
  treeSize: number,
  options: PendingOptions,
): Promise<PendingBatch> {
  const cursor = await anchoredThrough(trx, treeSize);
  const limit = options.batchEventsMax;
  if (cursor === null) {
    const events = await freshAfter(trx, null, limit);
    return { events, lateCheckedThrough: null, anchoredThrough: await lastOf(trx, events, cursor) };
  }
  const { rows } = await sql<{ clock: Date }>`SELECT now() AS clock`.execute(trx);
  const clock = rows[0]?.clock ?? new Date(0);
  // The nil id sorts first: up to `settled` means recorded before that millisecond.
  const settled = { recordedAt: new Date(clock.getTime() - options.lateSettleMs), id: nilUuid };
  const from = options.lateCheckedThrough;
  // Past the newest anchored event is the fresh scan's ground.
  const bound = compare(settled, cursor) <= 0 ? settled : cursor;
  const through = (await sliceEnd(trx, from, bound, options.lateScanRowsMax ?? lateScanRowsDefault)) ?? bound;
  const late = await unanchored(trx, from, through, limit);
  const lastLate = late.at(-1);
  // A full batch of late events stops the scan at the last one taken; else it checked all it had to.
  const reached = late.length === limit && lastLate ? await positionOfEvent(trx, lastLate.id) : through;
  const lateCheckedThrough = from !== null && compare(from, reached) > 0 ? from : reached;
  const fresh = late.length === limit ? [] : await freshAfter(trx, cursor, limit - late.length);
  return {
    events: [...late, ...fresh],
    lateCheckedThrough,
    anchoredThrough: await lastOf(trx, fresh, cursor),
  };
}

/** The position of the last of `events` (in order, all after `cursor`), or `cursor` if none. */
async function lastOf(
  trx: Trx,
  events: readonly PendingEvent[],
  cursor: LogPosition | null,
): Promise<LogPosition | null> {
  const last = events.at(-1);
  return last ? positionOfEvent(trx, last.id) : cursor;
}

async function positionOfEvent(trx: Trx, id: string): Promise<LogPosition> {
  const row = await trx
    .selectFrom('event')
    .select(['recorded_at', 'id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { recordedAt: row.recorded_at, id: row.id };
}
