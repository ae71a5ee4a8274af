/**
 * payment.recorded: the obligor (the invoice's buyer) records a payment, partial or full, against a
 * confirmed invoice. It is allocated exactly across the current holders of the invoice's receivable
 * tree by the rule in settlement.ts (largest remainder, ties to the earlier node in (tier, id)
 * order); each holder's settled amount grows by its share and every node's status is recomputed.
 * A payment after default is a recovery: the receivables stay DEFAULTED until nothing is outstanding.
 *
 * Failure codes, in order: invalid_input, invoice_not_found, forbidden (not the buyer),
 * invalid_input (paymentId taken, amount malformed or zero), invoice_cancelled,
 * invoice_not_confirmed, receivable_on_hold, dates_out_of_order (paid before the invoice date),
 * receivable_settled (nothing outstanding), amount_exceeds_outstanding.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { formatAmount, parsePositiveAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { amountSchema, dateSchema, parseWith, uuidSchema } from '../validation.js';
import { factNotice } from '../webhooks/webhook.js';
import {
  checkedAmount,
  checkedInvoice,
  confirmedProblem,
  eventHash,
  invoiceChain,
  loadInvoice,
  loadInvoiceState,
  pendingHoldProblem,
} from './invoice-state.js';
import { assertNodeConserves } from './receivable.js';
import {
  applyChanges,
  findInvoiceTree,
  findPaymentAllocations,
  insertPayment,
  paymentExists,
} from './receivable.repository.js';
import { allocateAcrossHolders, applyAllocations, totalOutstanding } from './settlement.js';

export const paymentRecordedKind = 'payment.recorded';

const schema = z.strictObject({
  /** Chosen by the caller at prepare time. */
  paymentId: uuidSchema,
  invoiceId: uuidSchema,
  /** Exact decimal string in the invoice's currency. */
  amount: amountSchema,
  paidOn: dateSchema,
});

export type PaymentRecordedPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: PaymentRecordedPayload): Promise<Result<FactLinks>> {
  const loaded = await loadInvoice(trx, payload.invoiceId);
  if (!loaded.ok) return loaded;
  const invoice = loaded.value;
  if (invoice.buyerPartyId !== actor.partyId) {
    return fail('forbidden', 'only the obligor (the invoice buyer) records its payments', 'invoiceId');
  }
  if (await paymentExists(trx, payload.paymentId)) {
    return fail('invalid_input', 'paymentId is taken: choose a new UUID', 'paymentId');
  }
  const amount = parsePositiveAmount(payload.amount, invoice.currency);
  if (!amount.ok) return amount;
  const notConfirmed = confirmedProblem(invoice);
  if (notConfirmed) return notConfirmed;
  const state = await loadInvoiceState(trx, invoice);
  const held = pendingHoldProblem(state);
  if (held) return held;
  if (payload.paidOn < invoice.documentDate) {
    return fail('dates_out_of_order', 'a payment cannot precede the invoice date', 'paidOn');
  }
  const outstanding = totalOutstanding(state.tree);
  if (outstanding === 0n)
    return fail('receivable_settled', 'nothing is outstanding on the invoice', 'invoiceId');
  if (amount.value > outstanding) {
    return fail(
      'amount_exceeds_outstanding',
      'the payment is more than the invoice has outstanding',
      'amount',
    );
  }
  const root = state.tree.find((node) => node.parentId === null);
  assert(root !== undefined, 'payment.recorded: a confirmed invoice without a root receivable');
  return ok({ counterparty: invoice.sellerPartyId, refs: [await eventHash(trx, root.createdEventId)] });
}

export const paymentRecorded = registerFact<PaymentRecordedPayload>({
  kind: paymentRecordedKind,
  roles: ['core_enterprise', 'supplier'],
  chain: invoiceChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const invoice = await checkedInvoice(trx, paymentRecordedKind, payload.invoiceId);
    const amount = checkedAmount(paymentRecordedKind, payload.amount, invoice.currency);
    const tree = await findInvoiceTree(trx, invoice.id);
    const allocations = allocateAcrossHolders(tree, amount);
    const { changes } = applyAllocations(tree, allocations, 'settled');
    await insertPayment(
      trx,
      {
        id: payload.paymentId,
        invoiceId: invoice.id,
        eventId: event.id,
        payerPartyId: event.actorPartyId,
        currency: invoice.currency,
        amountMinor: amount,
        paidOn: payload.paidOn,
      },
      allocations,
    );
    await applyChanges(trx, changes);
    const after = await findInvoiceTree(trx, invoice.id);
    for (const node of after) assertNodeConserves(node);
    assert(
      totalOutstanding(after) === totalOutstanding(tree) - amount,
      'payment.recorded: outstanding did not fall by exactly the payment',
    );
  },
  // Each holder hears of its own share only, one notice per receivable it holds in the tree.
  async notify(trx, event, payload) {
    const invoice = await checkedInvoice(trx, paymentRecordedKind, payload.invoiceId);
    const allocations = await findPaymentAllocations(trx, payload.paymentId);
    return allocations.map((allocation) =>
      factNotice(event, {
        partyId: allocation.holderPartyId,
        type: 'payment_allocated',
        subject: allocation.receivableId,
        data: {
          paymentId: payload.paymentId,
          invoiceId: invoice.id,
          receivableId: allocation.receivableId,
          amount: formatAmount(allocation.amountMinor, invoice.currency),
          currency: invoice.currency,
          paymentAmount: payload.amount,
          paidOn: payload.paidOn,
          obligorPartyId: event.actorPartyId,
        },
      }),
    );
  },
});
