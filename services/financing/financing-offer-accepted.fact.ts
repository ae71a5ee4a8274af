/**
 * financing.offer_accepted: the holder accepts exactly one open offer. That offer reads accepted, every
 * other offer closes, and the financing names its lender; only that lender may now disburse. Facts
 * about one invoice queue on the invoice's row at submit (its fact chain), and the checks read the
 * financing again there, so of concurrent acceptances exactly one passes; the rest fail with
 * financing_already_accepted.
 *
 * Failure codes, in order: invalid_input, financing_not_found, forbidden (not the holder),
 * financing_expired, financing_closed, financing_already_disbursed, financing_already_accepted,
 * offer_not_found, receivable_not_found and the receivable's own state (financing-checks.ts).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { eventHash } from '../receivables/invoice-state.js';
import { findReceivable } from '../receivables/receivable.repository.js';
import { fail, ok, type Result } from '../result.js';
import { parseWith, uuidSchema } from '../validation.js';
import { findFinancing, findResponse, settleOffers, updateFinancing } from './financing.repository.js';
import { financingChain, loadFinancing, receivableStateProblem, stageProblem } from './financing-checks.js';

export const financingOfferAcceptedKind = 'financing.offer_accepted';

const schema = z.strictObject({ financingId: uuidSchema, offerId: uuidSchema });

export type FinancingOfferAcceptedPayload = z.infer<typeof schema>;

async function check(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  payload: FinancingOfferAcceptedPayload,
): Promise<Result<FactLinks>> {
  const now = new Date();
  const loaded = await loadFinancing(trx, payload.financingId);
  if (!loaded.ok) return loaded;
  const financing = loaded.value;
  if (financing.holderPartyId !== actor.partyId) {
    return fail('forbidden', 'only the holder that asked accepts an offer', 'financingId');
  }
  const stage = stageProblem(financing, ['requested', 'offered'], now);
  if (stage) return stage;
  const offer = await findResponse(trx, payload.offerId);
  if (offer?.financingId !== financing.id || offer.kind !== 'offer' || offer.status !== 'open') {
    return fail('offer_not_found', 'no open offer with that id on this financing', 'offerId');
  }
  const receivable = await findReceivable(trx, financing.receivableId);
  if (!receivable) return fail('receivable_not_found', 'the receivable financed is gone', 'financingId');
  const state = await receivableStateProblem(trx, ledger, receivable, now, financing.id);
  if (state) return state;
  return ok({ counterparty: offer.lenderPartyId, refs: [await eventHash(trx, offer.eventId)] });
}

export const financingOfferAccepted = registerFact<FinancingOfferAcceptedPayload>({
  kind: financingOfferAcceptedKind,
  roles: ['supplier'],
  chain: financingChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, ledger, actor, payload) => check(trx, ledger, actor, payload),
  async project(trx, _ledger, _event, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    const offer = await findResponse(trx, payload.offerId);
    assert(financing !== undefined && offer !== undefined, 'financing.offer_accepted: checked rows vanished');
    await settleOffers(trx, financing.id, offer.id);
    await updateFinancing(trx, financing.id, {
      status: 'accepted',
      acceptedOfferId: offer.id,
      lenderPartyId: offer.lenderPartyId,
    });
  },
});
