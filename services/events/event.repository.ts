import { type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, EventTable } from '../../schema/database.js';
import { activeBuffer, bufferRow } from '../db/insert-buffer.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { LedgerEvent } from './event.js';

function toEvent(row: Selectable<EventTable>): LedgerEvent {
  return {
    id: row.id,
    kind: row.kind,
    actorPartyId: row.actor_party_id,
    counterpartyPartyId: row.counterparty_party_id,
    keyId: row.key_id,
    custodial: row.custodial,
    idempotencyKey: row.idempotency_key,
    statement: row.statement,
    eventHash: row.event_hash,
    signature: row.signature,
    payload: row.payload,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}

export async function findEventByIdempotencyKey(
  trx: Trx,
  actorPartyId: string,
  idempotencyKey: string,
): Promise<{ event: LedgerEvent; requestHash: Buffer } | undefined> {
  const row = await trx
    .selectFrom('event')
    .selectAll()
    .where('actor_party_id', '=', actorPartyId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row && { event: toEvent(row), requestHash: row.request_hash };
}

/** Which of `idempotencyKeys` the actor has used already: one read for a batch. */
export async function usedIdempotencyKeys(
  db: Db | Trx,
  actorPartyId: string,
  idempotencyKeys: readonly string[],
): Promise<Set<string>> {
  if (idempotencyKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom('event')
    .select('idempotency_key')
    .where('actor_party_id', '=', actorPartyId)
    .where('idempotency_key', 'in', idempotencyKeys)
    .execute();
  return new Set(rows.map((row) => row.idempotency_key));
}

/** Which of `hashes` name recorded events. */
export async function existingEventHashes(trx: Trx, hashes: readonly Buffer[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await trx.selectFrom('event').select('event_hash').where('event_hash', 'in', hashes).execute();
  return new Set(rows.map((row) => row.event_hash.toString('hex')));
}

export interface NewEvent extends Omit<LedgerEvent, 'recordedAt'> {
  requestHash: Buffer;
}

export async function insertEvent(trx: Trx, event: NewEvent): Promise<LedgerEvent> {
  const values = {
    id: event.id,
    kind: event.kind,
    actor_party_id: event.actorPartyId,
    counterparty_party_id: event.counterpartyPartyId,
    key_id: event.keyId,
    custodial: event.custodial,
    idempotency_key: event.idempotencyKey,
    request_hash: event.requestHash,
    statement: event.statement,
    event_hash: event.eventHash,
    signature: event.signature,
    payload: JSON.stringify(event.payload),
    occurred_at: event.occurredAt,
  };
  const buffer = activeBuffer(trx);
  if (buffer) {
    // recorded_at as its column default computes it: the transaction's timestamp to the millisecond.
    const row = { ...values, recorded_at: buffer.now };
    bufferRow(buffer, 'event', row);
    return toEvent({ ...row, payload: JSON.parse(values.payload) });
  }
  const row = await trx.insertInto('event').values(values).returningAll().executeTakeFirstOrThrow();
  return toEvent(row);
}

function visibleEvents(db: Db | Trx, viewerPartyId: string | null) {
  const events = db.selectFrom('event');
  if (viewerPartyId === null) return events;
  return events.where((eb) =>
    eb.or([eb('actor_party_id', '=', viewerPartyId), eb('counterparty_party_id', '=', viewerPartyId)]),
  );
}

/** How many events listEvents pages through for this viewer. */
export async function countEvents(db: Db | Trx, viewerPartyId: string | null): Promise<number> {
  const row = await visibleEvents(db, viewerPartyId)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface EventCursor {
  recordedAt: Date;
  id: string;
}

/**
 * Keyset page in (recorded_at, id) order of the events a viewer may see: its own (as actor or
 * counterparty), or all of them when `viewerPartyId` is null. recorded_at has millisecond precision
 * (see the migration), so a cursor carried through a JavaScript Date is exact.
 *
 * A party's page is two ordered index reads of at most `limit` rows each, merged: its events as actor
 * (event_actor_recorded) and those naming it as counterparty that it did not also state
 * (event_counterparty_recorded). One OR over both columns would read and sort every event of the
 * party for every page.
 */
export async function listEvents(
  db: Db | Trx,
  viewerPartyId: string | null,
  page: PageRequest<EventCursor>,
): Promise<LedgerEvent[]> {
  const direction = page.inverted ? 'desc' : 'asc';
  const { after, before } = page;
  const inPage = <Query extends SelectQueryBuilder<Database, 'event', Selectable<EventTable>>>(
    query: Query,
  ) => {
    let paged = query.orderBy('recorded_at', direction).orderBy('id', direction).limit(page.limit);
    if (after !== null)
      paged = paged.where(
        sql<boolean>`(recorded_at, id) > (${after.recordedAt}::TIMESTAMPTZ, ${after.id}::UUID)`,
      );
    if (before !== null)
      paged = paged.where(
        sql<boolean>`(recorded_at, id) < (${before.recordedAt}::TIMESTAMPTZ, ${before.id}::UUID)`,
      );
    return paged;
  };
  if (viewerPartyId === null)
    return (await inPage(db.selectFrom('event').selectAll()).execute()).map(toEvent);
  const asActor = inPage(db.selectFrom('event').selectAll().where('actor_party_id', '=', viewerPartyId));
  const asCounterparty = inPage(
    db
      .selectFrom('event')
      .selectAll()
      .where('counterparty_party_id', '=', viewerPartyId)
      .where('actor_party_id', '<>', viewerPartyId),
  );
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom(asActor.as('as_actor'))
        .selectAll()
        .unionAll(eb.selectFrom(asCounterparty.as('as_counterparty')).selectAll())
        .as('event'),
    )
    .selectAll()
    .orderBy('recorded_at', direction)
    .orderBy('id', direction)
    .limit(page.limit)
    .execute();
  return rows.map(toEvent);
}

export async function findEventsByIds(db: Db | Trx, ids: readonly string[]): Promise<LedgerEvent[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('event').selectAll().where('id', 'in', ids).execute()).map(toEvent);
}
