/**
 * Receivables: buyer confirmation, split and transfer, settlement at maturity, default, cancellation
 * and credit notes. Importing this module registers every receivable fact kind.
 */
import './credit-note-issued.fact.js';
import './invoice-cancelled.fact.js';
import './invoice-confirmed.fact.js';
import './invoice-hold-resolved.fact.js';
import './payment-recorded.fact.js';
import './receivable-defaulted.fact.js';
import './receivable-transferred.fact.js';

export { type CreditNoteIssuedPayload, creditNoteIssuedKind } from './credit-note-issued.fact.js';
export { type InvoiceCancelledPayload, invoiceCancelledKind } from './invoice-cancelled.fact.js';
export { type InvoiceConfirmedPayload, invoiceConfirmedKind } from './invoice-confirmed.fact.js';
export {
  holdOutcomes,
  type InvoiceHoldResolvedPayload,
  invoiceHoldResolvedKind,
} from './invoice-hold-resolved.fact.js';
export * from './invoice-summary.service.js';
export { enqueueDueNotices } from './notices.js';
export { type PaymentRecordedPayload, paymentRecordedKind } from './payment-recorded.fact.js';
export * from './receivable.js';
export * from './receivable.service.js';
export { type ReceivableDefaultedPayload, receivableDefaultedKind } from './receivable-defaulted.fact.js';
export * from './receivable-query.service.js';
export {
  type ReceivableTransferredPayload,
  receivableTransferredKind,
} from './receivable-transferred.fact.js';
export { type Allocation, allocateAcrossHolders } from './settlement.js';
