/**
 * credit_note.issued: the seller credits part of an invoice. The credit note is a trade document of
 * kind credit_note that names the invoice among its refs. Before confirmation it is in effect at once
 * (status confirmed; the confirmation starts the receivable that much credited). After confirmation
 * it reduces what other holders are owed, so it waits for the buyer (status issued) and every
 * receivable of the invoice goes on hold until invoice.hold_resolved.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the seller),
 * invalid_input (documentId taken, amount malformed or zero), invoice_cancelled, receivable_on_hold,
 * dates_out_of_order (issued before the invoice), invalid_input (creditNoteNumber used by this
 * seller), amount_exceeds_outstanding.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { parsePositiveAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import type { TradeDocument } from '../trade/trade-document.js';
import { findDocument, insertDocument } from '../trade/trade-document.repository.js';
import { amountSchema, dateSchema, parseWith, textSchema, uuidSchema } from '../validation.js';
import { financingAlertNotices, raiseFinancingAlerts } from './financed-watch.js';
import {
  checkedAmount,
  checkedInvoice,
  documentEventHash,
  invoiceChain,
  invoiceOutstanding,
  loadInvoice,
  loadInvoiceState,
  pendingHoldProblem,
} from './invoice-state.js';
import { creditNoteNumberTaken, setInvoiceHold } from './receivable.repository.js';

export const creditNoteIssuedKind = 'credit_note.issued';
export const creditNoteReasonLengthMax = 1000;

const schema = z.strictObject({
  /** Chosen by the caller at prepare time: the credit note's trade document id. */
  documentId: uuidSchema,
  invoiceId: uuidSchema,
  creditNoteNumber: textSchema(100, 'code'),
  /** Exact decimal string in the invoice's currency. */
  amount: amountSchema,
  reason: textSchema(creditNoteReasonLengthMax, 'freeText'),
  issueDate: dateSchema,
});

export type CreditNoteIssuedPayload = z.infer<typeof schema>;

async function inputProblem(
  trx: Trx,
  invoice: TradeDocument,
  payload: CreditNoteIssuedPayload,
): Promise<Result<bigint>> {
  if (await findDocument(trx, payload.documentId)) {
    return fail('invalid_input', 'documentId is taken: choose a new UUID', 'documentId');
  }
  return parsePositiveAmount(payload.amount, invoice.currency);
}

async function check(trx: Trx, actor: Actor, payload: CreditNoteIssuedPayload): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  if (invoice.sellerPartyId !== actor.partyId) {
    return fail('forbidden', 'only the seller of the invoice issues a credit note on it', 'invoiceId');
  }
  const amount = await inputProblem(trx, invoice, payload);
  if (!amount.ok) return amount;
  if (invoice.status === 'cancelled')
    return fail('invoice_cancelled', 'the invoice was cancelled', 'invoiceId');
  const state = await loadInvoiceState(trx, invoice);
  const held = pendingHoldProblem(state);
  if (held) return held;
  if (payload.issueDate < invoice.documentDate) {
    return fail('dates_out_of_order', 'a credit note cannot precede its invoice', 'issueDate');
  }
  if (await creditNoteNumberTaken(trx, invoice.sellerPartyId, payload.creditNoteNumber)) {
    return fail('invalid_input', 'the seller used this credit note number already', 'creditNoteNumber');
  }
  if (amount.value > invoiceOutstanding(state)) {
    return fail(
      'amount_exceeds_outstanding',
      'the credit is more than the invoice has outstanding',
      'amount',
    );
  }
  return ok({ counterparty: invoice.buyerPartyId, refs: [await documentEventHash(trx, invoice.id)] });
}

export const creditNoteIssued = registerFact<CreditNoteIssuedPayload>({
  kind: creditNoteIssuedKind,
  roles: ['supplier'],
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const invoice = await checkedInvoice(trx, creditNoteIssuedKind, payload.invoiceId);
    const amount = checkedAmount(creditNoteIssuedKind, payload.amount, invoice.currency);
    const confirmed = invoice.status === 'confirmed';
    assert(confirmed || invoice.status === 'issued', 'credit_note.issued: the invoice is not open to credit');
    await insertDocument(
      trx,
      {
        id: payload.documentId,
        kind: 'credit_note',
        eventId: event.id,
        buyerPartyId: invoice.buyerPartyId,
        sellerPartyId: invoice.sellerPartyId,
        currency: invoice.currency,
        documentNumber: payload.creditNoteNumber,
        documentDate: payload.issueDate,
        dueDate: null,
        totalMinor: amount,
        status: confirmed ? 'issued' : 'confirmed',
        body: { invoiceId: invoice.id, amount: payload.amount, reason: payload.reason },
      },
      [invoice.id],
    );
    if (!confirmed) return;
    await setInvoiceHold(trx, invoice.id, true);
    await raiseFinancingAlerts(trx, event, invoice.id, 'credit_note_issued');
  },
  // The lenders of disbursed financings on the invoice: what they are owed may shrink.
  notify: (trx, event, payload) => financingAlertNotices(trx, event, payload.invoiceId),
});
