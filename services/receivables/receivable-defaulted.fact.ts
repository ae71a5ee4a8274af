/**
 * receivable.defaulted: the obligor, or a platform administrator, declares the obligor in default on
 * an invoice. Every receivable of the invoice with something outstanding in its subtree becomes
 * DEFAULTED: the holders of unpaid parts, and the parents that passed those parts on (a parent reads
 * like the paper it passed on). Fully paid nodes keep their status. DEFAULTED is only ever set by
 * this event; an unpaid receivable past its due date plus grace days reads OVERDUE instead.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (neither the buyer nor a
 * platform administrator), invoice_cancelled, invoice_not_confirmed, receivable_on_hold,
 * receivable_settled (nothing outstanding), receivable_defaulted (declared already).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { type Actor, isPlatformAdmin } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { parseWith, textSchema, uuidSchema } from '../validation.js';
import { financingAlertNotices, raiseFinancingAlerts } from './financed-watch.js';
import {
  confirmedProblem,
  eventHash,
  invoiceChain,
  loadInvoice,
  loadInvoiceState,
  pendingHoldProblem,
} from './invoice-state.js';
import { findInvoiceTree, setStatuses } from './receivable.repository.js';
import { nodesToDefault, totalOutstanding } from './settlement.js';

export const receivableDefaultedKind = 'receivable.defaulted';
export const defaultReasonLengthMax = 1000;

const schema = z.strictObject({
  invoiceId: uuidSchema,
  reason: textSchema(defaultReasonLengthMax, 'freeText'),
});

export type ReceivableDefaultedPayload = z.infer<typeof schema>;

async function check(
  trx: Trx,
  actor: Actor,
  payload: ReceivableDefaultedPayload,
): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  const isObligor = invoice.buyerPartyId === actor.partyId;
  if (!isObligor && !isPlatformAdmin(actor)) {
    return fail('forbidden', 'only the obligor or a platform administrator declares a default', 'invoiceId');
  }
  const notConfirmed = confirmedProblem(invoice);
  if (notConfirmed) return notConfirmed;
  const state = await loadInvoiceState(trx, invoice);
  const held = pendingHoldProblem(state);
  if (held) return held;
  if (totalOutstanding(state.tree) === 0n) {
    return fail('receivable_settled', 'nothing is outstanding on the invoice', 'invoiceId');
  }
  if (nodesToDefault(state.tree).every((node) => node.status === 'defaulted')) {
    return fail(
      'receivable_defaulted',
      'the receivables of this invoice are in default already',
      'invoiceId',
    );
  }
  const root = state.tree.find((node) => node.parentId === null);
  assert(root !== undefined, 'receivable.defaulted: a confirmed invoice without a root receivable');
  return ok({
    counterparty: isObligor ? invoice.sellerPartyId : invoice.buyerPartyId,
    refs: [await eventHash(trx, root.createdEventId)],
  });
}

export const receivableDefaulted = registerFact<ReceivableDefaultedPayload>({
  kind: receivableDefaultedKind,
  roles: ['core_enterprise', 'supplier', 'platform_admin'],
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const tree = await findInvoiceTree(trx, payload.invoiceId);
    const defaulted = nodesToDefault(tree).map((node) => node.id);
    assert(defaulted.length > 0, 'receivable.defaulted: nothing to default after the check');
    await setStatuses(trx, defaulted, 'defaulted');
    await raiseFinancingAlerts(trx, event, payload.invoiceId, 'defaulted');
  },
  // The lenders of disbursed financings on the invoice: their repayment at maturity is in doubt.
  notify: (trx, event, payload) => financingAlertNotices(trx, event, payload.invoiceId),
});
