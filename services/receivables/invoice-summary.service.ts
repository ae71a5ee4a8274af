/**
 * What a holder of any part of a receivable tree may know of the invoice behind it, without being a
 * party to the trade: who owes whom, how much, in what currency, when, and the hash of the signed
 * invoice (its statement stays with the buyer and seller). The lines, quantities, unit prices and
 * the tax invoice number are trade terms between the buyer and the seller; a downstream supplier or
 * a lender learns them only from those two. Full documents: services/trade/document-chain.service.ts.
 */

import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import { findEventsByIds } from '../events/event.repository.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { isPartyTo } from '../trade/trade-document.js';
import { findDocumentsByIds } from '../trade/trade-document.repository.js';
import { treesSeenBy } from './receivable-query.repository.js';

export interface InvoiceSummary {
  invoiceId: string;
  buyerPartyId: string;
  sellerPartyId: string;
  currency: string;
  totalMinor: bigint;
  issueDate: string;
  dueDate: string;
  /** The hash of the signed invoice statement: a lender checks it against a proof bundle. */
  eventHash: Buffer;
}

/**
 * The summaries of the invoices the actor may know of: those it is buyer or seller of, those whose
 * receivable tree it holds or owes any node of, and every one for auditors and administrators. The
 * rest are left out of the map.
 */
export async function findInvoiceSummaries(
  ledger: Ledger,
  actor: Actor,
  invoiceIds: readonly string[],
): Promise<Map<string, InvoiceSummary>> {
  return inTransaction(ledger.db, async (trx) => {
    const invoices = (await findDocumentsByIds(trx, invoiceIds)).filter(
      (document) => document.kind === 'invoice',
    );
    const seen = seesEverything(actor)
      ? new Set(invoiceIds)
      : await treesSeenBy(
          trx,
          invoices.map((invoice) => invoice.id),
          actor.partyId,
        );
    const visible = invoices.filter((invoice) => seen.has(invoice.id) || isPartyTo(invoice, actor.partyId));
    const events = new Map(
      (
        await findEventsByIds(
          trx,
          visible.map((invoice) => invoice.eventId),
        )
      ).map((event) => [event.id, event]),
    );
    const summaries = new Map<string, InvoiceSummary>();
    for (const invoice of visible) {
      const event = events.get(invoice.eventId);
      if (!event || invoice.totalMinor === null || invoice.dueDate === null) continue;
      summaries.set(invoice.id, {
        invoiceId: invoice.id,
        buyerPartyId: invoice.buyerPartyId,
        sellerPartyId: invoice.sellerPartyId,
        currency: invoice.currency,
        totalMinor: invoice.totalMinor,
        issueDate: invoice.documentDate,
        dueDate: invoice.dueDate,
        eventHash: event.eventHash,
      });
    }
    return summaries;
  });
}
