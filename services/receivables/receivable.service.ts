/**
 * Typed entry points for the receivable facts, signed with the actor's custodial key (recordFact).
 * For a party that signs itself, call prepareFact / submitFact (services/events/fact.service.ts) with
 * the same kind and payload. Each returns the appended event; the failure codes are listed in the
 * fact's own file, after those of the prepare/submit pipeline.
 */

import type { Ledger } from '../context.js';
import type { AppendedEvent } from '../events/event.js';
import { recordFact } from '../events/fact.service.js';
import type { Actor } from '../parties/party.js';
import type { Result } from '../result.js';
import { type CreditNoteIssuedPayload, creditNoteIssuedKind } from './credit-note-issued.fact.js';
import { type InvoiceCancelledPayload, invoiceCancelledKind } from './invoice-cancelled.fact.js';
import { type InvoiceConfirmedPayload, invoiceConfirmedKind } from './invoice-confirmed.fact.js';
import { type InvoiceHoldResolvedPayload, invoiceHoldResolvedKind } from './invoice-hold-resolved.fact.js';
import { type PaymentRecordedPayload, paymentRecordedKind } from './payment-recorded.fact.js';
import { type ReceivableDefaultedPayload, receivableDefaultedKind } from './receivable-defaulted.fact.js';
import {
  type ReceivableTransferredPayload,
  receivableTransferredKind,
} from './receivable-transferred.fact.js';

type FactRecorder<Payload> = (
  ledger: Ledger,
  actor: Actor,
  payload: Payload,
  idempotencyKey: string,
) => Promise<Result<AppendedEvent>>;

function recorder<Payload>(kind: string): FactRecorder<Payload> {
  return (ledger, actor, payload, idempotencyKey) => recordFact(ledger, actor, kind, payload, idempotencyKey);
}

/** The buyer confirms an invoice: creates the tier-0 receivable. */
export const confirmInvoice = recorder<InvoiceConfirmedPayload>(invoiceConfirmedKind);
/** transferReceivable(receivable, to, amount) by the current holder. */
export const transferReceivable = recorder<ReceivableTransferredPayload>(receivableTransferredKind);
/** The obligor pays (part of) a confirmed invoice. */
export const recordPayment = recorder<PaymentRecordedPayload>(paymentRecordedKind);
/** The obligor or a platform administrator declares a default. */
export const declareDefault = recorder<ReceivableDefaultedPayload>(receivableDefaultedKind);
/** The seller cancels an invoice. */
export const cancelInvoice = recorder<InvoiceCancelledPayload>(invoiceCancelledKind);
/** The seller issues a credit note on an invoice. */
export const issueCreditNote = recorder<CreditNoteIssuedPayload>(creditNoteIssuedKind);
/** The buyer accepts or rejects a pending cancellation or credit note. */
export const resolveHold = recorder<InvoiceHoldResolvedPayload>(invoiceHoldResolvedKind);
