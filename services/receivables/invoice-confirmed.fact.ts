/**
 * invoice.confirmed: the buyer confirms an issued invoice, which creates the tier-0 receivable it must
 * pay at maturity: obligor = buyer, holder = seller, face = the invoice total, the invoice's currency
 * and due date. Credit notes issued before confirmation start the receivable already credited.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the buyer),
 * invoice_cancelled, invoice_already_confirmed, invalid_input (receivableId taken),
 * invoice_cancelled (credited in full).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { setDocumentStatus } from '../trade/trade-document.repository.js';
import { parseWith, uuidSchema } from '../validation.js';
import { checkedInvoice, documentEventHash, loadInvoice, loadInvoiceState } from './invoice-state.js';
import { findReceivable, insertReceivables } from './receivable.repository.js';

export const invoiceConfirmedKind = 'invoice.confirmed';

const schema = z.strictObject({
  invoiceId: uuidSchema,
  /** Chosen by the caller at prepare time, so the statement names the receivable it creates. */
  receivableId: uuidSchema,
});

export type InvoiceConfirmedPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: InvoiceConfirmedPayload): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  if (invoice.buyerPartyId !== actor.partyId) {
    return fail('forbidden', 'only the buyer of the invoice confirms it', 'invoiceId');
  }
  if (invoice.status === 'cancelled')
    return fail('invoice_cancelled', 'the invoice was cancelled', 'invoiceId');
  if (invoice.status !== 'issued') {
    return fail('invoice_already_confirmed', 'the invoice was confirmed already', 'invoiceId');
  }
  if (await findReceivable(trx, payload.receivableId)) {
    return fail('invalid_input', 'receivableId is taken: choose a new UUID', 'receivableId');
  }
  const state = await loadInvoiceState(trx, invoice);
  if (state.creditedMinor >= (invoice.totalMinor ?? 0n)) {
    return fail(
      'invoice_cancelled',
      'the invoice was credited in full: nothing is left to confirm',
      'invoiceId',
    );
  }
  return ok({ counterparty: invoice.sellerPartyId, refs: [await documentEventHash(trx, invoice.id)] });
}

export const invoiceConfirmed = registerFact<InvoiceConfirmedPayload>({
  kind: invoiceConfirmedKind,
  roles: ['core_enterprise', 'supplier'],
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const invoice = await checkedInvoice(trx, invoiceConfirmedKind, payload.invoiceId);
    const state = await loadInvoiceState(trx, invoice);
    assert(invoice.totalMinor !== null, 'invoice.confirmed: an invoice without a total');
    assert(invoice.dueDate !== null, 'invoice.confirmed: an invoice without a due date');
    await setDocumentStatus(trx, invoice.id, 'confirmed');
    await insertReceivables(trx, [
      {
        id: payload.receivableId,
        invoiceId: invoice.id,
        parentId: null,
        rootId: payload.receivableId,
        tier: 0,
        obligorPartyId: invoice.buyerPartyId,
        holderPartyId: invoice.sellerPartyId,
        currency: invoice.currency,
        faceMinor: invoice.totalMinor,
        creditedMinor: state.creditedMinor,
        dueDate: invoice.dueDate,
        status: 'open',
        createdEventId: event.id,
      },
    ]);
  },
});
