/**
 * The checks of an invoice against its chain: the purchase order and goods receipts it names must be
 * the seller's and buyer's, of one currency, dated before the invoice, and must have received at
 * least what this and every earlier invoice on the same receipts bill.
 */
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  findChainDocuments,
  firstExcess,
  itemNotOnOrder,
  quantitiesByItem,
  showQuantity,
} from './chain-rules.js';
import type { TradeDocument } from './trade-document.js';
import { findDocumentsReferencingAny, findInvoiceByTaxNumber } from './trade-document.repository.js';

export interface InvoiceChainInput {
  documentId: string;
  buyerPartyId: string;
  sellerPartyId: string;
  currency: string;
  issueDate: string;
  purchaseOrderId: string;
  goodsReceiptIds: string[];
  taxInvoiceNumber: string;
  lines: Array<{ itemCode: string; quantity: string }>;
}

export interface InvoiceChain {
  order: TradeDocument;
  receipts: TradeDocument[];
}

/** Failure codes: document_parties_mismatch, document_chain_mismatch, currency_mismatch. */
function chainProblem(invoice: InvoiceChainInput, chain: InvoiceChain): Failure | null {
  const named = [
    { document: chain.order, field: 'purchaseOrderId' },
    ...chain.receipts.map((document, index) => ({ document, field: `goodsReceiptIds.${index}` })),
  ];
  for (const { document, field } of named) {
    if (document.buyerPartyId !== invoice.buyerPartyId || document.sellerPartyId !== invoice.sellerPartyId) {
      return fail(
        'document_parties_mismatch',
        `${field}: ${document.kind} ${document.id} is between buyer ${document.buyerPartyId} and seller ` +
          `${document.sellerPartyId}, not this invoice's buyer and seller`,
        field,
      );
    }
  }
  for (const { document, field } of named.slice(1)) {
    if (document.body.purchaseOrderId !== chain.order.id) {
      return fail(
        'document_chain_mismatch',
        `${field}: goods receipt ${document.id} is not of purchase order ${chain.order.id}`,
        field,
      );
    }
  }
  const other = named.find(({ document }) => document.currency !== invoice.currency);
  if (other) {
    return fail(
      'currency_mismatch',
      `currency: the invoice is in ${invoice.currency} but ${other.document.kind} ${other.document.id} is in ${other.document.currency}`,
      'currency',
    );
  }
  return null;
}

/** Failure codes: dates_out_of_order (issueDate before the order date or a receipt's date). */
function datesProblem(invoice: InvoiceChainInput, chain: InvoiceChain): Failure | null {
  if (invoice.issueDate < chain.order.documentDate) {
    return fail(
      'dates_out_of_order',
      `issueDate ${invoice.issueDate} is before the order date ${chain.order.documentDate}`,
      'issueDate',
    );
  }
  const later = chain.receipts.find((receipt) => invoice.issueDate < receipt.documentDate);
  if (later) {
    return fail(
      'dates_out_of_order',
      `issueDate ${invoice.issueDate} is before goods receipt ${later.id} received on ${later.documentDate}`,
      'issueDate',
    );
  }
  return null;
}

/**
 * The purchase order and goods receipts the invoice names, each visible to the actor, of the right
 * kind, between the same buyer and seller, of the same order and currency, and dated before it.
 *
 * Failure codes, in precedence order: document_not_found, document_kind_mismatch (purchaseOrderId,
 * then goodsReceiptIds.N), document_parties_mismatch, document_chain_mismatch, currency_mismatch,
 * dates_out_of_order.
 */
export async function loadInvoiceChain(
  trx: Trx,
  invoice: InvoiceChainInput,
  visible: (document: TradeDocument) => boolean,
): Promise<Result<InvoiceChain>> {
  const orders = await findChainDocuments(
    trx,
    [{ id: invoice.purchaseOrderId, field: 'purchaseOrderId' }],
    'purchase_order',
    visible,
  );
  if (!orders.ok) return orders;
  const receiptRefs = invoice.goodsReceiptIds.map((id, index) => ({ id, field: `goodsReceiptIds.${index}` }));
  const receipts = await findChainDocuments(trx, receiptRefs, 'goods_receipt', visible);
  if (!receipts.ok) return receipts;
  const [order] = orders.value;
  assert(order !== undefined, 'findChainDocuments returns one document per ref');
  const chain = { order, receipts: receipts.value };
  const problem = chainProblem(invoice, chain) ?? datesProblem(invoice, chain);
  return problem ?? ok(chain);
}

/**
 * Per item, this invoice plus every earlier invoice (not cancelled) that names any of the same goods
 * receipts bill at most what those receipts accepted. Counting an earlier invoice in full, even when
 * it also names other receipts, is conservative: it never lets two invoices bill the same delivery.
 *
 * Failure codes: item_not_on_order, quantity_exceeds_received.
 */
export async function quantitiesProblem(
  trx: Trx,
  invoice: InvoiceChainInput,
  chain: InvoiceChain,
): Promise<Failure | null> {
  const notOnOrder = itemNotOnOrder(invoice.lines, chain.order);
  if (notOnOrder) return notOnOrder;
  const receiptIds = chain.receipts.map((receipt) => receipt.id);
  const earlier = (await findDocumentsReferencingAny(trx, receiptIds, 'invoice')).filter(
    (document) => document.status !== 'cancelled',
  );
  const invoiced = quantitiesByItem(earlier, 'quantity');
  const accepted = quantitiesByItem(chain.receipts, 'quantityAccepted');
  const excess = firstExcess(invoice.lines, 'quantity', invoiced, accepted);
  if (!excess) return null;
  return fail(
    'quantity_exceeds_received',
    `${excess.field}: invoicing ${showQuantity(excess.wanted)} with ${showQuantity(excess.used)} invoiced before ` +
      `exceeds the ${showQuantity(excess.limit)} accepted on the referenced goods receipts`,
    excess.field,
  );
}

/** Failure codes: tax_invoice_number_taken. */
export async function taxInvoiceNumberProblem(trx: Trx, invoice: InvoiceChainInput): Promise<Failure | null> {
  const existing = await findInvoiceByTaxNumber(trx, invoice.sellerPartyId, invoice.taxInvoiceNumber);
  if (!existing) return null;
  return fail(
    'tax_invoice_number_taken',
    `taxInvoiceNumber ${invoice.taxInvoiceNumber} is on invoice ${existing.id} of this seller already`,
    'taxInvoiceNumber',
  );
}
