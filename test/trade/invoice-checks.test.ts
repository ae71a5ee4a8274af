import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invoiceKind } from '../../services/trade/index.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { expectRejected, invoiceLines, type Row, useCheckWorld } from './check-world.js';
import { invoicePayload, issue } from './trade-fixtures.js';

const ledger = useTestLedger();
const world = useCheckWorld(ledger);
const asSeller = (): TestParty => world.seller;
const asBuyer = (): TestParty => world.buyer;

function invoice(fields: Record<string, unknown> = {}, lines = invoiceLines, total = '725.00') {
  return invoicePayload(world.main, lines, total, fields);
}

const invoiceRows: Row[] = [
  [
    'a zero quantity',
    'invalid_input',
    'lines.0.quantity',
    asSeller,
    invoiceKind,
    () => invoice({}, [{ itemCode: 'W1', quantity: '0', unitPrice: '10.00' }], '0.01'),
  ],
  [
    'a negative unit price',
    'invalid_input',
    'lines.0.unitPrice',
    asSeller,
    invoiceKind,
    () => invoice({}, [{ itemCode: 'W1', quantity: '1', unitPrice: '-10.00' }], '10.00'),
  ],
  [
    'a line amount that rounds to zero',
    'invalid_input',
    'lines.0',
    asSeller,
    invoiceKind,
    () => invoice({}, [{ itemCode: 'W1', quantity: '0.001', unitPrice: '0.001' }], '0.01'),
  ],
  ['a negative total', 'invalid_input', 'total', asSeller, invoiceKind, () => invoice({ total: '-725.00' })],
  ['a zero total', 'invalid_input', 'total', asSeller, invoiceKind, () => invoice({ total: '0.00' })],
  [
    'a total with more decimals than CNY has',
    'invalid_input',
    'total',
    asSeller,
    invoiceKind,
    () => invoice({ total: '725.001' }),
  ],
  [
    'no goods receipts',
    'invalid_input',
    'goodsReceiptIds',
    asSeller,
    invoiceKind,
    () => invoice({ goodsReceiptIds: [] }),
  ],
  // The buyer is a core enterprise: its role alone refuses it, before any rule reads the ledger.
  ['an issue by the buyer', 'forbidden', undefined, asBuyer, invoiceKind, () => invoice()],
  [
    'an issue by a supplier that is not the seller',
    'forbidden',
    'sellerPartyId',
    () => world.stranger,
    invoiceKind,
    () => invoice(),
  ],
  [
    'a due date before the issue date',
    'dates_out_of_order',
    'dueDate',
    asSeller,
    invoiceKind,
    () => invoice({ dueDate: '2025-03-09' }),
  ],
  [
    'a due date 366 days after issue',
    'tenor_exceeds_limit',
    'dueDate',
    asSeller,
    invoiceKind,
    () => invoice({ dueDate: '2026-03-11' }),
  ],
  [
    'a total one fen short of the lines',
    'invoice_total_mismatch',
    'total',
    asSeller,
    invoiceKind,
    () => invoice({ total: '724.99' }),
  ],
  [
    'a documentId in use',
    'document_id_taken',
    'documentId',
    asSeller,
    invoiceKind,
    () => invoice({ documentId: world.main.orderId }),
  ],
  [
    'an unknown purchase order',
    'document_not_found',
    'purchaseOrderId',
    asSeller,
    invoiceKind,
    () => invoice({ purchaseOrderId: randomUUID() }),
  ],
  [
    'a purchase order of other parties',
    'document_not_found',
    'purchaseOrderId',
    asSeller,
    invoiceKind,
    () => invoice({ purchaseOrderId: world.strangers.orderId }),
  ],
  [
    'an unknown goods receipt',
    'document_not_found',
    'goodsReceiptIds.1',
    asSeller,
    invoiceKind,
    () => invoice({ goodsReceiptIds: [world.main.receiptId, randomUUID()] }),
  ],
  [
    'a shipment as the purchase order',
    'document_kind_mismatch',
    'purchaseOrderId',
    asSeller,
    invoiceKind,
    () => invoice({ purchaseOrderId: world.main.shipmentId }),
  ],
  [
    'a shipment as a goods receipt',
    'document_kind_mismatch',
    'goodsReceiptIds.0',
    asSeller,
    invoiceKind,
    () => invoice({ goodsReceiptIds: [world.main.shipmentId] }),
  ],
  [
    'another buyer than the order',
    'document_parties_mismatch',
    'purchaseOrderId',
    asSeller,
    invoiceKind,
    () => invoice({ buyerPartyId: world.otherBuyer.party.id }),
  ],
  [
    'a receipt of another buyer',
    'document_parties_mismatch',
    'goodsReceiptIds.1',
    asSeller,
    invoiceKind,
    () => invoice({ goodsReceiptIds: [world.main.receiptId, world.otherParties.receiptId] }),
  ],
  [
    'a receipt of another order',
    'document_chain_mismatch',
    'goodsReceiptIds.1',
    asSeller,
    invoiceKind,
    () => invoice({ goodsReceiptIds: [world.main.receiptId, world.sibling.receiptId] }),
  ],
  [
    'another currency than the order',
    'currency_mismatch',
    'currency',
    asSeller,
    invoiceKind,
    () => invoice({ currency: 'USD' }),
  ],
  [
    'an issue date before the goods receipt',
    'dates_out_of_order',
    'issueDate',
    asSeller,
    invoiceKind,
    () => invoice({ issueDate: '2025-03-07' }),
  ],
  [
    'an item not on the order',
    'item_not_on_order',
    'lines.0.itemCode',
    asSeller,
    invoiceKind,
    () => invoice({}, [{ itemCode: 'W9', quantity: '1', unitPrice: '725' }]),
  ],
  [
    'more than was accepted',
    'quantity_exceeds_received',
    'lines.0.quantity',
    asSeller,
    invoiceKind,
    () => invoice({}, [{ itemCode: 'W1', quantity: '60.000001', unitPrice: '10.00' }], '600.00'),
  ],
  [
    'a tax invoice number the seller used',
    'tax_invoice_number_taken',
    'taxInvoiceNumber',
    asSeller,
    invoiceKind,
    () => invoice({ taxInvoiceNumber: world.takenTaxNumber }),
  ],
];

describe('invoice.issued write-time checks', () => {
  it.each(invoiceRows)('rejects %s with %s on %s and writes nothing', (...row) =>
    expectRejected(ledger, row),
  );
});

describe('invoice messages', () => {
  it('names both numbers when the total is not the sum of the lines', async () => {
    const result = await issue(ledger, world.main, invoice({ total: '725.01' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/725\.01 CNY.*725\.00 CNY/);
  });

  it('names the receipt whose date is after the issue date', async () => {
    const result = await issue(ledger, world.main, invoice({ issueDate: '2025-03-07' }));
    expect(result).toMatchObject({ ok: false, code: 'dates_out_of_order' });
    if (!result.ok) expect(result.message).toContain(world.main.receiptId);
  });
});
