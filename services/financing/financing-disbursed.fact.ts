/**
 * financing.disbursed: the lender whose offer was accepted states that it paid, with its payment
 * reference. At that moment the financed amount is split off the receivable exactly as a transfer
 * splits it (receivable.transferred): the parent's transferred amount grows by the amount, and a
 * child one tier deeper, held by the lender and flagged financed (financed_by), carries it; so the
 * obligor's payment at maturity reaches the lender through the ordinary settlement, and the
 * financing reads REPAID or DEFAULTED from that child. The root's financed total grows by the amount
 * (financed_root, whose CHECK keeps it within the face), and the lender's credit limits are checked
 * again against its utilisation now.
 *
 * Failure codes, in order: invalid_input, financing_not_found, lender_not_asked, financing_expired,
 * financing_closed, financing_already_disbursed, financing_not_accepted, lender_not_asked (not the
 * accepted lender), invalid_input (receivableId, childReceivableId taken, amount malformed, deepest
 * tier), disbursement_amount_mismatch, receivable_not_found, the receivable's own state
 * (financing-checks.ts), amount_exceeds_outstanding, receivable_already_financed (the root's face),
 * credit_limit_exceeded.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { kindsOfId } from '../events/object-id.repository.js';
import { quoted } from '../money/decimal-text.js';
import { formatAmount, parsePositiveAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { eventHash } from '../receivables/invoice-state.js';
import { tierMax } from '../receivables/receivable.js';
import { addTransferred, findReceivable, insertReceivables } from '../receivables/receivable.repository.js';
import { assertSplitConserves } from '../receivables/split-conservation.js';
import { fail, ok, type Result } from '../result.js';
import { amountSchema, parseWith, textSchema, uuidSchema } from '../validation.js';
import { creditLimitProblem } from './credit-limit.js';
import { paymentReferenceLengthMax } from './financing.js';
import {
  addFinanced,
  findFinancedRoot,
  findFinancing,
  findLenders,
  findResponse,
  setReceivableFinancing,
  updateFinancing,
} from './financing.repository.js';
import {
  askedProblem,
  financingChain,
  loadFinancing,
  receivableStateProblem,
  stageProblem,
} from './financing-checks.js';

export const financingDisbursedKind = 'financing.disbursed';

const schema = z.strictObject({
  financingId: uuidSchema,
  /** The receivable financed: stated by the server at prepare, so replaying the chain needs no lookup. */
  receivableId: uuidSchema.optional(),
  /** Exactly the financed amount, in its currency. */
  amount: amountSchema,
  /** The lender's reference of the payment it made (a bank transfer's). */
  paymentReference: textSchema(paymentReferenceLengthMax, 'code'),
  /** Chosen by the caller at prepare time: the id of the lender's part. */
  childReceivableId: uuidSchema,
});

export type FinancingDisbursedPayload = z.infer<typeof schema>;

async function check(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  payload: FinancingDisbursedPayload,
): Promise<Result<FactLinks>> {
  const now = new Date();
  const loaded = await loadFinancing(trx, payload.financingId);
  if (!loaded.ok) return loaded;
  const financing = loaded.value;
  const lenders = (await findLenders(trx, [financing.id])).get(financing.id) ?? [];
  const notAsked = askedProblem(lenders, actor);
  if (notAsked) return notAsked;
  const stage = stageProblem(financing, ['accepted'], now);
  if (stage) return stage;
  if (financing.lenderPartyId !== actor.partyId) {
    return fail('lender_not_asked', 'another lender’s offer was accepted', 'financingId');
  }
  if (payload.receivableId !== financing.receivableId) {
    return fail(
      'invalid_input',
      `receivableId: the financing finances ${financing.receivableId}`,
      'receivableId',
    );
  }
  if ((await kindsOfId(trx, payload.childReceivableId)).length > 0) {
    return fail('invalid_input', 'childReceivableId is taken: choose a new UUID', 'childReceivableId');
  }
  const amount = parsePositiveAmount(payload.amount, financing.currency);
  if (!amount.ok) return amount;
  if (amount.value !== financing.amountMinor) {
    const financed = formatAmount(financing.amountMinor, financing.currency);
    return fail(
      'disbursement_amount_mismatch',
      `amount: ${quoted(payload.amount)} is not the financed amount ${financed}: a disbursement pays exactly the financed amount`,
      'amount',
    );
  }
  const receivable = await findReceivable(trx, financing.receivableId);
  if (!receivable) return fail('receivable_not_found', 'the receivable financed is gone', 'financingId');
  if (receivable.tier >= tierMax) {
    return fail('invalid_input', `a receivable of tier ${tierMax} cannot be split further`, 'financingId');
  }
  const state = await receivableStateProblem(trx, ledger, receivable, now, financing.id);
  if (state) return state;
  if (amount.value > receivable.outstandingMinor) {
    return fail('amount_exceeds_outstanding', 'the amount is more than what is outstanding', 'amount');
  }
  const financed = await findFinancedRoot(trx, receivable.rootId);
  if (financed && financed.financedMinor + amount.value > financed.faceMinor) {
    return fail('receivable_already_financed', "the root's face is financed already", 'amount');
  }
  const limit = await creditLimitProblem(
    trx,
    actor.partyId,
    receivable.obligorPartyId,
    financing.currency,
    amount.value,
  );
  if (limit) return limit;
  const offer =
    financing.acceptedOfferId === null ? undefined : await findResponse(trx, financing.acceptedOfferId);
  assert(offer !== undefined, 'financing.disbursed: an accepted financing without its offer');
  return ok({ counterparty: financing.holderPartyId, refs: [await eventHash(trx, offer.eventId)] });
}

export const financingDisbursed = registerFact<FinancingDisbursedPayload>({
  kind: financingDisbursedKind,
  roles: ['lender'],
  chain: financingChain,
  parse: (input) => parseWith(schema, input),
  claims: (payload) => [payload.childReceivableId],
  async complete(trx, _ledger, payload) {
    if (payload.receivableId !== undefined) return payload;
    const financing = await findFinancing(trx, payload.financingId);
    return financing ? { ...payload, receivableId: financing.receivableId } : payload;
  },
  check: (trx, ledger, actor, payload) => check(trx, ledger, actor, payload),
  async project(trx, _ledger, event, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    assert(financing !== undefined, 'financing.disbursed: the financing vanished after its check');
    const parent = await findReceivable(trx, financing.receivableId);
    const root = await findReceivable(trx, financing.rootId);
    assert(parent !== undefined && root !== undefined, 'financing.disbursed: the receivable vanished');
    const amountMinor = financing.amountMinor;
    assert(amountMinor <= parent.outstandingMinor, 'financing.disbursed: more than outstanding');
    await addTransferred(trx, parent.id, amountMinor);
    await insertReceivables(trx, [
      {
        id: payload.childReceivableId,
        invoiceId: parent.invoiceId,
        parentId: parent.id,
        rootId: parent.rootId,
        tier: parent.tier + 1,
        obligorPartyId: parent.obligorPartyId,
        holderPartyId: event.actorPartyId,
        currency: parent.currency,
        faceMinor: amountMinor,
        creditedMinor: 0n,
        dueDate: parent.dueDate,
        status: 'open',
        createdEventId: event.id,
        financedBy: financing.id,
      },
    ]);
    await addFinanced(trx, root.id, root.faceMinor, amountMinor);
    await updateFinancing(trx, financing.id, {
      status: 'disbursed',
      childReceivableId: payload.childReceivableId,
      paymentReference: payload.paymentReference,
      disbursedEventId: event.id,
    });
    await setReceivableFinancing(trx, parent.id, null);
    await assertSplitConserves(trx, parent.id, financingDisbursedKind);
  },
});
