import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  confirm,
  issueInvoice,
  pay,
  receivableById,
  record,
  recorded,
  snapshotAll,
  transfer,
  treeOf,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let tier1: TestParty;
let tier2: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tier1 = await t.newParty(['supplier'], { custodial: true });
  tier2 = await t.newParty(['supplier'], { custodial: true });
});

async function confirmedRoot(total = '300.00'): Promise<{ invoiceId: string; rootId: string }> {
  const invoiceId = await issueInvoice(t, seller, buyer, { total });
  return { invoiceId, rootId: await confirm(t, buyer, invoiceId) };
}

describe('receivable.transferred', () => {
  it('splits the receivable: the remainder stays, the part passed on is a child one tier down', async () => {
    const { invoiceId, rootId } = await confirmedRoot('1000.00');
    const childId = await transfer(t, seller, rootId, tier1, '400.25');
    const grandchildId = await transfer(t, tier1, childId, tier2, '0.25');
    const [root, child, grandchild] = await treeOf(t, invoiceId);
    expect(root).toMatchObject({
      id: rootId,
      faceMinor: 100_000n,
      transferredMinor: 40_025n,
      outstandingMinor: 59_975n,
    });
    expect(child).toMatchObject({
      id: childId,
      parentId: rootId,
      rootId,
      tier: 1,
      holderPartyId: tier1.party.id,
      obligorPartyId: buyer.party.id,
      faceMinor: 40_025n,
      transferredMinor: 25n,
      outstandingMinor: 40_000n,
      dueDate: root?.dueDate,
      currency: 'CNY',
      invoiceId,
      status: 'open',
    });
    expect(grandchild).toMatchObject({
      id: grandchildId,
      parentId: childId,
      rootId,
      tier: 2,
      faceMinor: 25n,
    });
  });

  it('names the receiver as counterparty and the receivable creation event among its refs', async () => {
    const { rootId } = await confirmedRoot();
    const root = await receivableById(t, rootId);
    const { event } = await recorded(t, seller, 'receivable.transferred', {
      receivableId: rootId,
      toPartyId: tier1.party.id,
      amount: '300.00',
      childReceivableId: randomUUID(),
    });
    expect(event.counterpartyPartyId).toBe(tier1.party.id);
    const created = await t.owner.db
      .selectFrom('event')
      .select('event_hash')
      .where('id', '=', root.createdEventId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.statement.toString('utf8')).refs).toEqual([created.event_hash.toString('hex')]);
    expect(await receivableById(t, rootId)).toMatchObject({
      outstandingMinor: 0n,
      transferredMinor: 30_000n,
    });
  });
});

type Build = () => Promise<{ actor: TestParty; payload: Record<string, unknown> }>;

/** A transfer of `amount` from the seller's fresh root to tier1, with `change` applied. */
function fromRoot(
  change: (payload: Record<string, unknown>) => Record<string, unknown> = (payload) => payload,
  prepare: (ids: { invoiceId: string; rootId: string }) => Promise<void> = async () => {},
  actor: () => TestParty = () => seller,
): Build {
  return async () => {
    const ids = await confirmedRoot();
    await prepare(ids);
    const payload = {
      receivableId: ids.rootId,
      toPartyId: tier1.party.id,
      amount: '100.00',
      childReceivableId: randomUUID(),
    };
    return { actor: actor(), payload: change(payload) };
  };
}

/**
 * The obligor of a receivable tries to pass it on. It is a supplier buying from its own supplier, so
 * its role lets it transfer receivables (a core enterprise is refused by role: test/authorization).
 */
const byObligor: Build = async () => {
  const invoiceId = await issueInvoice(t, tier1, seller);
  const rootId = await confirm(t, seller, invoiceId);
  const payload = { receivableId: rootId, toPartyId: tier2.party.id, amount: '100.00' };
  return { actor: seller, payload: { ...payload, childReceivableId: randomUUID() } };
};

const failures: Array<[name: string, code: string, field: string, build: Build]> = [
  ['an amount that is not a decimal', 'invalid_input', 'amount', fromRoot((p) => ({ ...p, amount: '1e3' }))],
  ['an amount of zero', 'invalid_input', 'amount', fromRoot((p) => ({ ...p, amount: '0.00' }))],
  [
    'an amount with three decimals in CNY',
    'invalid_input',
    'amount',
    fromRoot((p) => ({ ...p, amount: '1.005' })),
  ],
  [
    'a receivable that does not exist',
    'receivable_not_found',
    'receivableId',
    fromRoot((p) => ({ ...p, receivableId: randomUUID() })),
  ],
  [
    'a transfer by someone who is not the holder',
    'forbidden',
    'receivableId',
    fromRoot(undefined, undefined, () => tier1),
  ],
  ['a transfer by the obligor', 'forbidden', 'receivableId', byObligor],
  [
    'a transfer to the holder itself',
    'invalid_input',
    'toPartyId',
    fromRoot((p) => ({ ...p, toPartyId: seller.party.id })),
  ],
  [
    'a child id that is taken',
    'invalid_input',
    'childReceivableId',
    fromRoot((p) => ({ ...p, childReceivableId: p.receivableId })),
  ],
  [
    'more than is outstanding',
    'amount_exceeds_outstanding',
    'amount',
    fromRoot((p) => ({ ...p, amount: '300.01' })),
  ],
  [
    'more than the remainder after an earlier split',
    'amount_exceeds_outstanding',
    'amount',
    fromRoot(undefined, async ({ rootId }) => void (await transfer(t, seller, rootId, tier2, '250.00'))),
  ],
  [
    'a receiver that is not registered',
    'counterparty_not_found',
    'toPartyId',
    fromRoot((p) => ({ ...p, toPartyId: randomUUID() })),
  ],
  [
    'a receivable on hold',
    'receivable_on_hold',
    'receivableId',
    fromRoot(
      undefined,
      async ({ invoiceId }) =>
        void (await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'dispute' })),
    ),
  ],
  [
    'a receivable under financing',
    'receivable_under_financing',
    'receivableId',
    fromRoot(undefined, async ({ rootId }) => {
      await t.owner.db
        .updateTable('receivable')
        .set({ financing_id: randomUUID() })
        .where('id', '=', rootId)
        .execute();
    }),
  ],
  [
    'a settled receivable',
    'receivable_settled',
    'receivableId',
    fromRoot(undefined, async ({ invoiceId }) => void (await pay(t, buyer, invoiceId, '300.00'))),
  ],
  [
    'a defaulted receivable',
    'receivable_defaulted',
    'receivableId',
    fromRoot(
      undefined,
      async ({ invoiceId }) =>
        void (await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'insolvent' })),
    ),
  ],
];

describe('receivable.transferred rejections', () => {
  it.each(failures)('rejects %s with %s on %s and writes nothing', async (_name, code, field, build) => {
    const { actor, payload } = await build();
    const before = await snapshotAll(t);
    const result = await record(t, actor, 'receivable.transferred', payload);
    expect(result).toMatchObject({ ok: false, code, field });
    expect(await snapshotAll(t)).toBe(before);
  });
});

describe('receivable.transferred at submit time', () => {
  it('checks again when the signed statement is submitted: a hold placed in between rejects it', async () => {
    const { invoiceId, rootId } = await confirmedRoot();
    const prepared = await prepareFact(
      t.ledger,
      seller.actor,
      'receivable.transferred',
      { receivableId: rootId, toPartyId: tier1.party.id, amount: '10.00', childReceivableId: randomUUID() },
      freshKey('transfer'),
    );
    if (!prepared.ok) throw new Error(prepared.code);
    await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'dispute' });
    const before = await snapshotAll(t);
    const submitted = await submitFact(t.ledger, seller.actor, prepared.value.statement, null);
    expect(submitted).toMatchObject({ ok: false, code: 'receivable_on_hold' });
    expect(await snapshotAll(t)).toBe(before);
  });

  it('lets only one of two concurrent transfers of the whole outstanding amount through', async () => {
    const { invoiceId, rootId } = await confirmedRoot();
    const attempt = (to: TestParty) =>
      record(t, seller, 'receivable.transferred', {
        receivableId: rootId,
        toPartyId: to.party.id,
        amount: '300.00',
        childReceivableId: randomUUID(),
      });
    const results = await Promise.all([attempt(tier1), attempt(tier2)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ code: 'amount_exceeds_outstanding' });
    const tree = await treeOf(t, invoiceId);
    expect(tree).toHaveLength(2);
    expect(tree[0]).toMatchObject({ transferredMinor: 30_000n, outstandingMinor: 0n });
  });
});
