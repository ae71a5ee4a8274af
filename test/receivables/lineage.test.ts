import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../services/context.js';
import type { PageRequest } from '../../services/paging.js';
import {
  findReceivableLineage,
  findVisibleReceivable,
  listReceivablesByHolder,
  listReceivablesByObligor,
} from '../../services/receivables/receivable-query.service.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirm, issueInvoice, pay, transfer } from './support.js';

const t = useTestLedger();
let buyer: TestParty;
let tiers: TestParty[];
let stranger: TestParty;
let auditor: TestParty;
/** A 4-tier tree: root (tier 0) -> a (1) -> b (2) -> c (3), plus a sibling a2 (1) and b2 (2) under a. */
const ids = { invoice: '', root: '', a: '', a2: '', b: '', b2: '', c: '' };

const page = (fields: Partial<PageRequest<string>> = {}): PageRequest<string> => ({
  after: null,
  before: null,
  limit: 50,
  inverted: false,
  ...fields,
});

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tiers = [];
  for (let tier = 0; tier < 5; tier++) tiers.push(await t.newParty(['supplier'], { custodial: true }));
  stranger = await t.newParty(['supplier'], { custodial: true });
  auditor = await t.newParty(['auditor'], { custodial: true });
  const [t0, t1, t2, t3, t4] = tiers as [TestParty, TestParty, TestParty, TestParty, TestParty];
  ids.invoice = await issueInvoice(t, t0, buyer, { total: '1000.00', dueDate: '2025-04-10' });
  ids.root = await confirm(t, buyer, ids.invoice);
  ids.a = await transfer(t, t0, ids.root, t1, '600.00');
  ids.a2 = await transfer(t, t0, ids.root, t4, '100.00');
  ids.b = await transfer(t, t1, ids.a, t2, '300.00');
  ids.b2 = await transfer(t, t1, ids.a, t4, '50.00');
  ids.c = await transfer(t, t2, ids.b, t3, '120.00');
});

describe('findReceivableLineage', () => {
  it('returns the ancestors root first and every descendant in (tier, id) order', async () => {
    const lineage = await findReceivableLineage(t.ledger, tiers[1]?.actor ?? buyer.actor, ids.a);
    if (!lineage.ok) throw new Error(lineage.code);
    expect(lineage.value.receivable.id).toBe(ids.a);
    expect(lineage.value.ancestors.map((node) => node.id)).toEqual([ids.root]);
    expect(lineage.value.descendants.map((node) => node.id)).toEqual([...[ids.b, ids.b2].sort(), ids.c]);
    expect(lineage.value.descendants.map((node) => node.tier)).toEqual([2, 2, 3]);
  });

  it('walks from the deepest tier up to the root', async () => {
    const lineage = await findReceivableLineage(t.ledger, buyer.actor, ids.c);
    if (!lineage.ok) throw new Error(lineage.code);
    expect(lineage.value.ancestors.map((node) => node.id)).toEqual([ids.root, ids.a, ids.b]);
    expect(lineage.value.ancestors.map((node) => node.tier)).toEqual([0, 1, 2]);
    expect(lineage.value.descendants).toEqual([]);
  });

  it('shows the whole tree to the holder of any node, the obligor and an auditor', async () => {
    for (const viewer of [tiers[3], tiers[4], buyer, auditor]) {
      const lineage = await findReceivableLineage(t.ledger, viewer?.actor ?? buyer.actor, ids.root);
      expect(lineage).toMatchObject({ ok: true });
      if (lineage.ok) expect(lineage.value.descendants).toHaveLength(5);
    }
  });

  it('answers receivable_not_found to anyone else, as for a receivable that does not exist', async () => {
    expect(await findReceivableLineage(t.ledger, stranger.actor, ids.b)).toMatchObject({
      ok: false,
      code: 'receivable_not_found',
      field: 'receivableId',
    });
    expect(await findVisibleReceivable(t.ledger, stranger.actor, ids.root)).toMatchObject({
      ok: false,
      code: 'receivable_not_found',
    });
  });
});

describe('listing receivables', () => {
  it('lists what a party holds in id order, page by page', async () => {
    const holder = tiers[4] ?? buyer;
    const all = await listReceivablesByHolder(t.ledger, holder.actor, holder.party.id, page());
    expect(all.map((node) => node.id)).toEqual([ids.a2, ids.b2].sort());
    const first = await listReceivablesByHolder(t.ledger, holder.actor, holder.party.id, page({ limit: 1 }));
    const second = await listReceivablesByHolder(
      t.ledger,
      holder.actor,
      holder.party.id,
      page({ limit: 1, after: first[0]?.id ?? null }),
    );
    expect([...first, ...second].map((node) => node.id)).toEqual(all.map((node) => node.id));
  });

  it('lists what an obligor owes, and nothing of it to a stranger', async () => {
    const owed = await listReceivablesByObligor(t.ledger, buyer.actor, buyer.party.id, page());
    expect(owed).toHaveLength(6);
    expect(await listReceivablesByObligor(t.ledger, stranger.actor, buyer.party.id, page())).toEqual([]);
  });

  it('filters by effective status, OVERDUE by the same rule as effectiveStatus, grace days included', async () => {
    const graceTen: Ledger = { ...t.ledger, policy: { ...t.ledger.policy, overdueGraceDays: 10 } };
    const overdue = (ledger: Ledger, today: string) =>
      listReceivablesByObligor(ledger, auditor.actor, buyer.party.id, page(), { status: 'overdue', today });
    // Due 2025-04-10; the root and `a` passed everything on but their own remainder (300 and 250).
    expect(await overdue(t.ledger, '2025-04-10')).toEqual([]);
    const dayAfter = await overdue(t.ledger, '2025-04-11');
    expect(dayAfter).toHaveLength(6);
    expect(dayAfter.every((node) => node.effectiveStatus === 'overdue')).toBe(true);
    expect(await overdue(graceTen, '2025-04-20')).toEqual([]);
    expect(await overdue(graceTen, '2025-04-21')).toHaveLength(6);
    const open = await listReceivablesByObligor(t.ledger, auditor.actor, buyer.party.id, page(), {
      status: 'open',
      today: '2025-04-11',
    });
    expect(open).toEqual([]);
  });

  it('reads a fully paid tree as SETTLED and never OVERDUE', async () => {
    const [t0, t1] = tiers as [TestParty, TestParty];
    const invoiceId = await issueInvoice(t, t0, buyer, { total: '10.00', dueDate: '2025-04-10' });
    const rootId = await confirm(t, buyer, invoiceId);
    await transfer(t, t0, rootId, t1, '10.00');
    await pay(t, buyer, invoiceId, '10.00');
    const lineage = await findReceivableLineage(t.ledger, t1.actor, rootId, { today: '2026-01-01' });
    if (!lineage.ok) throw new Error(lineage.code);
    expect(
      [lineage.value.receivable, ...lineage.value.descendants].map((node) => node.effectiveStatus),
    ).toEqual(['settled', 'settled']);
  });
});
