/**
 * What the receivable facts read about an invoice before they act: the invoice, its receivable tree,
 * a credit note awaiting the buyer, and the checks several facts share.
 *
 * Credit note statuses (trade_document.status of kind credit_note):
 * - issued: after confirmation, awaiting the buyer's resolution; the receivables are on hold;
 * - confirmed: in effect. Issued before confirmation (the confirmation then starts the receivable
 *   with that much already credited), or accepted by the buyer after it;
 * - recorded: rejected by the buyer. It stays on the ledger between buyer and seller, but the holders
 *   keep their claims in full.
 */
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { findEventsByIds } from '../events/event.repository.js';
import { parsePositiveAmount } from '../money/money.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import type { TradeDocument } from '../trade/trade-document.js';
import {
  eventHashesOfDocuments,
  findDocument,
  findInvoiceRow,
  findReferencingDocuments,
} from '../trade/trade-document.repository.js';
import type { Receivable } from './receivable.js';
import { findInvoiceTree } from './receivable.repository.js';
import { totalOutstanding } from './settlement.js';

export interface InvoiceState {
  invoice: TradeDocument;
  /** Every receivable of the invoice in (tier, id) order; empty before confirmation. */
  tree: Receivable[];
  /** A credit note issued after confirmation that the buyer has not resolved yet. */
  pendingCreditNote: TradeDocument | undefined;
  /** The sum of credit notes in effect (status confirmed). */
  creditedMinor: bigint;
}

/** The invoice's id if there is such an invoice, its row locked until the transaction ends when `lock`. */
export async function invoiceChainOf(
  trx: Trx,
  invoiceId: string,
  options: { lock: boolean },
): Promise<string | null> {
  return (await findInvoiceRow(trx, invoiceId, options))?.id ?? null;
}

/** The fact chain of a fact that names its invoice: the invoice's, begun by invoice.issued. */
export const invoiceChain = {
  of: (trx: Trx, payload: { invoiceId: string }, options: { lock: boolean }) =>
    invoiceChainOf(trx, payload.invoiceId, options),
};

export async function loadInvoice(trx: Trx, invoiceId: string): Promise<Result<TradeDocument>> {
  const invoice = await findDocument(trx, invoiceId);
  if (invoice?.kind !== 'invoice') {
    return fail('invoice_not_found', `no invoice with id ${invoiceId}`, 'invoiceId');
  }
  return ok(invoice);
}

/** In a projection: the invoice the fact's check found (gone now would be a bug, not bad input). */
export async function checkedInvoice(trx: Trx, kind: string, invoiceId: string): Promise<TradeDocument> {
  const loaded = await loadInvoice(trx, invoiceId);
  assert(loaded.ok, `${kind}: the invoice vanished after its check`);
  return loaded.value;
}

/** In a projection: an amount the fact's check accepted. */
export function checkedAmount(kind: string, text: string, currency: string): bigint {
  const amount = parsePositiveAmount(text, currency);
  assert(amount.ok, `${kind}: the amount was checked`);
  return amount.value;
}

export async function loadInvoiceState(trx: Trx, invoice: TradeDocument): Promise<InvoiceState> {
  const tree = await findInvoiceTree(trx, invoice.id);
  const creditNotes = await findReferencingDocuments(trx, invoice.id, 'credit_note');
  const pendingCreditNote = creditNotes.find((note) => note.status === 'issued');
  const creditedMinor = creditNotes
    .filter((note) => note.status === 'confirmed')
    .reduce((sum, note) => sum + (note.totalMinor ?? 0n), 0n);
  return { invoice, tree, pendingCreditNote, creditedMinor };
}

/** What the obligor still owes: the tree's outstanding after confirmation, the net total before. */
export function invoiceOutstanding(state: InvoiceState): bigint {
  if (state.tree.length > 0) return totalOutstanding(state.tree);
  return (state.invoice.totalMinor ?? 0n) - state.creditedMinor;
}

/** receivable_on_hold while a cancellation or a credit note waits for the buyer. */
export function pendingHoldProblem(state: InvoiceState): Failure | null {
  if (state.invoice.status === 'cancellation_pending') {
    return fail('receivable_on_hold', 'a cancellation of this invoice awaits the buyer', 'invoiceId');
  }
  if (state.pendingCreditNote || state.tree.some((node) => node.onHold)) {
    return fail('receivable_on_hold', 'a credit note on this invoice awaits the buyer', 'invoiceId');
  }
  return null;
}

/** invoice_cancelled, then invoice_not_confirmed: the invoice must be confirmed (pending or not). */
export function confirmedProblem(invoice: TradeDocument): Failure | null {
  if (invoice.status === 'cancelled')
    return fail('invoice_cancelled', 'the invoice was cancelled', 'invoiceId');
  if (invoice.status !== 'confirmed' && invoice.status !== 'cancellation_pending') {
    return fail('invoice_not_confirmed', 'the buyer has not confirmed the invoice', 'invoiceId');
  }
  return null;
}

/** The event hash (hex) of a document's event, for refs. */
export async function documentEventHash(trx: Trx, documentId: string): Promise<string> {
  const hashes = await eventHashesOfDocuments(trx, [documentId]);
  const hash = hashes.get(documentId);
  if (hash === undefined) throw new Error(`document ${documentId} has no event`);
  return hash;
}

/** The event hash (hex) of an event by id, for refs. */
export async function eventHash(trx: Trx, eventId: string): Promise<string> {
  const [event] = await findEventsByIds(trx, [eventId]);
  if (!event) throw new Error(`no event ${eventId}`);
  return event.eventHash.toString('hex');
}
