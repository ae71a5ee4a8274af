/**
 * Concurrency on one receivable and on one idempotency key, with the production retry policy: the
 * contended row is taken FOR UPDATE, so concurrent transfers queue instead of exhausting their
 * retries, and two first submits under one key end as one write and one replay.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRetryPolicy } from '../../services/db/transaction.js';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirm, issueInvoice, record, treeOf } from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
const receivers: TestParty[] = [];

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  for (let index = 0; index < 8; index++) receivers.push(await t.newParty(['supplier'], { custodial: true }));
});

describe('contention', () => {
  it('lets 8 concurrent transfers of one receivable all succeed, conserving its face', async () => {
    expect(defaultRetryPolicy.attemptsMax).toBe(12);
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '800.00' });
    const rootId = await confirm(t, buyer, invoiceId);
    const results = await Promise.all(
      receivers.map((receiver) =>
        record(t, seller, 'receivable.transferred', {
          receivableId: rootId,
          toPartyId: receiver.party.id,
          amount: '100.00',
          childReceivableId: randomUUID(),
        }),
      ),
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.code))).toEqual(Array(8).fill('ok'));
    const [root, ...children] = await treeOf(t, invoiceId);
    expect(root).toMatchObject({ transferredMinor: 80_000n, outstandingMinor: 0n });
    expect(children.map((child) => child.faceMinor)).toEqual(Array(8).fill(10_000n));
  });

  it('ends two concurrent first submits of one statement as one write and one replay', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '50.00' });
    const prepared = await prepareFact(
      t.ledger,
      buyer.actor,
      'invoice.confirmed',
      { invoiceId, receivableId: randomUUID() },
      freshKey('confirm'),
    );
    if (!prepared.ok) throw new Error(prepared.message);
    const submits = await Promise.all(
      [1, 2, 3, 4].map(() => submitFact(t.ledger, buyer.actor, prepared.value.statement, null)),
    );
    const outcomes = submits.map((result) => (result.ok ? result.value.replayed : result.code));
    expect(outcomes.filter((outcome) => outcome === false)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === true)).toHaveLength(3);
    const ids = new Set(submits.map((result) => (result.ok ? result.value.event.id : null)));
    expect(ids.size).toBe(1);
    expect(await treeOf(t, invoiceId)).toHaveLength(1);
  });

  it('ends concurrent registry requests under one idempotency key as one API key and replays', async () => {
    const idempotencyKey = freshKey('api-key');
    const created = await Promise.all(
      [1, 2, 3, 4].map(() =>
        createApiKey(t.ledger, seller.actor, {
          partyId: seller.party.id,
          label: 'concurrent',
          idempotencyKey,
        }),
      ),
    );
    const outcomes = created.map((result) => (result.ok ? result.value.replayed : result.code));
    expect(outcomes.filter((outcome) => outcome === false)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === true)).toHaveLength(3);
    const rows = await t.owner.db
      .selectFrom('api_key')
      .select('id')
      .where('party_id', '=', seller.party.id)
      .where('label', '=', 'concurrent')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
