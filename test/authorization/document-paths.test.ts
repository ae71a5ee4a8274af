/**
 * One visibility rule for trade documents, on every GraphQL path that can reach a document or a
 * statement: the trade terms (lines, unit prices, the tax invoice number) reach the buyer, the seller,
 * auditors and administrators, and nobody else, however they ask. A tier-2 holder of part of the
 * receivable sees the invoice's summary (parties, total, dates, hash), never its lines. The invoice
 * carries a unit price and a tax invoice number found nowhere else, so a leak anywhere shows.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartyRole } from '../../services/parties/party.js';
import { invoiceConfirmedKind, receivableTransferredKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';

const t = useTestLedger();
const unitPrice = '123.456789';
const taxInvoiceNumber = 'TAXNO-SECRET-7731';
const lines = [{ itemCode: 'SECRET-ITEM', quantity: '4', unitPrice }];

const roles = ['buyer', 'seller', 'tier2', 'lender', 'unrelated', 'auditor'] as const;
type Role = (typeof roles)[number];
const party = {} as Record<Role, TestParty>;
const ids = { invoiceId: '', rootId: '', childId: '', invoiceEventId: '' };

beforeAll(async () => {
  const newParty = (role: PartyRole) => t.newParty([role], { custodial: true });
  party.buyer = await newParty('core_enterprise');
  party.seller = await newParty('supplier');
  party.tier2 = await newParty('supplier');
  party.lender = await newParty('lender');
  party.unrelated = await newParty('supplier');
  party.auditor = await newParty('auditor');
  const chain = await recordChain(t, party.buyer, party.seller, lines);
  const invoice: Record<string, unknown> = { ...invoicePayload(chain, lines, '493.83'), taxInvoiceNumber };
  const issued = await recorded(t, party.seller, invoiceKind, invoice);
  ids.invoiceEventId = issued.event.id;
  ids.invoiceId = String(invoice.documentId);
  ids.rootId = randomUUID();
  await recorded(t, party.buyer, invoiceConfirmedKind, {
    invoiceId: ids.invoiceId,
    receivableId: ids.rootId,
  });
  ids.childId = randomUUID();
  await recorded(t, party.seller, receivableTransferredKind, {
    receivableId: ids.rootId,
    toPartyId: party.tier2.party.id,
    amount: '93.83',
    childReceivableId: ids.childId,
  });
  await anchorAll(t);
});

const documentFields = 'documentNumber lines { itemCode unitPrice }';
/** Every GraphQL path to a document or a signed statement, by name. */
const paths: Record<string, () => string> = {
  'receivable(id).invoice': () =>
    `{ a: receivable(id: "${ids.childId}") { ... on Receivable { invoice { ${documentFields} } } }
       b: receivable(id: "${ids.rootId}") { ... on Receivable { invoice { ${documentFields} } } } }`,
  'receivableLineage(id)': () =>
    `{ receivableLineage(id: "${ids.childId}") { ... on ReceivableLineage {
       receivable { invoice { ${documentFields} } } ancestors { invoice { ${documentFields} } }
       descendants { invoice { ${documentFields} } } } } }`,
  'receivables(side)': () =>
    `{ h: receivables(side: HOLDER, first: 50) { edges { node { invoice { ${documentFields} } } } }
       o: receivables(side: OBLIGOR, first: 50) { edges { node { invoice { ${documentFields} } } } } }`,
  'invoice(id)': () =>
    `{ invoice(id: "${ids.invoiceId}") { ... on InvoiceChain { invoice { document { ${documentFields} } event { statement } }
       purchaseOrder { event { statement } } goodsReceipts { event { statement } } } } }`,
  documents: () => `{ documents(first: 100) { edges { node { ${documentFields} } } } }`,
  events: () => '{ events(first: 100) { edges { node { kind statement } } } }',
  'inclusionProof(invoice event)': () =>
    `{ inclusionProof(eventId: "${ids.invoiceEventId}") { ... on InclusionProof { statement file } } }`,
  'proofBundle(child)': () =>
    `{ proofBundle(receivableId: "${ids.childId}") { ... on ProofBundle { json } } }`,
  'proofBundle(root)': () => `{ proofBundle(receivableId: "${ids.rootId}") { ... on ProofBundle { json } } }`,
  'verificationReport(child)': () =>
    `{ verificationReport(receivableId: "${ids.childId}") { ... on VerificationReport { json checks { summary } } } }`,
  'verificationReport(root)': () =>
    `{ verificationReport(receivableId: "${ids.rootId}") { ... on VerificationReport { json checks { summary } } } }`,
};

async function answer(role: Role, path: string): Promise<string> {
  const query = paths[path] ?? expect.fail(`no path ${path}`);
  const response = await t.gql(query(), {}, party[role].apiKey);
  expect(response.errors ?? [], `${role} on ${path}`).toEqual([]);
  return JSON.stringify(response.data);
}

const reveals = (text: string) => text.includes(unitPrice) || text.includes(taxInvoiceNumber);
const tradeParties: readonly Role[] = ['buyer', 'seller', 'auditor'];

describe('the trade terms of an invoice', () => {
  const cases = roles.flatMap((role) => Object.keys(paths).map((path) => [role, path] as const));
  it.each(cases)('reach %s through %s only if it is buyer, seller or auditor', async (role, path) => {
    const text = await answer(role, path);
    if (!tradeParties.includes(role)) expect(reveals(text)).toBe(false);
  });

  it.each(tradeParties)('do reach %s, through the invoice, its receivable and the bundle', async (role) => {
    for (const path of ['invoice(id)', 'receivable(id).invoice', 'proofBundle(root)']) {
      expect(reveals(await answer(role, path)), path).toBe(true);
    }
  });

  it('reach the administrator too', async () => {
    const response = await t.gql(paths['invoice(id)']?.() ?? '');
    expect(reveals(JSON.stringify(response.data))).toBe(true);
  });

  it("give the tier-2 holder the invoice's summary instead: parties, total, dates and its hash", async () => {
    const response = await t.gql(
      `{ receivable(id: "${ids.childId}") { ... on Receivable { invoice { id } invoiceSummary {
         invoiceId buyer { id } seller { id } currency total issueDate dueDate eventHash } } } }`,
      {},
      party.tier2.apiKey,
    );
    expect(response.data.receivable).toMatchObject({
      invoice: null,
      invoiceSummary: {
        invoiceId: ids.invoiceId,
        buyer: { id: party.buyer.party.id },
        seller: { id: party.seller.party.id },
        currency: 'CNY',
        total: '493.83',
        eventHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });
});
