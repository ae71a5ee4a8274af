/** Trade documents as projected from their events: purchase orders, shipments, receipts, invoices. */
import type { TradeDocumentKind, TradeDocumentStatus } from '../../schema/database.js';

export type { TradeDocumentKind, TradeDocumentStatus };

export interface TradeDocument {
  id: string;
  kind: TradeDocumentKind;
  eventId: string;
  buyerPartyId: string;
  sellerPartyId: string;
  currency: string;
  /** Order number, waybill number, tax invoice number or credit note number. */
  documentNumber: string;
  /** Order date, shipping date, receipt date or issue date. */
  documentDate: string;
  dueDate: string | null;
  totalMinor: bigint | null;
  status: TradeDocumentStatus;
  /** The validated payload: lines and kind-specific fields. */
  body: Record<string, unknown>;
  createdAt: Date;
}

/** Who may see a document: its buyer and seller (auditors and administrators see all). */
export function isPartyTo(document: TradeDocument, partyId: string): boolean {
  return document.buyerPartyId === partyId || document.sellerPartyId === partyId;
}
