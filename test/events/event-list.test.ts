/**
 * A party's event list is read as two ordered index scans (as actor, as counterparty) merged; pages
 * must still hold every event the party may see exactly once, in (recordedAt, id) order, either way.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes, sha256 } from '../../services/crypto/index.js';
import type { LedgerEvent } from '../../services/events/event.js';
import { type EventCursor, listEvents } from '../../services/events/event.repository.js';
import type { PageRequest } from '../../services/paging.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let first: TestParty;
let second: TestParty;
let third: TestParty;

/** An event written directly (signature zeros: paging reads no signature), at a chosen instant. */
async function insertEvent(actor: TestParty, counterparty: TestParty | null, recordedAt: string) {
  const key = await ledger.owner.db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', actor.party.id)
    .executeTakeFirstOrThrow();
  const statement = canonicalBytes({ kind: 'test.listed', id: randomUUID() });
  const hash = sha256(statement);
  await sql`INSERT INTO event (id, kind, actor_party_id, counterparty_party_id, key_id, custodial,
      idempotency_key, request_hash, statement, event_hash, signature, payload, occurred_at, recorded_at)
    VALUES (${randomUUID()}::UUID, 'test.listed', ${actor.party.id}::UUID, ${counterparty?.party.id ?? null}::UUID,
      ${key.key_id}, false, ${randomUUID()}, ${hash}, ${statement}, ${hash}, ${Buffer.alloc(64)},
      '{}'::JSONB, now(), ${recordedAt}::TIMESTAMPTZ)`.execute(ledger.owner.db);
}

/** What the party may see, by the plain definition: actor or counterparty, in (recorded_at, id) order. */
async function expectedIds(partyId: string): Promise<string[]> {
  const rows = await ledger.owner.db
    .selectFrom('event')
    .select('id')
    .where((eb) => eb.or([eb('actor_party_id', '=', partyId), eb('counterparty_party_id', '=', partyId)]))
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

async function everyPage(viewer: string | null, limit: number, inverted = false): Promise<LedgerEvent[]> {
  const seen: LedgerEvent[] = [];
  let cursor: EventCursor | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const page: PageRequest<EventCursor> = inverted
      ? { after: null, before: cursor, limit, inverted }
      : { after: cursor, before: null, limit, inverted };
    const events = await listEvents(ledger.app.db, viewer, page);
    seen.push(...events);
    const last = events.at(-1);
    if (events.length < limit || !last) return seen;
    cursor = { recordedAt: last.recordedAt, id: last.id };
  }
  throw new Error('paging did not end');
}

beforeAll(async () => {
  [first, second, third] = await Promise.all([
    ledger.newParty(['supplier']),
    ledger.newParty(['core_enterprise']),
    ledger.newParty(['lender']),
  ]);
  // Ties on recorded_at (one instant, several events) and each way a party can be named.
  const instants = ['2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.002Z', '2026-01-01T00:00:00.002Z'];
  for (const at of instants) {
    await insertEvent(first, second, at);
    await insertEvent(second, first, at);
    await insertEvent(first, null, at);
    await insertEvent(first, first, at);
    await insertEvent(third, first, at);
    await insertEvent(third, second, at);
  }
});

describe('listEvents', () => {
  it('gives a party its events as actor and as counterparty, each once, in (recordedAt, id) order', async () => {
    const expected = await expectedIds(first.party.id);
    expect(expected.length).toBeGreaterThanOrEqual(15);
    for (const limit of [1, 2, 5, 100]) {
      const forward = await everyPage(first.party.id, limit);
      expect(forward.map((event) => event.id)).toEqual(expected);
      const backward = await everyPage(first.party.id, limit, true);
      expect(backward.map((event) => event.id)).toEqual([...expected].reverse());
    }
  });

  it('gives no party an event it is not named in', async () => {
    const seen = await everyPage(second.party.id, 4);
    expect(seen.map((event) => event.id)).toEqual(await expectedIds(second.party.id));
    expect(
      seen.every((event) => [event.actorPartyId, event.counterpartyPartyId].includes(second.party.id)),
    ).toBe(true);
  });

  it('gives an unrestricted viewer every event in order', async () => {
    const all = await ledger.owner.db
      .selectFrom('event')
      .select('id')
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    expect((await everyPage(null, 7)).map((event) => event.id)).toEqual(all.map((row) => row.id));
  });
});
