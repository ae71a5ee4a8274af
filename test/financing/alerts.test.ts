/**
 * The post-funding watch: a cancellation, a credit note or a default on an invoice after a financing
 * on one of its receivables was disbursed raises an alert for that financing's lender, in `alerts`
 * and as a FINANCING_ALERT webhook notice; before disbursement nothing is raised, and no other lender
 * sees anyone else's alerts. Financings are written by SQL (test/receivables/financing-by-sql.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { financingAlertsOf } from '../../services/financing/financing-alert.service.js';
import { insertFinancing } from '../receivables/financing-by-sql.js';
import { confirm, creditNote, issueInvoice, recorded, transfer } from '../receivables/support.js';
import { type TestLedger, type TestParty, useTestLedger } from '../support/ledger.js';
import { outboxOf, type RegisteredHook, register } from '../webhooks/support.js';

const t: TestLedger = useTestLedger();
const page = { after: null, before: null, limit: 100, inverted: false };

let buyer: TestParty;
let seller: TestParty;
let lender: TestParty;
let otherLender: TestParty;
let auditor: TestParty;
let lenderHook: RegisteredHook;
let otherHook: RegisteredHook;

/** A confirmed invoice whose root has a part of 100.00 passed to `lender` and financed by it. */
async function financedInvoice(status: 'accepted' | 'disbursed' = 'disbursed') {
  const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
  const rootId = await confirm(t, buyer, invoiceId);
  const childId = await transfer(t, seller, rootId, lender, '100.00');
  const financingId = await insertFinancing(t, {
    receivableId: rootId,
    lenderPartyId: lender.party.id,
    amountMinor: 10000n,
    status,
    ...(status === 'disbursed' ? { childReceivableId: childId } : {}),
  });
  // Another lender asked for the same root has only an accepted offer: nothing paid out.
  await insertFinancing(t, {
    receivableId: childId,
    lenderPartyId: otherLender.party.id,
    amountMinor: 5000n,
    status: 'accepted',
  });
  return { invoiceId, rootId, childId, financingId };
}

function alertRows(financingId: string) {
  return t.owner.db
    .selectFrom('financing_alert')
    .selectAll()
    .where('financing_id', '=', financingId)
    .execute();
}

async function noticesFor(hook: RegisteredHook, financingId: string) {
  const rows = await outboxOf(t, hook.id);
  return rows
    .filter((row) => row.event_type === 'financing_alert')
    .map((row) => JSON.parse(row.body))
    .filter((body) => body.data.financingId === financingId);
}

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
  // The lender holds its part by an ordinary transfer here, so it is a supplier too.
  lender = await t.newParty(['lender', 'supplier'], { custodial: true });
  otherLender = await t.newParty(['lender', 'supplier'], { custodial: true });
  auditor = await t.newParty(['auditor']);
  lenderHook = await register(t, lender, 'http://127.0.0.1:9/lender', ['financing_alert']);
  otherHook = await register(t, otherLender, 'http://127.0.0.1:9/other', ['financing_alert']);
});

describe('post-funding alerts', () => {
  it('raises one on a cancellation after disbursement, with a notice to the lender only', async () => {
    const { invoiceId, rootId, childId, financingId } = await financedInvoice();
    const { event } = await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'wrong buyer' });
    expect(await alertRows(financingId)).toMatchObject([
      { kind: 'invoice_cancelled', lender_party_id: lender.party.id, event_id: event.id },
    ]);
    const [notice, ...more] = await noticesFor(lenderHook, financingId);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({
      type: 'FINANCING_ALERT',
      data: {
        kind: 'INVOICE_CANCELLED',
        financingId,
        invoiceId,
        receivableId: rootId,
        lenderReceivableId: childId,
        eventId: event.id,
        eventKind: 'invoice.cancelled',
      },
    });
    expect(await noticesFor(otherHook, financingId)).toEqual([]);
  });

  it('raises one on a credit note after disbursement', async () => {
    const { invoiceId, financingId } = await financedInvoice();
    await recorded(t, seller, 'credit_note.issued', creditNote(invoiceId, '20.00'));
    expect(await alertRows(financingId)).toMatchObject([{ kind: 'credit_note_issued' }]);
    expect(await noticesFor(lenderHook, financingId)).toMatchObject([
      { data: { kind: 'CREDIT_NOTE_ISSUED' } },
    ]);
  });

  it('raises one on a default after disbursement', async () => {
    const { invoiceId, financingId } = await financedInvoice();
    await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'insolvent' });
    expect(await alertRows(financingId)).toMatchObject([{ kind: 'defaulted' }]);
    expect(await noticesFor(lenderHook, financingId)).toMatchObject([{ data: { kind: 'DEFAULTED' } }]);
  });

  it('raises nothing before disbursement', async () => {
    const { invoiceId, financingId } = await financedInvoice('accepted');
    await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'wrong buyer' });
    expect(await alertRows(financingId)).toEqual([]);
    expect(await noticesFor(lenderHook, financingId)).toEqual([]);
  });
});

describe('reading alerts', () => {
  it('shows a lender its own alerts, another lender none, an auditor all', async () => {
    const own = await financingAlertsOf(t.ledger, lender.actor, page);
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(own.every((alert) => alert.lenderPartyId === lender.party.id)).toBe(true);
    expect(await financingAlertsOf(t.ledger, otherLender.actor, page)).toEqual([]);
    expect(await financingAlertsOf(t.ledger, seller.actor, page)).toEqual([]);
    const all = await financingAlertsOf(t.ledger, auditor.actor, page);
    expect(all.map((alert) => alert.id)).toEqual(expect.arrayContaining(own.map((alert) => alert.id)));
  });

  it('pages the alerts connection with a cursor and a total count', async () => {
    const query = `query ($after: String) { alerts(first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id kind financingId invoiceId eventId eventKind createdAt } } } }`;
    const first = await t.gql(query, {}, lender.apiKey);
    const total = first.data.alerts.totalCount;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(first.data.alerts.pageInfo.hasNextPage).toBe(true);
    const [edge] = first.data.alerts.edges;
    expect(edge.node).toMatchObject({ kind: 'INVOICE_CANCELLED', eventKind: 'invoice.cancelled' });
    const second = await t.gql(query, { after: first.data.alerts.pageInfo.endCursor }, lender.apiKey);
    expect(second.data.alerts.totalCount).toBe(total);
    expect(second.data.alerts.edges[0].node.id).not.toBe(edge.node.id);
    const other = await t.gql('{ alerts { totalCount edges { node { id } } } }', {}, otherLender.apiKey);
    expect(other.data.alerts).toEqual({ totalCount: 0, edges: [] });
  });
});
