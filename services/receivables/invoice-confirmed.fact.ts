/**
 * invoice.confirmed: the buyer confirms an issued invoice, which creates the tier-0 receivable it must
 * pay at maturity: obligor = buyer, holder = seller, face = the invoice total, the invoice's currency
 * and due date. Credit notes issued before confirmation start the receivable already credited.
 * The statement states the amount, currency and due date the buyer confirms (prepare fills them in
 * from the invoice), so that whoever holds a part of the receivable can prove what the obligor owes
 * without seeing the invoice's lines.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the buyer),
 * invoice_cancelled, invoice_already_confirmed, invalid_input (receivableId taken; amount, currency
 * or due date not the invoice's), invoice_cancelled (credited in full).
 */

import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { kindsOfId } from '../events/object-id.repository.js';
import { formatAmount, parseAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { recordInvoiceFingerprint } from '../trade/invoice-fingerprint.repository.js';
import type { TradeDocument } from '../trade/trade-document.js';
import { setDocumentStatus } from '../trade/trade-document.repository.js';
import { amountSchema, currencySchema, dateSchema, parseWith, uuidSchema } from '../validation.js';
import { factNotice } from '../webhooks/webhook.js';
import {
  checkedInvoice,
  documentEventHash,
  invoiceChain,
  loadInvoice,
  loadInvoiceState,
} from './invoice-state.js';
import { receivedData } from './notices.js';
import { findReceivable, insertReceivables } from './receivable.repository.js';

export const invoiceConfirmedKind = 'invoice.confirmed';

const schema = z.strictObject({
  invoiceId: uuidSchema,
  /** Chosen by the caller at prepare time, so the statement names the receivable it creates. */
  receivableId: uuidSchema,
  /** The invoice's total, currency and due date: filled in at prepare when left out. */
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  dueDate: dateSchema.optional(),
});

export type InvoiceConfirmedPayload = z.infer<typeof schema>;

/** The terms as the invoice has them, in the statement's normal form. */
function termsOf(invoice: TradeDocument) {
  assert(invoice.totalMinor !== null && invoice.dueDate !== null, 'an invoice without a total or due date');
  return {
    amount: formatAmount(invoice.totalMinor, invoice.currency),
    currency: invoice.currency,
    dueDate: invoice.dueDate,
  };
}

/** The confirmation states the invoice's own amount, currency and due date. */
function statedTermsProblem(invoice: TradeDocument, payload: InvoiceConfirmedPayload): Failure | null {
  const terms = termsOf(invoice);
  if (payload.currency !== terms.currency) {
    return fail('invalid_input', `currency must be the invoice's, ${terms.currency}`, 'currency');
  }
  const amount = payload.amount === undefined ? null : parseAmount(payload.amount, terms.currency);
  if (amount === null || !amount.ok || amount.value !== invoice.totalMinor) {
    return fail('invalid_input', `amount must be the invoice total, ${terms.amount}`, 'amount');
  }
  if (payload.dueDate !== terms.dueDate) {
    return fail('invalid_input', `dueDate must be the invoice's, ${terms.dueDate}`, 'dueDate');
  }
  return null;
}

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
  if ((await kindsOfId(trx, payload.receivableId)).length > 0) {
    return fail('invalid_input', 'receivableId is taken: choose a new UUID', 'receivableId');
  }
  const stated = statedTermsProblem(invoice, payload);
  if (stated) return stated;
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
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  claims: (payload) => [payload.receivableId],
  async complete(trx, _ledger, payload) {
    const loaded = await loadInvoice(trx, payload.invoiceId);
    if (!loaded.ok || loaded.value.totalMinor === null || loaded.value.dueDate === null) return payload;
    return { ...termsOf(loaded.value), ...payload };
  },
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, ledger, event, payload) {
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
    // Only a confirmed invoice has a fingerprint: checkFingerprint answers for genuine, accepted paper.
    await recordInvoiceFingerprint(trx, ledger.fingerprintKey, invoice);
  },
  // The seller now holds the tier-0 receivable.
  async notify(trx, event, payload) {
    const receivable = await findReceivable(trx, payload.receivableId);
    assert(receivable !== undefined, 'invoice.confirmed: the receivable it created is missing');
    return [
      factNotice(event, {
        partyId: receivable.holderPartyId,
        type: 'receivable_received',
        data: { ...receivedData(receivable), via: 'CONFIRMATION', fromPartyId: receivable.obligorPartyId },
      }),
    ];
  },
});
