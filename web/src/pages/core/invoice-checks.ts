/**
 * The checks the ledger ran when each document of an invoice's chain was written (README, "The
 * steps"), recomputed in the browser from the chain itself, so that the clerk confirming an invoice
 * sees why it was accepted: the numbers add up, nothing was invoiced that was not received, the dates
 * run in order, and each document was signed by the party that must state it.
 */
import { compareDecimal, fromScaled, lineAmountMinor, sumDecimals, toScaled } from '../../format/decimal';

export interface ChainLine {
  itemCode: string;
  quantity: string;
  unitPrice?: string | null;
}

export interface ChainDoc {
  kind: string;
  documentNumber: string;
  documentDate: string;
  dueDate?: string | null;
  currency: string;
  total?: string | null;
  buyerId: string;
  sellerId: string;
  signerId: string;
  lines: readonly ChainLine[];
}

export interface Chain {
  purchaseOrder: ChainDoc;
  shipments: readonly ChainDoc[];
  goodsReceipts: readonly ChainDoc[];
  invoice: ChainDoc;
}

export type CheckId = 'total' | 'invoicedReceived' | 'receivedShipped' | 'dates' | 'parties' | 'signers';

export interface ChainCheck {
  id: CheckId;
  pass: boolean;
  /** What was compared, for the sentence beside the check ("126000.00 = 126000.00"). */
  detail: { total?: string; lines?: string; items?: string; dates?: string };
}

function quantitiesByItem(documents: readonly ChainDoc[]): Map<string, string> {
  const totals = new Map<string, string>();
  for (const document of documents) {
    for (const line of document.lines) {
      totals.set(line.itemCode, sumDecimals([totals.get(line.itemCode) ?? '0', line.quantity]));
    }
  }
  return totals;
}

/** Items of `over` whose quantity exceeds that in `under` (missing counts as zero). */
function exceeding(over: Map<string, string>, under: Map<string, string>): string[] {
  return [...over]
    .filter(([item, quantity]) => compareDecimal(quantity, under.get(item) ?? '0') > 0)
    .map(([item]) => item);
}

export function currencyDigitsOf(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

export function chainChecks(chain: Chain): ChainCheck[] {
  const { purchaseOrder, shipments, goodsReceipts, invoice } = chain;
  const digits = currencyDigitsOf(invoice.currency);
  const lineSum = invoice.lines.reduce(
    (sum, line) => sum + (lineAmountMinor(line.quantity, line.unitPrice ?? '0', digits) ?? 0n),
    0n,
  );
  const total = toScaled(invoice.total ?? '0', digits);
  const invoiced = quantitiesByItem([invoice]);
  const received = quantitiesByItem(goodsReceipts);
  const shipped = quantitiesByItem(shipments);
  const ordered = quantitiesByItem([purchaseOrder]);
  const overInvoiced = exceeding(invoiced, received);
  const overReceived = [...exceeding(received, shipped), ...exceeding(shipped, ordered)];
  const latest = (documents: readonly ChainDoc[]) =>
    documents
      .map((document) => document.documentDate)
      .sort()
      .at(-1) ?? '';
  const dates = [
    purchaseOrder.documentDate,
    latest(shipments),
    latest(goodsReceipts),
    invoice.documentDate,
    invoice.dueDate ?? '',
  ];
  const datesInOrder = dates.every(
    (date, index) => index === 0 || (date !== '' && date >= (dates[index - 1] ?? '')),
  );
  const all = [purchaseOrder, ...shipments, ...goodsReceipts, invoice];
  const sameParties = all.every(
    (document) => document.buyerId === invoice.buyerId && document.sellerId === invoice.sellerId,
  );
  const signedRight =
    goodsReceipts.every((receipt) => receipt.signerId === invoice.buyerId) &&
    shipments.every((shipment) => shipment.signerId === invoice.sellerId) &&
    invoice.signerId === invoice.sellerId;
  return [
    {
      id: 'total',
      pass: total !== null && total === lineSum,
      detail: { total: invoice.total ?? '—', lines: fromScaled(lineSum, digits) },
    },
    {
      id: 'invoicedReceived',
      pass: overInvoiced.length === 0 && goodsReceipts.length > 0,
      detail: { items: overInvoiced.join(', ') || '—' },
    },
    {
      id: 'receivedShipped',
      pass: overReceived.length === 0,
      detail: { items: overReceived.join(', ') || '—' },
    },
    { id: 'dates', pass: datesInOrder, detail: { dates: dates.map((date) => date || '—').join(' ≤ ') } },
    { id: 'parties', pass: sameParties, detail: {} },
    { id: 'signers', pass: signedRight, detail: {} },
  ];
}
