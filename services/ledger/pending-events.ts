/**
 * Which events a batch anchors, read in a transaction of its own, apart from the short one that
 * writes the leaves (anchor.ts): a read of the event index's open end inside the write would make
 * every new event a reason to restart the batch on CockroachDB.
 *
 * Fresh events sort after the greatest anchored position in (recordedAt, id) order, an index range
 * holding nothing else, so finding them costs what they are; only those stamped freshLagMs before the
 * database's clock are taken, so the scan stays off the range writers are inserting into.
 * But an event is stamped when its transaction starts, so one that commits late can sort before
 * events anchored already. Two scans find those:
 * - the recent scan looks at the last lateWindowMs of stamps up to the anchored position, for events
 *   that committed within seconds of others but after them: anchored seconds after their commit;
 * - the settled scan walks the events recorded more than lateSettleMs before the clock (by then every
 *   transaction that stamped them has committed or died: transactions are cut well before), a
 *   bounded slice per batch from where the previous batch stopped, so each event is examined once
 *   per pass; a worker restarts a pass from the start of the log now and then.
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
  /** Fresh events are taken once stamped this long before the clock (0: at once). */
  freshLagMs?: number;
  /** How far behind the clock the recent scan looks for late committers (0: no recent scan). */
  lateWindowMs?: number;
}

export interface PendingEvent {
  id: string;
  event_hash: Buffer;
  recorded_at: Date;
}

export interface PendingBatch {
  /** The tree size the batch was planned on: it is written only onto that size. */
  treeSize: number;
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
const pendingColumns = ['event.id', 'event.event_hash', 'event.recorded_at'] as const;

export function comparePositions(a: LogPosition, b: LogPosition): number {
  const byTime = a.recordedAt.getTime() - b.recordedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const later = (a: LogPosition, b: LogPosition) => (comparePositions(a, b) >= 0 ? a : b);
const earlier = (a: LogPosition, b: LogPosition) => (comparePositions(a, b) <= 0 ? a : b);
const positionOfRow = (row: PendingEvent): LogPosition => ({ recordedAt: row.recorded_at, id: row.id });
/** Up to that millisecond, not into it: the nil id sorts before every event stamped then. */
const startOf = (ms: number): LogPosition => ({ recordedAt: new Date(ms), id: nilUuid });

/** Events after `after` and up to `through` (inclusive) not yet anchored, in order, at most `limit`. */
function unanchored(trx: Trx, after: LogPosition | null, through: LogPosition, limit: number) {
  return trx
    .selectFrom('event')
    .select(pendingColumns)
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
function freshBetween(trx: Trx, cursor: LogPosition | null, through: LogPosition, limit: number) {
  return trx
    .selectFrom('event')
    .select(pendingColumns)
    .$if(cursor !== null, (query) =>
      query.where((eb) => eb(positionOf(eb), '>', tupleOf(eb, cursor as LogPosition))),
    )
    .where((eb) => eb(positionOf(eb), '<=', tupleOf(eb, through)))
    .orderBy('event.recorded_at')
    .orderBy('event.id')
    .limit(limit)
    .execute();
}

/** The latest checkpoint's size and the greatest position anchored so far, as it records them. */
export async function latestAnchored(trx: Trx): Promise<{ treeSize: number; cursor: LogPosition | null }> {
  const latest = await trx
    .selectFrom('checkpoint')
    .select(['tree_size', 'anchored_through_at', 'anchored_through_event'])
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
  const treeSize = Number(latest?.tree_size ?? 0n);
  if (treeSize === 0) return { treeSize, cursor: null };
  if (latest?.anchored_through_at && latest.anchored_through_event) {
    return {
      treeSize,
      cursor: { recordedAt: latest.anchored_through_at, id: latest.anchored_through_event },
    };
  }
  // A checkpoint written before positions were recorded: looked up once, over every leaf; the next
  // checkpoint records it.
  const row = await trx
    .selectFrom('leaf')
    .innerJoin('event', 'event.id', 'leaf.event_id')
    .select(['event.recorded_at', 'event.id'])
    .orderBy('event.recorded_at', 'desc')
    .orderBy('event.id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { treeSize, cursor: { recordedAt: row.recorded_at, id: row.id } };
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

/** The settled scan's slice: late events up to `bound`, and how far it has now checked. */
async function settledLate(trx: Trx, bound: LogPosition, limit: number, options: PendingOptions) {
  const from = options.lateCheckedThrough;
  const rowsMax = options.lateScanRowsMax ?? lateScanRowsDefault;
  const through = (await sliceEnd(trx, from, bound, rowsMax)) ?? bound;
  const events = await unanchored(trx, from, through, limit);
  const last = events.at(-1);
  // A full batch of late events stops the scan at the last one taken; else it checked all it had to.
  const reached = events.length === limit && last ? positionOfRow(last) : through;
  const checked = from !== null && comparePositions(from, reached) > 0 ? from : reached;
  return { events, checked };
}

/**
 * Late committers first (they sort before the newest anchored event), then fresh events after it:
 * at most batchEventsMax, in (recordedAt, id) order. Also how far the settled scan has now checked.
 */
export async function pendingEvents(trx: Trx, options: PendingOptions): Promise<PendingBatch> {
  const { treeSize, cursor } = await latestAnchored(trx);
  const { rows } = await sql<{ clock: Date }>`SELECT now() AS clock`.execute(trx);
  const clockMs = (rows[0]?.clock ?? new Date(0)).getTime();
  const freshThrough = startOf(clockMs - (options.freshLagMs ?? 0));
  let limit = options.batchEventsMax;
  if (cursor === null) {
    const events = await freshBetween(trx, null, freshThrough, limit);
    const last = events.at(-1);
    return { treeSize, events, lateCheckedThrough: null, anchoredThrough: last ? positionOfRow(last) : null };
  }
  const settleMs = options.lateSettleMs;
  const settled = earlier(startOf(clockMs - settleMs), cursor);
  const late = await settledLate(trx, settled, limit, options);
  limit -= late.events.length;
  const windowMs = Math.min(options.lateWindowMs ?? 0, settleMs);
  const recent =
    windowMs > 0 && limit > 0
      ? await unanchored(trx, later(settled, startOf(clockMs - windowMs)), cursor, limit)
      : [];
  limit -= recent.length;
  const fresh = limit > 0 ? await freshBetween(trx, cursor, freshThrough, limit) : [];
  const last = fresh.at(-1);
  return {
    treeSize,
    events: [...late.events, ...recent, ...fresh],
    lateCheckedThrough: late.checked,
    anchoredThrough: last ? positionOfRow(last) : cursor,
  };
}
