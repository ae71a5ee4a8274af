import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { goodsReceiptKind } from '../../services/trade/index.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  type Chain,
  dates,
  invoicePayload,
  issue,
  recordChain,
  recorded,
  snapshotAll,
} from './trade-fixtures.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let otherSeller: TestParty;

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  seller = await ledger.newParty(['supplier'], { custodial: true });
  otherSeller = await ledger.newParty(['supplier'], { custodial: true });
});

const line = (quantity: string) => [{ itemCode: 'W', quantity, unitPrice: '1.00' }];
const totalOf = (quantity: string) => `${quantity}.00`;

/** A second receipt on the chain's order, accepting `quantity` of W with no shipment named. */
async function secondReceipt(chain: Chain, quantity: string): Promise<string> {
  const documentId = randomUUID();
  await recorded(ledger, buyer, goodsReceiptKind, {
    documentId,
    purchaseOrderId: chain.orderId,
    shipmentIds: [],
    receivedOn: dates.received,
    lines: [{ itemCode: 'W', quantityAccepted: quantity }],
  });
  return documentId;
}

function invoiceOn(chain: Chain, receiptIds: string[], quantity: string) {
  return issue(
    ledger,
    chain,
    invoicePayload(chain, line(quantity), totalOf(quantity), { goodsReceiptIds: receiptIds }),
  );
}

describe('invoiced quantity against received quantity', () => {
  it('counts every earlier invoice on the same receipts', async () => {
    // Ordered 100, shipped 100; receipt R1 accepts 40 and receipt R2 accepts 30.
    const chain = await recordChain(ledger, buyer, seller, line('100'), { accepted: { W: '40' } });
    const r1 = chain.receiptId;
    const r2 = await secondReceipt(chain, '30');

    expect((await invoiceOn(chain, [r1], '25')).ok).toBe(true);
    const before = await snapshotAll(ledger);
    const over = await invoiceOn(chain, [r1], '16');
    expect(over).toMatchObject({ ok: false, code: 'quantity_exceeds_received', field: 'lines.0.quantity' });
    if (!over.ok) expect(over.message).toMatch(/16 with 25 invoiced before exceeds the 40 accepted/);
    expect(await snapshotAll(ledger)).toBe(before);
    expect((await invoiceOn(chain, [r1], '15')).ok).toBe(true);

    // Both receipts: 70 accepted, 40 invoiced on them so far.
    expect((await invoiceOn(chain, [r1, r2], '1')).ok).toBe(true);
    // R2 alone: 30 accepted, and the invoice on R1 and R2 counts in full against it.
    expect(await invoiceOn(chain, [r2], '30')).toMatchObject({
      ok: false,
      code: 'quantity_exceeds_received',
    });
    expect((await invoiceOn(chain, [r2], '29')).ok).toBe(true);
    // Everything accepted is invoiced now.
    expect(await invoiceOn(chain, [r1, r2], '1')).toMatchObject({
      ok: false,
      code: 'quantity_exceeds_received',
    });
  });

  it('does not count a cancelled invoice', async () => {
    const chain = await recordChain(ledger, buyer, seller, line('10'));
    const first = invoicePayload(chain, line('10'), totalOf('10'));
    expect((await issue(ledger, chain, first)).ok).toBe(true);
    expect(await invoiceOn(chain, [chain.receiptId], '10')).toMatchObject({
      code: 'quantity_exceeds_received',
    });
    await ledger.owner.db
      .updateTable('trade_document')
      .set({ status: 'cancelled' })
      .where('id', '=', String(first.documentId))
      .execute();
    expect((await invoiceOn(chain, [chain.receiptId], '10')).ok).toBe(true);
  });

  it('does not count invoices on other receipts of the same order', async () => {
    const chain = await recordChain(ledger, buyer, seller, line('20'), { accepted: { W: '10' } });
    const other = await secondReceipt(chain, '10');
    expect((await invoiceOn(chain, [chain.receiptId], '10')).ok).toBe(true);
    expect((await invoiceOn(chain, [other], '10')).ok).toBe(true);
  });
});

describe('concurrent invoices', () => {
  it('on the same receipt: exactly one bills what was accepted, the other is refused after retry', async () => {
    const chain = await recordChain(ledger, buyer, seller, line('10'));
    const results = await Promise.all([
      invoiceOn(chain, [chain.receiptId], '10'),
      invoiceOn(chain, [chain.receiptId], '10'),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ code: 'quantity_exceeds_received' });
  });

  it('with one tax invoice number: exactly one is written', async () => {
    const chain = await recordChain(ledger, buyer, seller, line('10'));
    const fields = { taxInvoiceNumber: `TAX-${randomUUID()}` };
    const results = await Promise.all([
      issue(ledger, chain, invoicePayload(chain, line('1'), '1.00', fields)),
      issue(ledger, chain, invoicePayload(chain, line('1'), '1.00', fields)),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ code: 'tax_invoice_number_taken' });
  });
});

describe('tax invoice numbers', () => {
  it('are unique per seller, so another seller may use the same number', async () => {
    const mine = await recordChain(ledger, buyer, seller, line('2'));
    const theirs = await recordChain(ledger, buyer, otherSeller, line('2'));
    const number = `TAX-${randomUUID()}`;
    const fields = { taxInvoiceNumber: number };
    expect((await issue(ledger, mine, invoicePayload(mine, line('1'), '1.00', fields))).ok).toBe(true);
    expect((await issue(ledger, theirs, invoicePayload(theirs, line('1'), '1.00', fields))).ok).toBe(true);
    expect(await issue(ledger, mine, invoicePayload(mine, line('1'), '1.00', fields))).toMatchObject({
      ok: false,
      code: 'tax_invoice_number_taken',
      field: 'taxInvoiceNumber',
    });
  });
});
