/**
 * What every check of a report reads, loaded once in one snapshot: the receivable, its invoice and
 * the invoice's whole tree, the trade documents before the invoice, the invoice's fact chain, every
 * event behind the receivable (the same events its proof bundle carries, registry events aside) and
 * the latest checkpoint.
 */
import type { Trx } from '../db/transaction.js';
import { type ChainLink, findChainLinks } from '../events/fact-chain.repository.js';
import { findCheckpoint, type StoredCheckpoint } from '../ledger/proof.repository.js';
import type { Receivable } from '../receivables/receivable.js';
import { findInvoiceTree } from '../receivables/receivable.repository.js';
import { chainOf, type InvoiceChain } from '../trade/document-chain.service.js';
import type { TradeDocument } from '../trade/trade-document.js';
import { findDocument } from '../trade/trade-document.repository.js';
import { findReportEvents, type ReportEvent } from './report-events.repository.js';

export interface ReportSubject {
  receivable: Receivable;
  invoice: TradeDocument;
  /** Every node of the invoice's tree, in (tier, id) order. */
  tree: Receivable[];
  /** The order, shipments and receipts before the invoice; null when the invoice names none. */
  chain: InvoiceChain | null;
  /** The invoice's fact chain, first first: the invoice, its confirmation, transfers, payments… */
  links: ChainLink[];
  /** The documents' events, then the chain's, in that order. */
  behindEventIds: string[];
  events: Map<string, ReportEvent>;
  checkpoint: StoredCheckpoint | null;
}

/** An invoice.issued names its order and receipts; anything else has no document chain to load. */
function namesItsChain(invoice: TradeDocument): boolean {
  return (
    invoice.kind === 'invoice' &&
    typeof invoice.body.purchaseOrderId === 'string' &&
    Array.isArray(invoice.body.goodsReceiptIds)
  );
}

export async function loadSubject(trx: Trx, receivable: Receivable): Promise<ReportSubject | null> {
  const invoice = await findDocument(trx, receivable.invoiceId);
  if (!invoice) return null;
  const [tree, chain, links, checkpoint] = [
    await findInvoiceTree(trx, invoice.id),
    namesItsChain(invoice) ? await chainOf(trx, invoice) : null,
    await findChainLinks(trx, invoice.id),
    (await findCheckpoint(trx, null)) ?? null,
  ];
  const documentEventIds = chain
    ? [chain.purchaseOrder, ...chain.shipments, ...chain.goodsReceipts].map((entry) => entry.event.id)
    : [];
  const behindEventIds = [...new Set([...documentEventIds, ...links.map((link) => link.eventId)])];
  const events = new Map(
    (await findReportEvents(trx, behindEventIds)).map((event) => [event.eventId, event]),
  );
  return { receivable, invoice, tree, chain, links, behindEventIds, events, checkpoint };
}
