/**
 * prepare… mutations for the trade documents. Each returns the statement to sign (or a DomainError
 * from the same write-time checks submit runs); submitStatement appends it. A documentId the client
 * leaves out is derived from its idempotency key, so preparing the same request twice is a replay.
 */
import { goodsReceiptKind, invoiceKind, purchaseOrderKind, shipmentKind } from '../services/trade/index.js';
import { builder } from './builder.js';
import { prepareMutation } from './statement.js';

const idempotencyKeyField = {
  required: true,
  description: 'Client-chosen key (1-128 chars): preparing or submitting the same request again is a replay.',
} as const;

const OrderLineInput = builder.inputType('PurchaseOrderLineInput', {
  fields: (t) => ({
    lineNumber: t.int({ required: true }),
    itemCode: t.string({ required: true }),
    description: t.string({ required: true }),
    quantity: t.field({ type: 'Decimal', required: true }),
    unit: t.string({ required: true, description: 'e.g. "pcs", "kg"' }),
    unitPrice: t.field({
      type: 'Decimal',
      required: true,
      description: 'In the order currency, up to 6 decimals.',
    }),
  }),
});

const PurchaseOrderInput = builder.inputType('PurchaseOrderInput', {
  fields: (t) => ({
    documentId: t.field({ type: 'UUID', required: false }),
    buyerPartyId: t.field({ type: 'UUID', required: true }),
    sellerPartyId: t.field({ type: 'UUID', required: true }),
    orderNumber: t.string({ required: true }),
    orderDate: t.field({ type: 'Date', required: true }),
    requestedDeliveryDate: t.field({ type: 'Date', required: true }),
    currency: t.field({ type: 'CurrencyCode', required: true }),
    lines: t.field({ type: [OrderLineInput], required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const QuantityLineInput = builder.inputType('ShipmentLineInput', {
  fields: (t) => ({
    itemCode: t.string({ required: true }),
    quantity: t.field({ type: 'Decimal', required: true }),
  }),
});

const ShipmentInput = builder.inputType('ShipmentInput', {
  fields: (t) => ({
    documentId: t.field({ type: 'UUID', required: false }),
    purchaseOrderId: t.field({ type: 'UUID', required: true }),
    waybillNumber: t.string({ required: true }),
    shippedOn: t.field({ type: 'Date', required: true }),
    carrierPartyId: t.field({ type: 'UUID', required: false, description: 'A registered logistics party.' }),
    lines: t.field({ type: [QuantityLineInput], required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const AcceptedLineInput = builder.inputType('GoodsReceiptLineInput', {
  fields: (t) => ({
    itemCode: t.string({ required: true }),
    quantityAccepted: t.field({ type: 'Decimal', required: true }),
  }),
});

const GoodsReceiptInput = builder.inputType('GoodsReceiptInput', {
  fields: (t) => ({
    documentId: t.field({ type: 'UUID', required: false }),
    purchaseOrderId: t.field({ type: 'UUID', required: true }),
    shipmentIds: t.field({ type: ['UUID'], required: true }),
    receivedOn: t.field({ type: 'Date', required: true }),
    lines: t.field({ type: [AcceptedLineInput], required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const InvoiceLineInput = builder.inputType('InvoiceLineInput', {
  fields: (t) => ({
    itemCode: t.string({ required: true }),
    description: t.string({ required: true }),
    quantity: t.field({ type: 'Decimal', required: true }),
    unit: t.string({ required: true }),
    unitPrice: t.field({ type: 'Decimal', required: true }),
  }),
});

const InvoiceInput = builder.inputType('InvoiceInput', {
  fields: (t) => ({
    documentId: t.field({ type: 'UUID', required: false }),
    buyerPartyId: t.field({ type: 'UUID', required: true }),
    sellerPartyId: t.field({ type: 'UUID', required: true }),
    taxInvoiceNumber: t.string({ required: true, description: 'Fapiao number; unique per seller.' }),
    taxInvoiceCode: t.string({ required: true }),
    currency: t.field({ type: 'CurrencyCode', required: true }),
    issueDate: t.field({ type: 'Date', required: true }),
    dueDate: t.field({ type: 'Date', required: true }),
    purchaseOrderId: t.field({ type: 'UUID', required: true }),
    goodsReceiptIds: t.field({ type: ['UUID'], required: true }),
    lines: t.field({ type: [InvoiceLineInput], required: true }),
    total: t.field({
      type: 'Decimal',
      required: true,
      description: 'Must equal the sum of the line amounts.',
    }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const documentMutations = [
  [
    'preparePurchaseOrder',
    PurchaseOrderInput,
    purchaseOrderKind,
    'A purchase order, stated by its buyer or seller.',
  ],
  [
    'prepareShipment',
    ShipmentInput,
    shipmentKind,
    'A shipment against a purchase order, by the seller, optionally naming its logistics carrier.',
  ],
  [
    'prepareGoodsReceipt',
    GoodsReceiptInput,
    goodsReceiptKind,
    'Quantities the buyer accepted; signed by the buyer.',
  ],
  [
    'prepareInvoice',
    InvoiceInput,
    invoiceKind,
    "The seller's invoice on a purchase order and its goods receipts.",
  ],
] as const;

for (const [name, Input, kind, description] of documentMutations) {
  prepareMutation(name, Input, kind, ['documentId'], description);
}
