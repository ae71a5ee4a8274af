/**
 * Every business date a fact takes lies between 1900-01-01 and 2200-12-31: a typo such as
 * "0225-03-01" or "20250-…" is invalid_input naming the field, through the service and GraphQL.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareFact } from '../../services/events/fact.service.js';
import '../../services/receivables/index.js';
import {
  goodsReceiptKind,
  invoiceKind,
  purchaseOrderKind,
  shipmentKind,
} from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { dates, purchaseOrderPayload, record } from './trade-fixtures.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
});

const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];

/** A payload of each kind, well formed but for the date under test; ids need not exist. */
const payloads: Record<string, () => Record<string, unknown>> = {
  [purchaseOrderKind]: () => purchaseOrderPayload(buyer, seller, lines),
  [shipmentKind]: () => ({
    documentId: randomUUID(),
    purchaseOrderId: randomUUID(),
    waybillNumber: 'WB-1',
    shippedOn: dates.shipped,
    lines: [{ itemCode: 'A', quantity: '1' }],
  }),
  [goodsReceiptKind]: () => ({
    documentId: randomUUID(),
    purchaseOrderId: randomUUID(),
    shipmentIds: [],
    receivedOn: dates.received,
    lines: [{ itemCode: 'A', quantityAccepted: '1' }],
  }),
  [invoiceKind]: () => ({
    documentId: randomUUID(),
    buyerPartyId: buyer.party.id,
    sellerPartyId: seller.party.id,
    taxInvoiceNumber: 'TAX-1',
    taxInvoiceCode: '044031900111',
    currency: 'CNY',
    issueDate: dates.issue,
    dueDate: dates.due,
    purchaseOrderId: randomUUID(),
    goodsReceiptIds: [randomUUID()],
    lines: [{ itemCode: 'A', description: 'goods', quantity: '10', unit: 'pcs', unitPrice: '25' }],
    total: '250.00',
  }),
  'payment.recorded': () => ({
    paymentId: randomUUID(),
    invoiceId: randomUUID(),
    amount: '1.00',
    paidOn: dates.due,
  }),
  'credit_note.issued': () => ({
    documentId: randomUUID(),
    invoiceId: randomUUID(),
    creditNoteNumber: 'CN-1',
    amount: '1.00',
    reason: 'damaged',
    issueDate: dates.issue,
  }),
};

const dateFields: Array<[kind: string, field: string, caller: () => TestParty]> = [
  [purchaseOrderKind, 'orderDate', () => seller],
  [purchaseOrderKind, 'requestedDeliveryDate', () => seller],
  [shipmentKind, 'shippedOn', () => seller],
  [goodsReceiptKind, 'receivedOn', () => buyer],
  [invoiceKind, 'issueDate', () => seller],
  [invoiceKind, 'dueDate', () => seller],
  ['payment.recorded', 'paidOn', () => buyer],
  ['credit_note.issued', 'issueDate', () => seller],
];

describe('business dates', () => {
  it.each(
    dateFields.flatMap(([kind, field, caller]) =>
      ['1899-12-31', '2201-01-01'].map((date) => [kind, field, date, caller] as const),
    ),
  )('%s refuses %s %s as invalid_input naming it', async (kind, field, date, caller) => {
    const payload = { ...payloads[kind]?.(), [field]: date };
    const result = await prepareFact(t.ledger, caller().actor, kind, payload, freshKey());
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', field });
    if (!result.ok) expect(result.message).toMatch(/between 1900-01-01 and 2200-12-31/);
  });

  it('accepts an order dated 1900-01-01 for delivery on 2200-12-31', async () => {
    const payload = purchaseOrderPayload(buyer, seller, lines, {
      orderDate: '1900-01-01',
      requestedDeliveryDate: '2200-12-31',
    });
    expect(await record(t, seller, purchaseOrderKind, payload)).toMatchObject({ ok: true });
  });

  it.each([
    ['1899-12-31', 'orderDate', { __typename: 'DomainError', code: 'INVALID_INPUT', field: 'orderDate' }],
    [
      '2201-01-01',
      'requestedDeliveryDate',
      { __typename: 'DomainError', code: 'INVALID_INPUT', field: 'requestedDeliveryDate' },
    ],
    ['2200-12-31', 'requestedDeliveryDate', { __typename: 'PreparedStatement' }],
  ])('over GraphQL, %s as %s answers %j', async (date, field, expected) => {
    const { documentId: _documentId, ...input } = purchaseOrderPayload(buyer, seller, lines, {
      [field]: date,
    });
    const answer = await t.gql(
      `mutation($input: PurchaseOrderInput!) { preparePurchaseOrder(input: $input) {
        __typename ... on DomainError { code field } } }`,
      { input: { ...input, idempotencyKey: freshKey() } },
      seller.apiKey,
    );
    expect(answer.data.preparePurchaseOrder).toEqual(expected);
  });
});
