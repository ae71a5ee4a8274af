import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFact } from '../../services/events/fact.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirm, invoiceStatus, issueInvoice, record, recorded, snapshotAll, treeOf } from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let stranger: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  stranger = await t.newParty(['supplier'], { custodial: true });
});

describe('invoice.confirmed', () => {
  it('confirms the invoice and creates the tier-0 receivable held by the seller', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '1250.50', dueDate: '2025-05-01' });
    const receivableId = randomUUID();
    const { event } = await recorded(t, buyer, 'invoice.confirmed', { invoiceId, receivableId });
    expect(await invoiceStatus(t, invoiceId)).toBe('confirmed');
    expect(await treeOf(t, invoiceId)).toEqual([
      expect.objectContaining({
        id: receivableId,
        rootId: receivableId,
        parentId: null,
        tier: 0,
        obligorPartyId: buyer.party.id,
        holderPartyId: seller.party.id,
        currency: 'CNY',
        faceMinor: 125_050n,
        outstandingMinor: 125_050n,
        dueDate: '2025-05-01',
        status: 'open',
        onHold: false,
        createdEventId: event.id,
      }),
    ]);
    expect(event.counterpartyPartyId).toBe(seller.party.id);
    const invoiceEvent = await t.owner.db
      .selectFrom('trade_document')
      .innerJoin('event', 'event.id', 'trade_document.event_id')
      .select('event.event_hash')
      .where('trade_document.id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.statement.toString('utf8')).refs).toEqual([
      invoiceEvent.event_hash.toString('hex'),
    ]);
  });

  it('answers a replay under the same idempotency key with the first event and one receivable', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer);
    const payload = { invoiceId, receivableId: randomUUID() };
    const key = freshKey('confirm');
    const first = await recordFact(t.ledger, buyer.actor, 'invoice.confirmed', payload, key);
    const again = await recordFact(t.ledger, buyer.actor, 'invoice.confirmed', payload, key);
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await treeOf(t, invoiceId)).toHaveLength(1);
  });
});

type Case = [name: string, code: string, field: string, build: () => Promise<[TestParty, unknown]>];

const failures: Case[] = [
  [
    'an invoiceId that is not a UUID',
    'invalid_input',
    'invoiceId',
    async () => [buyer, { invoiceId: 'INV-1', receivableId: randomUUID() }],
  ],
  [
    'an unknown field',
    'invalid_input',
    '',
    async () => [buyer, { invoiceId: randomUUID(), receivableId: randomUUID(), note: 'x' }],
  ],
  [
    'an invoice that does not exist',
    'invoice_not_found',
    'invoiceId',
    async () => [buyer, { invoiceId: randomUUID(), receivableId: randomUUID() }],
  ],
  [
    'a confirmation by the seller',
    'forbidden',
    'invoiceId',
    async () => [seller, { invoiceId: await issueInvoice(t, seller, buyer), receivableId: randomUUID() }],
  ],
  [
    'a confirmation by a stranger',
    'forbidden',
    'invoiceId',
    async () => [stranger, { invoiceId: await issueInvoice(t, seller, buyer), receivableId: randomUUID() }],
  ],
  [
    'a second confirmation',
    'invoice_already_confirmed',
    'invoiceId',
    async () => {
      const invoiceId = await issueInvoice(t, seller, buyer);
      await confirm(t, buyer, invoiceId);
      return [buyer, { invoiceId, receivableId: randomUUID() }];
    },
  ],
  [
    'a cancelled invoice',
    'invoice_cancelled',
    'invoiceId',
    async () => {
      const invoiceId = await issueInvoice(t, seller, buyer);
      await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'wrong goods' });
      return [buyer, { invoiceId, receivableId: randomUUID() }];
    },
  ],
  [
    'a receivableId that is taken',
    'invalid_input',
    'receivableId',
    async () => {
      const taken = await confirm(t, buyer, await issueInvoice(t, seller, buyer));
      return [buyer, { invoiceId: await issueInvoice(t, seller, buyer), receivableId: taken }];
    },
  ],
];

describe('invoice.confirmed rejections', () => {
  it.each(failures)('rejects %s with %s on "%s" and writes nothing', async (_name, code, field, build) => {
    const [actor, payload] = await build();
    const before = await snapshotAll(t);
    const result = await record(t, actor, 'invoice.confirmed', payload);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.field ?? '').toBe(field);
    expect(await snapshotAll(t)).toBe(before);
  });
});
