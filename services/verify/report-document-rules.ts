/**
 * The rules of check b that the trade facts do not already state as one function: quantities of
 * the whole chain, amounts against the receivable, dates through to the confirmation, who signed
 * what. Built from services/trade's own pieces (chain-rules.ts) so that the report and the facts
 * count quantities and amounts the same way.
 */

import {
  firstExcess,
  itemNotOnOrder,
  lineAmounts,
  type PricedLine,
  quantitiesByItem,
} from '../trade/chain-rules.js';
import type { ChainDocument, InvoiceChain } from '../trade/document-chain.service.js';
import type { TradeDocument } from '../trade/trade-document.js';
import { evidence, type Finding } from './report.js';
import type { ReportEvent } from './report-events.repository.js';

const failed = (summary: string, ...items: Finding['evidence']): Finding => ({
  status: 'fail',
  summary,
  evidence: items,
});

function invoiceLines(invoice: TradeDocument): Array<PricedLine> {
  const lines = invoice.body.lines;
  return Array.isArray(lines) ? (lines as PricedLine[]) : [];
}

/** Receipts accept no more than was ordered, shipments ship no more, the invoice bills no more than accepted. */
export function quantityFindings(chain: InvoiceChain, otherInvoices: readonly TradeDocument[]): Finding[] {
  const order = chain.purchaseOrder.document;
  const invoice = chain.invoice.document;
  const findings: Finding[] = [];
  const notOnOrder = itemNotOnOrder(invoiceLines(invoice), order);
  if (notOnOrder) {
    findings.push(
      failed(
        'the invoice bills an item the order does not have',
        evidence('invoice', 'document', [invoice.id]),
      ),
    );
  }
  const ordered = quantitiesByItem([order], 'quantity');
  const stages: Array<[string, ChainDocument[], string]> = [
    ['shipped', chain.shipments, 'quantity'],
    ['accepted', chain.goodsReceipts, 'quantityAccepted'],
  ];
  for (const [stage, documents, field] of stages) {
    for (const [item, quantity] of quantitiesByItem(
      documents.map((entry) => entry.document),
      field,
    )) {
      const limit = ordered.get(item) ?? 0n;
      if (quantity > limit) {
        findings.push(
          failed(
            `an item was ${stage} beyond the quantity ordered`,
            evidence(
              `${stage} documents`,
              'document',
              documents.map((entry) => entry.document.id),
            ),
          ),
        );
      }
    }
  }
  const accepted = quantitiesByItem(
    chain.goodsReceipts.map((entry) => entry.document),
    'quantityAccepted',
  );
  const billedBefore = quantitiesByItem(otherInvoices, 'quantity');
  const excess = firstExcess(invoiceLines(invoice), 'quantity', billedBefore, accepted);
  if (excess) {
    findings.push(
      failed(
        'with the other invoices on the same receipts, the invoice bills an item beyond the quantity accepted',
        evidence(
          'other invoices on the same receipts',
          'document',
          otherInvoices.map((other) => other.id),
        ),
      ),
    );
  }
  return findings;
}

/** The lines add up to the invoice total, and the root receivable's face is that total. */
export function amountFindings(invoice: TradeDocument, rootFaceMinor: bigint | null): Finding[] {
  const findings: Finding[] = [];
  const total = lineAmounts(invoiceLines(invoice), invoice.currency);
  if (!total.ok || total.value !== invoice.totalMinor) {
    findings.push(
      failed('the invoice lines do not add up to its total', evidence('invoice', 'document', [invoice.id])),
    );
  }
  if (rootFaceMinor !== null && rootFaceMinor !== invoice.totalMinor) {
    findings.push(
      failed(
        "the confirmed receivable's face differs from the invoice total",
        evidence('invoice', 'document', [invoice.id]),
      ),
    );
  }
  return findings;
}

/** order ≤ shipment ≤ receipt (of the shipments it names) ≤ invoice ≤ confirmation, and issue ≤ due. */
export function dateFindings(chain: InvoiceChain, confirmation: ReportEvent | undefined): Finding[] {
  const order = chain.purchaseOrder.document;
  const invoice = chain.invoice.document;
  const findings: Finding[] = [];
  const before = (first: TradeDocument, then: TradeDocument) => {
    if (then.documentDate < first.documentDate) {
      findings.push(
        failed(
          `${then.kind} ${then.id} is dated before ${first.kind} ${first.id}`,
          evidence('documents out of order', 'document', [first.id, then.id]),
        ),
      );
    }
  };
  for (const shipment of chain.shipments) before(order, shipment.document);
  for (const receipt of chain.goodsReceipts) {
    const named = receipt.document.body.shipmentIds;
    for (const shipment of chain.shipments) {
      if (Array.isArray(named) && named.includes(shipment.document.id))
        before(shipment.document, receipt.document);
    }
  }
  if (invoice.dueDate !== null && invoice.dueDate < invoice.documentDate) {
    findings.push(
      failed(
        `the invoice is due ${invoice.dueDate}, before its issue date ${invoice.documentDate}`,
        evidence('invoice', 'document', [invoice.id]),
      ),
    );
  }
  if (confirmation) {
    const confirmedOn = confirmation.occurredAt.toISOString().slice(0, 10);
    if (confirmedOn < invoice.documentDate) {
      findings.push(
        failed(
          `the confirmation is dated ${confirmedOn}, before the invoice's issue date ${invoice.documentDate}`,
          evidence('confirmation', 'event', [confirmation.eventId]),
        ),
      );
    }
  }
  return findings;
}

/**
 * The buyer signed its receipts and the confirmation, the seller its invoice; anything signed with a
 * custodial key is weaker evidence (the platform holds the key) and only warns.
 */
export function signerFindings(
  chain: InvoiceChain,
  confirmation: ReportEvent | undefined,
  events: ReadonlyMap<string, ReportEvent>,
): Finding[] {
  const invoice = chain.invoice.document;
  const findings: Finding[] = [];
  const expect = (eventId: string, partyId: string, what: string) => {
    const event = events.get(eventId);
    if (event && event.actorPartyId !== partyId) {
      findings.push(
        failed(
          `the ${what} was signed by ${event.actorPartyId}, not by ${partyId}`,
          evidence(`${what} signed by the wrong party`, 'event', [eventId]),
        ),
      );
    }
  };
  for (const receipt of chain.goodsReceipts) expect(receipt.event.id, invoice.buyerPartyId, 'goods receipt');
  expect(chain.invoice.event.id, invoice.sellerPartyId, 'invoice');
  if (!confirmation) {
    findings.push(
      failed(
        'no confirmation by the buyer was found behind the receivable',
        evidence('invoice', 'document', [invoice.id]),
      ),
    );
  } else {
    expect(confirmation.eventId, invoice.buyerPartyId, 'confirmation');
  }
  const documentEvents = [chain.purchaseOrder, ...chain.shipments, ...chain.goodsReceipts, chain.invoice].map(
    (entry) => entry.event.id,
  );
  const signed = confirmation ? [...documentEvents, confirmation.eventId] : documentEvents;
  const custodial = signed.filter((id) => events.get(id)?.custodial === true);
  if (custodial.length > 0) {
    findings.push({
      status: 'warn',
      summary: `${custodial.length} documents of the chain were signed with a custodial key the platform holds, weaker evidence than a party's own key`,
      evidence: [evidence('signed with a custodial key', 'event', custodial)],
    });
  }
  return findings;
}
