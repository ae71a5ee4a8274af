/**
 * Check b (document chain): purchase order → shipments → goods receipts → invoice → the buyer's
 * confirmation, between one buyer and one seller, in one currency, with quantities and amounts that
 * add up and dates in order, the receipts and the confirmation signed by the buyer. The chain rules
 * an invoice passed when it was issued (trade/invoice-rules.ts loadInvoiceChain) are run again over
 * what is stored now, so an edited row shows; custodial signatures warn. Findings name documents,
 * events and parties, never lines, prices or the tax invoice number: the report reaches lenders and
 * holders that are not party to the trade (the one visibility rule of services/trade).
 */
import type { Trx } from '../db/transaction.js';
import { errorCatalogue } from '../errors.js';
import { loadInvoiceChain } from '../trade/invoice-rules.js';
import { findDocumentsReferencingAny } from '../trade/trade-document.repository.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import { amountFindings, dateFindings, quantityFindings, signerFindings } from './report-document-rules.js';
import type { ReportSubject } from './report-subject.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];

function statusFinding(subject: ReportSubject): Finding | null {
  const { invoice } = subject;
  const about = [evidence('invoice', 'document', [invoice.id])];
  if (invoice.status === 'cancelled')
    return { status: 'fail', summary: 'the invoice was cancelled', evidence: about };
  if (invoice.status === 'cancellation_pending')
    return { status: 'warn', summary: 'a cancellation of the invoice awaits the buyer', evidence: about };
  if (invoice.status !== 'confirmed')
    return { status: 'fail', summary: 'the buyer has not confirmed the invoice', evidence: about };
  return null;
}

export async function documentChainCheck(trx: Trx, subject: ReportSubject): Promise<ReportCheck> {
  const { chain, invoice } = subject;
  if (chain === null) {
    return checkOf('document_chain', '', [
      {
        status: 'fail',
        summary:
          'the invoice names no purchase order and goods receipts: there is no trade behind it to check',
        evidence: [evidence('invoice', 'document', [invoice.id])],
      },
    ]);
  }
  const findings: Finding[] = [];
  const status = statusFinding(subject);
  if (status) findings.push(status);
  const body = invoice.body;
  const loaded = await loadInvoiceChain(
    trx,
    {
      documentId: invoice.id,
      buyerPartyId: invoice.buyerPartyId,
      sellerPartyId: invoice.sellerPartyId,
      currency: invoice.currency,
      issueDate: invoice.documentDate,
      purchaseOrderId: String(body.purchaseOrderId),
      goodsReceiptIds: strings(body.goodsReceiptIds),
      taxInvoiceNumber: invoice.documentNumber,
      lines: [],
    },
    () => true,
  );
  if (!loaded.ok) {
    findings.push({
      status: 'fail',
      summary: errorCatalogue[loaded.code].description,
      evidence: [evidence('rule broken', 'text', [loaded.code])],
    });
  }
  const receiptIds = chain.goodsReceipts.map((entry) => entry.document.id);
  const others = (await findDocumentsReferencingAny(trx, receiptIds, 'invoice')).filter(
    (other) => other.id !== invoice.id && other.status !== 'cancelled',
  );
  const root = subject.tree.find((node) => node.parentId === null);
  const created = root ? subject.events.get(root.createdEventId) : undefined;
  const confirmation = created?.kind === 'invoice.confirmed' ? created : undefined;
  findings.push(
    ...quantityFindings(chain, others),
    ...amountFindings(invoice, root?.faceMinor ?? null),
    ...dateFindings(chain, confirmation),
    ...signerFindings(chain, confirmation, subject.events),
  );
  const documents = [chain.purchaseOrder, ...chain.shipments, ...chain.goodsReceipts, chain.invoice];
  findings.push({
    status: 'pass',
    summary: '',
    evidence: [
      evidence(
        'order, shipments, receipts, invoice',
        'document',
        documents.map((entry) => entry.document.id),
      ),
      evidence(
        'their events',
        'event',
        documents.map((entry) => entry.event.id),
      ),
      evidence('confirmation', 'event', confirmation ? [confirmation.eventId] : []),
      evidence('buyer, seller', 'party', [invoice.buyerPartyId, invoice.sellerPartyId]),
    ],
  });
  return checkOf(
    'document_chain',
    'order, shipments, receipts, invoice and confirmation are between the same buyer and seller, add up, are dated in order, and the buyer signed its receipts and the confirmation with its own key',
    findings,
  );
}
