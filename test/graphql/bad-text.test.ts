/**
 * Every string a mutation takes, through GraphQL, holding a refused character: the answer is a
 * DomainError value naming the input (never "Unexpected error."), and nothing is written. NUL and
 * lone surrogates used to reach PostgreSQL or canonical JSON and come back masked.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../services/crypto/index.js';
import { badCharacters } from '../support/bad-text.js';
import { freshKey, freshUscc } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let lender: TestParty;

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
  lender = await t.newParty(['lender'], { custodial: true });
});

async function everything(): Promise<string> {
  const prepared = await t.owner.db.selectFrom('prepared_statement').selectAll().orderBy(sql`1, 2`).execute();
  return `${await t.snapshot()}\n${JSON.stringify(prepared)}`;
}

const orderLine = (fields: Record<string, unknown> = {}) => ({
  lineNumber: 1,
  itemCode: 'STEEL-1',
  description: 'Cold-rolled coil',
  quantity: '10',
  unit: 't',
  unitPrice: '4200',
  ...fields,
});

function orderInput(fields: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  return {
    buyerPartyId: buyer.party.id,
    sellerPartyId: seller.party.id,
    orderNumber: freshKey('PO'),
    orderDate: '2026-09-01',
    requestedDeliveryDate: '2026-09-20',
    currency: 'CNY',
    lines: [orderLine(line)],
    idempotencyKey: freshKey('po'),
    ...fields,
  };
}

function invoiceInput(fields: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  const { lineNumber: _lineNumber, ...invoiceLine } = orderLine(line);
  return {
    buyerPartyId: buyer.party.id,
    sellerPartyId: seller.party.id,
    taxInvoiceNumber: freshKey('TAX'),
    taxInvoiceCode: '044031900111',
    currency: 'CNY',
    issueDate: '2026-09-10',
    dueDate: '2026-12-10',
    purchaseOrderId: randomUUID(),
    goodsReceiptIds: [randomUUID()],
    lines: [invoiceLine],
    total: '42000.00',
    idempotencyKey: freshKey('inv'),
    ...fields,
  };
}

const prepare = (mutation: string, type: string) =>
  `mutation($input: ${type}!) { ${mutation}(input: $input) { __typename ... on DomainError { code field message } } }`;

interface Case {
  name: string;
  caller: () => TestParty | null;
  query: string;
  variables: (bad: (text: string) => string) => Record<string, unknown>;
  field: string;
}

const po = prepare('preparePurchaseOrder', 'PurchaseOrderInput');
const invoice = prepare('prepareInvoice', 'InvoiceInput');
const reason = (mutation: string) => prepare(mutation, 'InvoiceReasonInput');
const creditNote = prepare('prepareCreditNote', 'CreditNoteInput');
const creditNoteInput = (fields: Record<string, unknown>) => ({
  invoiceId: randomUUID(),
  creditNoteNumber: freshKey('CN'),
  amount: '10.00',
  reason: 'damaged',
  issueDate: '2026-09-20',
  idempotencyKey: freshKey('cn'),
  ...fields,
});

const cases: Case[] = [
  {
    name: 'registerParty',
    caller: () => null,
    query: `mutation($input: RegisterPartyInput!) { registerParty(input: $input) { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({
      input: {
        legalName: bad('Widget Co'),
        registrationId: freshUscc(),
        roles: ['SUPPLIER'],
        custodialKey: true,
        idempotencyKey: freshKey(),
      },
    }),
    field: 'legalName',
  },
  {
    name: 'registerParty',
    caller: () => null,
    query: `mutation($input: RegisterPartyInput!) { registerParty(input: $input) { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({
      input: {
        legalName: 'Widget Co',
        registrationId: bad(freshUscc()),
        roles: ['SUPPLIER'],
        idempotencyKey: freshKey(),
      },
    }),
    field: 'registrationId',
  },
  {
    name: 'createApiKey',
    caller: () => null,
    query: `mutation($label: String!, $key: String!) { createApiKey(label: $label, idempotencyKey: $key) { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({ label: bad('ci'), key: freshKey() }),
    field: 'label',
  },
  {
    name: 'createApiKey',
    caller: () => null,
    query: `mutation($label: String!, $key: String!) { createApiKey(label: $label, idempotencyKey: $key) { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({ label: 'ci', key: bad(freshKey()) }),
    field: 'idempotencyKey',
  },
  {
    name: 'revokePartyKey',
    caller: () => null,
    query: `mutation($keyId: String!) { revokePartyKey(keyId: $keyId, idempotencyKey: "k") { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({ keyId: bad('ab'.repeat(32)) }),
    field: 'keyId',
  },
  {
    name: 'registerWitness',
    caller: () => lender,
    query: `mutation($name: String!, $key: HexBytes!) { registerWitness(name: $name, publicKey: $key, idempotencyKey: "${freshKey()}") { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({ name: bad('bank-a.example/witness'), key: 'ab'.repeat(32) }),
    field: 'name',
  },
  {
    name: 'cosignCheckpoint',
    caller: () => lender,
    query: `mutation($line: String!) { cosignCheckpoint(witnessId: "${randomUUID()}", treeSize: 1, cosignature: $line) { __typename ... on DomainError { code field } } }`,
    variables: (bad) => ({ line: bad('— bank-a.example/witness AAAA') }),
    field: 'cosignature',
  },
  ...(['orderNumber', 'idempotencyKey'] as const).map((field) => ({
    name: 'preparePurchaseOrder',
    caller: () => seller,
    query: po,
    variables: (bad: (text: string) => string) => ({ input: orderInput({ [field]: bad(freshKey('PO')) }) }),
    field,
  })),
  ...(['itemCode', 'description', 'unit'] as const).map((field) => ({
    name: 'preparePurchaseOrder',
    caller: () => seller,
    query: po,
    variables: (bad: (text: string) => string) => ({ input: orderInput({}, { [field]: bad('STEEL-1') }) }),
    field: `lines.0.${field}`,
  })),
  ...(['taxInvoiceNumber', 'taxInvoiceCode'] as const).map((field) => ({
    name: 'prepareInvoice',
    caller: () => seller,
    query: invoice,
    variables: (bad: (text: string) => string) => ({ input: invoiceInput({ [field]: bad('044031900111') }) }),
    field,
  })),
  {
    name: 'prepareShipment',
    caller: () => seller,
    query: prepare('prepareShipment', 'ShipmentInput'),
    variables: (bad) => ({
      input: {
        purchaseOrderId: randomUUID(),
        waybillNumber: bad('WB-1'),
        shippedOn: '2026-09-05',
        lines: [{ itemCode: 'STEEL-1', quantity: '1' }],
        idempotencyKey: freshKey(),
      },
    }),
    field: 'waybillNumber',
  },
  ...(['prepareInvoiceCancellation', 'prepareDefault'] as const).map((mutation) => ({
    name: mutation,
    caller: () => (mutation === 'prepareDefault' ? buyer : seller),
    query: reason(mutation),
    variables: (bad: (text: string) => string) => ({
      input: { invoiceId: randomUUID(), reason: bad('goods returned'), idempotencyKey: freshKey() },
    }),
    field: 'reason',
  })),
  ...(['creditNoteNumber', 'reason'] as const).map((field) => ({
    name: 'prepareCreditNote',
    caller: () => seller,
    query: creditNote,
    variables: (bad: (text: string) => string) => ({ input: creditNoteInput({ [field]: bad('CN-1') }) }),
    field,
  })),
];

const rows = badCharacters
  .filter(([name]) => ['NUL', 'a lone high surrogate', 'a lone low surrogate', 'DEL', 'RLO'].includes(name))
  .flatMap(([name, character]) =>
    cases.map((entry) => [entry.name, entry.field, name, character, entry] as const),
  );

describe('bad text in a mutation', () => {
  it.each(rows)('%s %s holding %s is a DomainError naming it, and writes nothing', async (...row) => {
    const [mutation, field, , character, entry] = row;
    const before = await everything();
    const answer = await t.gql(
      entry.query,
      entry.variables((text) => `${text.slice(0, 2)}${character}${text.slice(2)}`),
      entry.caller()?.apiKey ?? t.adminApiKey,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.[mutation]).toMatchObject({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field,
    });
    expect(await everything()).toBe(before);
  });
});

const submit = `mutation($statement: String!) { submitStatement(statement: $statement) {
  __typename ... on DomainError { code field } ... on SubmittedStatement { replayed } } }`;

describe('bad text in a submitted statement', () => {
  it.each(
    badCharacters.flatMap(([name, character]) => [
      ['idempotencyKey', name, character],
      ['orderNumber', name, character],
    ]),
  )(
    'a statement whose %s holds %s is a DomainError naming it, and writes nothing',
    async (field, _name, character) => {
      const prepared = await t.gql(
        `mutation($input: PurchaseOrderInput!) { preparePurchaseOrder(input: $input) { ... on PreparedStatement { statement } } }`,
        { input: orderInput() },
        seller.apiKey,
      );
      const envelope = JSON.parse(prepared.data.preparePurchaseOrder.statement);
      const placed =
        field === 'idempotencyKey'
          ? { ...envelope, idempotencyKey: '\u2063' }
          : { ...envelope, payload: { ...envelope.payload, orderNumber: '\u2063' } };
      const statement = canonicalJson(placed).replace(
        '\u2063',
        JSON.stringify(`ab${character}c`).slice(1, -1),
      );
      const before = await everything();
      const answer = await t.gql(submit, { statement }, seller.apiKey);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.submitStatement).toEqual({
        __typename: 'DomainError',
        code: 'INVALID_INPUT',
        field,
      });
      expect(await everything()).toBe(before);
    },
  );

  it('refuses a statement that is not JSON because of a raw lone surrogate', async () => {
    const answer = await t.gql(submit, { statement: '{"kind":"\ud800' }, seller.apiKey);
    expect(answer.data.submitStatement).toEqual({
      __typename: 'DomainError',
      code: 'ENVELOPE_INVALID',
      field: 'statement',
    });
  });
});

describe('line breaks over GraphQL', () => {
  it('are kept in a description and refused in an order number', async () => {
    const allowed = await t.gql(
      po,
      { input: orderInput({}, { description: 'Coil\ngrade DC01' }) },
      seller.apiKey,
    );
    expect(allowed.data.preparePurchaseOrder).toEqual({ __typename: 'PreparedStatement' });
    const refused = await t.gql(po, { input: orderInput({ orderNumber: 'PO-1\nPO-2' }) }, seller.apiKey);
    expect(refused.data.preparePurchaseOrder).toMatchObject({ code: 'INVALID_INPUT', field: 'orderNumber' });
  });
});

describe('cursors that decode to something other than a position', () => {
  const cursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

  it.each([
    ['parties', 'parties', cursor('not-a-uuid')],
    ['parties', 'parties', cursor('a\u0000')],
    ['receivables', 'receivables(side: HOLDER', cursor('not-a-uuid')],
  ])('%s: a bad cursor, not a masked database error', async (name, head, after) => {
    const field = head.includes('(') ? `${head}, after: "${after}")` : `${head}(after: "${after}")`;
    const answer = await t.gql(`{ ${field} { edges { cursor } } }`, {}, seller.apiKey);
    expect(answer.errors?.[0]).toMatchObject({
      message: 'invalid cursor',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(answer.data?.[name]).toBeUndefined();
  });
});

describe('the README example of Input rules', () => {
  it('answers as README shows', async () => {
    const answer =
      await t.gql(`mutation { createApiKey(label: "ops\\u202Ebot", idempotencyKey: "key-ops-bot") {
      ... on DomainError { code field message } } }`);
    expect(answer.data.createApiKey).toEqual({
      code: 'INVALID_INPUT',
      field: 'label',
      message: 'label contains the bidirectional control U+202E',
    });
  });
});
