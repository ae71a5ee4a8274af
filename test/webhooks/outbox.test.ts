/**
 * The outbox is written in the transaction of the fact it reports: a committed fact has its rows, a
 * fact whose outbox write fails is not recorded either, and a transaction that rolls back (or is
 * retried) after writing the outbox leaves no row of that attempt.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../services/db/transaction.js';
import { enqueueNotices } from '../../services/webhooks/outbox.js';
import type { Notice } from '../../services/webhooks/webhook.js';
import { confirm, issueInvoice, record, transfer } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { outboxOf, type RegisteredHook, register } from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let receivers: Array<TestParty & { hook: RegisteredHook }>;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  receivers = [];
  for (let index = 0; index < 6; index++) {
    const party = await t.newParty(['supplier'], { custodial: true });
    // Nothing listens there: these tests run no dispatcher.
    receivers.push({
      ...party,
      hook: await register(t, party, 'http://127.0.0.1:9/none', ['receivable_received']),
    });
  }
});

function noticeFor(partyId: string, key: string): Notice {
  return { partyId, type: 'receivable_received', key, occurredAt: new Date(), data: { note: key } };
}

async function rowsWithKey(key: string) {
  return t.owner.db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('dedupe_key', '=', `receivable_received:${key}`)
    .execute();
}

describe('the outbox', () => {
  it('holds, once the fact is recorded, one pending row for each webhook the fact concerns', async () => {
    const [first] = receivers;
    if (!first) throw new Error('no receiver');
    const invoiceId = await issueInvoice(t, seller, buyer);
    const rootId = await confirm(t, buyer, invoiceId);
    const childId = await transfer(t, seller, rootId, first, '10.00');
    const rows = await outboxOf(t, first.hook.id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const event = await t.owner.db
      .selectFrom('event')
      .select('id')
      .where('kind', '=', 'receivable.transferred')
      .where('counterparty_party_id', '=', first.party.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 0n,
      party_id: first.party.id,
      dedupe_key: `receivable_received:${event.id}`,
    });
    expect(JSON.parse(row?.body ?? '')).toMatchObject({
      id: row?.id,
      type: 'RECEIVABLE_RECEIVED',
      data: { receivableId: childId, eventId: event.id },
    });
  });

  it('refuses the fact when its outbox row cannot be written: neither is recorded', async () => {
    const [, second] = receivers;
    if (!second) throw new Error('no receiver');
    const invoiceId = await issueInvoice(t, seller, buyer);
    const rootId = await confirm(t, buyer, invoiceId);
    // Only in this test's database: a constraint that refuses one particular delivery body.
    await sql`ALTER TABLE webhook_delivery ADD CONSTRAINT test_refuse_one CHECK (body NOT LIKE '%13.13%')`.execute(
      t.owner.db,
    );
    try {
      const before = await t.snapshot();
      await expect(
        record(t, seller, 'receivable.transferred', {
          receivableId: rootId,
          toPartyId: second.party.id,
          amount: '13.13',
          childReceivableId: randomUUID(),
        }),
      ).rejects.toThrow(/test_refuse_one/);
      expect(await t.snapshot()).toBe(before);
    } finally {
      await sql`ALTER TABLE webhook_delivery DROP CONSTRAINT test_refuse_one`.execute(t.owner.db);
    }
  });

  it('keeps no row of a transaction that rolled back after writing it', async () => {
    const [, , third] = receivers;
    if (!third) throw new Error('no receiver');
    const key = randomUUID();
    await expect(
      inTransaction(t.app.db, async (trx) => {
        expect(await enqueueNotices(trx, [noticeFor(third.party.id, key)])).toBe(1);
        throw new Error('the fact failed after its notices were written');
      }),
    ).rejects.toThrow(/after its notices/);
    expect(await rowsWithKey(key)).toEqual([]);
  });

  it('keeps exactly the last attempt’s row when a transaction is retried after writing it', async () => {
    const [, , third] = receivers;
    if (!third) throw new Error('no receiver');
    const key = randomUUID();
    const written: string[] = [];
    let attempts = 0;
    await inTransaction(t.app.db, async (trx) => {
      attempts += 1;
      await enqueueNotices(trx, [noticeFor(third.party.id, key)]);
      const [row] = await trx
        .selectFrom('webhook_delivery')
        .select('id')
        .where('dedupe_key', '=', `receivable_received:${key}`)
        .execute();
      written.push(row?.id ?? '');
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    });
    expect(attempts).toBe(2);
    expect((await rowsWithKey(key)).map((row) => row.id)).toEqual([written[1]]);
  });

  it('holds one row per recorded fact, and none without its fact, under concurrent transfers of one receivable', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '600.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    const outcomes = await Promise.all(
      receivers.map((receiver) =>
        record(t, seller, 'receivable.transferred', {
          receivableId: rootId,
          toPartyId: receiver.party.id,
          amount: '50.00',
          childReceivableId: randomUUID(),
        }),
      ),
    );
    const recorded = new Set(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value.event.id] : [])));
    expect(recorded.size).toBe(receivers.length);
    const rows = await t.owner.db
      .selectFrom('webhook_delivery')
      .select(['body', 'party_id'])
      .where(
        'webhook_id',
        'in',
        receivers.map((receiver) => receiver.hook.id),
      )
      .execute();
    const ofThisInvoice = rows
      .map((row) => JSON.parse(row.body).data)
      .filter((data) => data.invoiceId === invoiceId)
      .map((data) => data.eventId as string);
    expect(ofThisInvoice.sort()).toEqual([...recorded].sort());
  });
});
