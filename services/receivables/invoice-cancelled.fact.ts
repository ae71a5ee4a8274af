/**
 * invoice.cancelled: the seller cancels its invoice. Before confirmation the invoice is simply
 * cancelled. After confirmation others may hold parts of it, so it becomes cancellation_pending and
 * every receivable of the invoice goes on hold (no transfer, no payment, no financing) until the
 * buyer resolves it with invoice.hold_resolved.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the seller),
 * invoice_cancelled, receivable_on_hold (a cancellation or credit note awaits the buyer already),
 * receivable_settled (a confirmed invoice with nothing outstanding).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { setDocumentStatus } from '../trade/trade-document.repository.js';
import { parseWith, textSchema, uuidSchema } from '../validation.js';
import { financingAlertNotices, raiseFinancingAlerts } from './financed-watch.js';
import {
  checkedInvoice,
  documentEventHash,
  invoiceChain,
  loadInvoice,
  loadInvoiceState,
  pendingHoldProblem,
} from './invoice-state.js';
import { setInvoiceHold } from './receivable.repository.js';
import { totalOutstanding } from './settlement.js';

export const invoiceCancelledKind = 'invoice.cancelled';
export const cancellationReasonLengthMax = 1000;

const schema = z.strictObject({
  invoiceId: uuidSchema,
  reason: textSchema(cancellationReasonLengthMax, 'freeText'),
});

export type InvoiceCancelledPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: InvoiceCancelledPayload): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  if (invoice.sellerPartyId !== actor.partyId) {
    return fail('forbidden', 'only the seller of the invoice cancels it', 'invoiceId');
  }
  if (invoice.status === 'cancelled')
    return fail('invoice_cancelled', 'the invoice was cancelled already', 'invoiceId');
  const state = await loadInvoiceState(trx, invoice);
  const held = pendingHoldProblem(state);
  if (held) return held;
  if (state.tree.length > 0 && totalOutstanding(state.tree) === 0n) {
    return fail(
      'receivable_settled',
      'nothing is outstanding on the invoice: it cannot be cancelled',
      'invoiceId',
    );
  }
  return ok({ counterparty: invoice.buyerPartyId, refs: [await documentEventHash(trx, invoice.id)] });
}

export const invoiceCancelled = registerFact<InvoiceCancelledPayload>({
  kind: invoiceCancelledKind,
  roles: ['supplier'],
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const invoice = await checkedInvoice(trx, invoiceCancelledKind, payload.invoiceId);
    if (invoice.status === 'issued') {
      await setDocumentStatus(trx, payload.invoiceId, 'cancelled');
      return;
    }
    assert(invoice.status === 'confirmed', 'invoice.cancelled: cancelling an invoice that is not confirmed');
    await setDocumentStatus(trx, payload.invoiceId, 'cancellation_pending');
    await setInvoiceHold(trx, payload.invoiceId, true);
    await raiseFinancingAlerts(trx, event, payload.invoiceId, 'invoice_cancelled');
  },
  // The lenders of disbursed financings on the invoice: the paper they paid for may vanish.
  notify: (trx, event, payload) => financingAlertNotices(trx, event, payload.invoiceId),
});
