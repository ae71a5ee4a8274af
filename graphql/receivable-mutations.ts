/**
 * prepare… mutations for confirmation, transfer, settlement, default, cancellation, credit notes and
 * hold resolution. Each returns the statement to sign; submitStatement appends it.
 */
import {
  creditNoteIssuedKind,
  holdOutcomes,
  invoiceCancelledKind,
  invoiceConfirmedKind,
  invoiceHoldResolvedKind,
  paymentRecordedKind,
  receivableDefaultedKind,
  receivableTransferredKind,
} from '../services/receivables/index.js';
import { builder } from './builder.js';
import { screamingValues } from './enums.js';
import { prepareMutation } from './statement.js';

const idempotencyKeyField = { required: true, description: 'Client-chosen key (1-128 chars).' } as const;

const HoldOutcomeEnum = builder.enumType('HoldOutcome', { values: screamingValues(holdOutcomes) });

const InvoiceConfirmationInput = builder.inputType('InvoiceConfirmationInput', {
  description: 'The buyer confirms an invoice: a receivable it must pay at maturity, held by the seller.',
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', required: true }),
    receivableId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const ReceivableTransferInput = builder.inputType('ReceivableTransferInput', {
  description: 'The holder passes part of a receivable to another party; the remainder stays with it.',
  fields: (t) => ({
    receivableId: t.field({ type: 'UUID', required: true }),
    toPartyId: t.field({ type: 'UUID', required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    childReceivableId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const PaymentInput = builder.inputType('PaymentInput', {
  description: 'The obligor pays against a confirmed invoice; it is allocated across the current holders.',
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    paidOn: t.field({ type: 'Date', required: true }),
    paymentId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const InvoiceReasonInput = builder.inputType('InvoiceReasonInput', {
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', required: true }),
    reason: t.string({ required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const CreditNoteInput = builder.inputType('CreditNoteInput', {
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', required: true }),
    creditNoteNumber: t.string({ required: true }),
    amount: t.field({ type: 'Decimal', required: true }),
    reason: t.string({ required: true }),
    issueDate: t.field({ type: 'Date', required: true }),
    documentId: t.field({ type: 'UUID', required: false }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const HoldResolutionInput = builder.inputType('HoldResolutionInput', {
  description: 'The buyer accepts or rejects a pending cancellation or credit note; the hold lifts.',
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', required: true }),
    outcome: t.field({ type: HoldOutcomeEnum, required: true }),
    idempotencyKey: t.string(idempotencyKeyField),
  }),
});

const receivableMutations = [
  ['prepareInvoiceConfirmation', InvoiceConfirmationInput, invoiceConfirmedKind, ['receivableId']],
  ['prepareReceivableTransfer', ReceivableTransferInput, receivableTransferredKind, ['childReceivableId']],
  ['preparePayment', PaymentInput, paymentRecordedKind, ['paymentId']],
  ['prepareDefault', InvoiceReasonInput, receivableDefaultedKind, []],
  ['prepareInvoiceCancellation', InvoiceReasonInput, invoiceCancelledKind, []],
  ['prepareCreditNote', CreditNoteInput, creditNoteIssuedKind, ['documentId']],
  ['prepareHoldResolution', HoldResolutionInput, invoiceHoldResolvedKind, []],
] as const;

for (const [name, Input, kind, generatedIds] of receivableMutations) {
  prepareMutation(name, Input, kind, generatedIds);
}
