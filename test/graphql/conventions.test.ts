/**
 * The GraphQL conventions integrators rely on, held across the whole schema: enum values in
 * SCREAMING_SNAKE_CASE, Relay global object identification, totalCount on every connection, and
 * receivables sorted and filtered with keyset cursors that stay valid for their order.
 */
import { randomUUID } from 'node:crypto';
import { isEnumType, isObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../graphql/schema.js';
import { confirm, issueInvoice, record, transfer } from '../receivables/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
let buyer: TestParty;
let otherBuyer: TestParty;
let holder: TestParty;
let supplier: TestParty;
let stranger: TestParty;
const roots: Record<string, string> = {};

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  otherBuyer = await t.newParty(['core_enterprise'], { custodial: true });
  holder = await t.newParty(['supplier'], { custodial: true });
  supplier = await t.newParty(['supplier'], { custodial: true });
  stranger = await t.newParty(['supplier'], { custodial: true });
  const invoices = [
    { name: 'cnyLate', by: buyer, total: '500.00', currency: 'CNY', dueDate: '2031-06-30' },
    { name: 'cnyEarly', by: buyer, total: '120.50', currency: 'CNY', dueDate: '2031-01-15' },
    { name: 'usd', by: otherBuyer, total: '80.00', currency: 'USD', dueDate: '2031-03-01' },
    { name: 'cnyMid', by: otherBuyer, total: '999.99', currency: 'CNY', dueDate: '2031-03-01' },
  ];
  for (const invoice of invoices) {
    const id = await issueInvoice(t, holder, invoice.by, {
      total: invoice.total,
      currency: invoice.currency,
      issueDate: '2030-12-01',
      dueDate: invoice.dueDate,
    });
    roots[invoice.name] = await confirm(t, invoice.by, id);
  }
  // 200.00 of the late one passed on: the holder keeps 300.00 outstanding of its 500.00 face.
  roots.child = await transfer(t, holder, roots.cnyLate ?? '', supplier, '200.00');
});

interface Page {
  totalCount: number;
  totals: { currency: string; count: number; face: string; outstanding: string }[];
  edges: { cursor: string; node: { id: string; dueDate: string; outstanding: string; currency: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function receivables(args: string, apiKey = holder.apiKey): Promise<Page> {
  const answer = await t.gql(
    `{ receivables(side: HOLDER, ${args}) {
      totalCount totals { currency count face outstanding }
      edges { cursor node { id dueDate outstanding currency } } pageInfo { hasNextPage endCursor } } }`,
    {},
    apiKey,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data.receivables as Page;
}

/** Every id of a sorted list, read one item per page through the cursors. */
async function pageByPage(args: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page = await receivables(`${args}, first: 1${after ? `, after: "${after}"` : ''}`);
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

describe('schema conventions', () => {
  const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));

  it('names every enum value in SCREAMING_SNAKE_CASE', () => {
    const enums = types.filter(isEnumType);
    expect(enums.map((type) => type.name)).toEqual(
      expect.arrayContaining(['ReceivableStatus', 'PartyRole', 'ErrorCode', 'TradeDocumentKind']),
    );
    for (const type of enums) {
      for (const value of type.getValues())
        expect(value.name, type.name).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    }
  });

  it('gives every connection edges, pageInfo and totalCount, and names it after its node', () => {
    const connections = types.filter((type) => isObjectType(type) && type.name.endsWith('Connection'));
    expect(connections.map((type) => type.name).sort()).toEqual([
      'ConcentrationConnection',
      'EventConnection',
      'ExposureLinkConnection',
      'ExposurePartyConnection',
      'FinancingAlertConnection',
      'FinancingConnection',
      'PartyConnection',
      'ReceivableConnection',
      'StressedLenderConnection',
      'StressedPartyConnection',
      'TradeDocumentConnection',
      'WebhookDeliveryConnection',
    ]);
    for (const type of connections) {
      if (!isObjectType(type)) continue;
      expect(Object.keys(type.getFields()), type.name).toEqual(
        expect.arrayContaining(['edges', 'pageInfo', 'totalCount']),
      );
      expect(String(type.getFields().totalCount?.type)).toBe('Int!');
    }
  });

  it('has Party, TradeDocument, Receivable, Event and Financing implement Node with an ID', () => {
    const implementing = schema.getPossibleTypes(schema.getType('Node') as never).map((type) => type.name);
    expect(implementing.sort()).toEqual(['Event', 'Financing', 'Party', 'Receivable', 'TradeDocument']);
    for (const name of implementing) {
      const type = schema.getType(name);
      if (isObjectType(type)) expect(String(type.getFields().id?.type), name).toBe('ID!');
    }
  });

  it('gives an ID only to what node(id) fetches: the ids of other objects are UUIDs', () => {
    const withId = Object.values(schema.getTypeMap()).filter(
      (type) =>
        isObjectType(type) && !type.name.startsWith('__') && String(type.getFields().id?.type) === 'ID!',
    );
    expect(withId.map((type) => type.name).sort()).toEqual([
      'Event',
      'Financing',
      'Party',
      'Receivable',
      'TradeDocument',
    ]);
  });
});

describe('node(id)', () => {
  const nodeQuery = `query($id: ID!) { node(id: $id) { __typename id
    ... on Receivable { tier } ... on Party { legalName } ... on TradeDocument { documentKind: kind } ... on Event { kind } } }`;

  it('fetches a receivable, a party, a document and an event again by the id it showed', async () => {
    const receivable = await t.gql(nodeQuery, { id: roots.cnyLate }, holder.apiKey);
    expect(receivable.data.node).toEqual({ __typename: 'Receivable', id: roots.cnyLate, tier: 0 });
    const party = await t.gql(nodeQuery, { id: buyer.party.id }, holder.apiKey);
    expect(party.data.node).toMatchObject({ __typename: 'Party', id: buyer.party.id });
    const events = await t.gql('{ events(first: 1) { edges { node { id kind } } } }', {}, holder.apiKey);
    const event = events.data.events.edges[0].node;
    expect((await t.gql(nodeQuery, { id: event.id }, holder.apiKey)).data.node).toEqual({
      __typename: 'Event',
      ...event,
    });
    const documents = await t.gql(
      '{ documents(first: 1) { totalCount edges { node { id documentKind: kind } } } }',
      {},
      holder.apiKey,
    );
    expect(documents.data.documents.totalCount).toBeGreaterThan(0);
    const document = documents.data.documents.edges[0].node;
    expect((await t.gql(nodeQuery, { id: document.id }, holder.apiKey)).data.node).toEqual({
      __typename: 'TradeDocument',
      ...document,
    });
  });

  it('answers null, not an error, for what the caller may not see, an unknown id and a malformed one', async () => {
    for (const id of [roots.cnyLate, randomUUID(), 'not-an-id']) {
      const answer = await t.gql(nodeQuery, { id }, stranger.apiKey);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.node).toBeNull();
    }
  });

  it('answers nodes(ids) in the order asked, null where not visible', async () => {
    const answer = await t.gql(
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids: [roots.usd, randomUUID(), holder.party.id] },
      holder.apiKey,
    );
    expect(answer.data.nodes).toEqual([
      { __typename: 'Receivable', id: roots.usd },
      null,
      { __typename: 'Party', id: holder.party.id },
    ]);
  });

  it('refuses a client-chosen id that another kind of object holds, so node(id) stays unambiguous', async () => {
    const invoiceId = await issueInvoice(t, holder, buyer, {
      issueDate: '2030-12-01',
      dueDate: '2031-02-01',
    });
    const before = await t.snapshot();
    const taken = await record(t, buyer, 'invoice.confirmed', { invoiceId, receivableId: buyer.party.id });
    expect(taken).toMatchObject({ ok: false, code: 'invalid_input', field: 'receivableId' });
    expect(await t.snapshot()).toBe(before);
  });
});

describe('receivables: sorting, filtering, totals', () => {
  it('sorts by due date both ways, page by page, ties broken by id', async () => {
    const all = await receivables('first: 100, orderBy: { field: DUE_DATE, direction: ASC }');
    const dates = all.edges.map((edge) => edge.node.dueDate);
    expect(dates).toEqual([...dates].sort());
    expect(await pageByPage('orderBy: { field: DUE_DATE, direction: ASC }')).toEqual(
      all.edges.map((edge) => edge.node.id),
    );
    const descending = await pageByPage('orderBy: { field: DUE_DATE, direction: DESC }');
    expect(descending).toHaveLength(4);
    expect(descending[0]).toBe(roots.cnyLate);
    expect(descending[3]).toBe(roots.cnyEarly);
  });

  it('sorts by outstanding amount, page by page', async () => {
    const ids = await pageByPage('orderBy: { field: OUTSTANDING, direction: DESC }');
    expect(ids).toEqual([roots.cnyMid, roots.cnyLate, roots.cnyEarly, roots.usd]);
  });

  it('pages backwards with last/before in the same order', async () => {
    const all = await receivables('first: 100, orderBy: { field: OUTSTANDING, direction: ASC }');
    const end = all.edges[3]?.cursor;
    const answer = await receivables(
      `last: 2, before: "${end}", orderBy: { field: OUTSTANDING, direction: ASC }`,
    );
    expect(answer.edges.map((edge) => edge.node.id)).toEqual(
      all.edges.slice(1, 3).map((edge) => edge.node.id),
    );
  });

  it('filters by currency, counterparty and due dates, and counts what matches on every page', async () => {
    const cny = await receivables('first: 1, currency: "CNY"');
    expect(cny.totalCount).toBe(3);
    expect(cny.edges).toHaveLength(1);
    const owedByOther = await receivables(`first: 10, counterpartyId: "${otherBuyer.party.id}"`);
    expect(owedByOther.edges.map((edge) => edge.node.id).sort()).toEqual([roots.cnyMid, roots.usd].sort());
    const march = await receivables('first: 10, dueFrom: "2031-02-01", dueTo: "2031-03-31"');
    expect(march.totalCount).toBe(2);
  });

  it('filters by outstanding amount, bounds included, each in its own currency', async () => {
    const between = await receivables('first: 10, outstandingMin: "120.50", outstandingMax: "300"');
    expect(between.edges.map((edge) => edge.node.id).sort()).toEqual([roots.cnyEarly, roots.cnyLate].sort());
    expect(between.totals).toEqual([{ currency: 'CNY', count: 2, face: '620.50', outstanding: '420.50' }]);
    const atLeast = await receivables(
      'first: 10, outstandingMin: "80.00", orderBy: { field: OUTSTANDING, direction: ASC }',
    );
    expect(atLeast.edges.map((edge) => edge.node.id)).toEqual([
      roots.usd,
      roots.cnyEarly,
      roots.cnyLate,
      roots.cnyMid,
    ]);
    const small = await receivables('first: 10, outstandingMax: "120.49"');
    expect(small.edges.map((edge) => edge.node.id)).toEqual([roots.usd]);
  });

  it('totals face and outstanding per currency to the minor unit, never across currencies', async () => {
    const all = await receivables('first: 1');
    expect(all.totalCount).toBe(4);
    expect(all.totals).toEqual([
      { currency: 'CNY', count: 3, face: '1620.49', outstanding: '1420.49' },
      { currency: 'USD', count: 1, face: '80.00', outstanding: '80.00' },
    ]);
  });

  it('totals the documents listed per currency too, and counts them', async () => {
    const answer = await t.gql(
      `{ documents(kind: INVOICE, counterpartyId: "${otherBuyer.party.id}", first: 1) {
        totalCount totals { currency count total } } }`,
      {},
      holder.apiKey,
    );
    expect(answer.data.documents).toEqual({
      totalCount: 2,
      totals: [
        { currency: 'CNY', count: 1, total: '999.99' },
        { currency: 'USD', count: 1, total: '80.00' },
      ],
    });
  });

  it('refuses a cursor made for another order instead of misreading it', async () => {
    const byDate = await receivables('first: 1, orderBy: { field: DUE_DATE, direction: ASC }');
    const answer = await t.gql(
      `{ receivables(side: HOLDER, first: 1, after: "${byDate.pageInfo.endCursor}",
        orderBy: { field: OUTSTANDING, direction: ASC }) { edges { node { id } } } }`,
      {},
      holder.apiKey,
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(/another orderBy/);
  });

  it('shows a stranger none of it, and counts none', async () => {
    const answer = await t.gql(
      `{ receivables(side: HOLDER, partyId: "${holder.party.id}", first: 10) { totalCount totals { currency } edges { node { id } } } }`,
      {},
      stranger.apiKey,
    );
    expect(answer.data.receivables).toEqual({ totalCount: 0, totals: [], edges: [] });
  });
});
