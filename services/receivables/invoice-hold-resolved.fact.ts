/**
 * invoice.hold_resolved: the buyer answers a pending cancellation or credit note, which lifts the hold
 * on every receivable of the invoice either way.
 * - cancellation accepted: the invoice is cancelled; every receivable not already SETTLED becomes
 *   CANCELLED and what was outstanding on it is written off (credited).
 * - cancellation rejected: the invoice is confirmed again; the holders keep their claims.
 * - credit note accepted: the credit is allocated across the current holders like a negative
 *   payment (credited, by the same largest-remainder rule and (tier, id) tie order); the note is in
 *   effect (status confirmed).
 * - credit note rejected: the note stays on the ledger (status recorded) but the holders keep their
 *   claims in full.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the buyer),
 * no_hold_to_resolve.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import type { TradeDocument } from '../trade/trade-document.js';
import { setDocumentStatus } from '../trade/trade-document.repository.js';
import { parseWith, uuidSchema } from '../validation.js';
import {
  checkedInvoice,
  documentEventHash,
  type InvoiceState,
  invoiceChain,
  loadInvoice,
  loadInvoiceState,
} from './invoice-state.js';
import { applyChanges, setInvoiceHold } from './receivable.repository.js';
import { allocateAcrossHolders, applyAllocations, cancellationChanges } from './settlement.js';

export const invoiceHoldResolvedKind = 'invoice.hold_resolved';
export const holdOutcomes = ['accepted', 'rejected'] as const;

const schema = z.strictObject({
  invoiceId: uuidSchema,
  outcome: z.enum(holdOutcomes),
});

export type InvoiceHoldResolvedPayload = z.infer<typeof schema>;

/** The document whose hold is being resolved: the invoice (a cancellation) or a credit note. */
function pendingDocument(state: InvoiceState): TradeDocument | undefined {
  if (state.invoice.status === 'cancellation_pending') return state.invoice;
  return state.pendingCreditNote;
}

async function check(
  trx: Trx,
  actor: Actor,
  payload: InvoiceHoldResolvedPayload,
): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  if (invoice.buyerPartyId !== actor.partyId) {
    return fail('forbidden', 'only the buyer of the invoice resolves a hold on it', 'invoiceId');
  }
  const pending = pendingDocument(await loadInvoiceState(trx, invoice));
  if (!pending)
    return fail('no_hold_to_resolve', 'no cancellation or credit note awaits the buyer', 'invoiceId');
  return ok({ counterparty: invoice.sellerPartyId, refs: [await documentEventHash(trx, pending.id)] });
}

async function resolveCancellation(trx: Trx, state: InvoiceState, accepted: boolean): Promise<void> {
  if (accepted) await applyChanges(trx, cancellationChanges(state.tree));
  await setDocumentStatus(trx, state.invoice.id, accepted ? 'cancelled' : 'confirmed');
}

async function resolveCreditNote(trx: Trx, state: InvoiceState, note: TradeDocument, accepted: boolean) {
  if (accepted) {
    assert(note.totalMinor !== null, 'invoice.hold_resolved: a credit note without an amount');
    const allocations = allocateAcrossHolders(state.tree, note.totalMinor);
    await applyChanges(trx, applyAllocations(state.tree, allocations, 'credited').changes);
  }
  await setDocumentStatus(trx, note.id, accepted ? 'confirmed' : 'recorded');
}

export const invoiceHoldResolved = registerFact<InvoiceHoldResolvedPayload>({
  kind: invoiceHoldResolvedKind,
  roles: ['core_enterprise', 'supplier'],
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, _event, payload) {
    const state = await loadInvoiceState(
      trx,
      await checkedInvoice(trx, invoiceHoldResolvedKind, payload.invoiceId),
    );
    const accepted = payload.outcome === 'accepted';
    if (state.invoice.status === 'cancellation_pending') {
      await resolveCancellation(trx, state, accepted);
    } else {
      assert(state.pendingCreditNote !== undefined, 'invoice.hold_resolved: nothing pending after the check');
      await resolveCreditNote(trx, state, state.pendingCreditNote, accepted);
    }
    await setInvoiceHold(trx, state.invoice.id, false);
  },
});
