/**
 * financing.withdrawn: the holder takes back its request while no offer is accepted. The receivable
 * is free again (it may be transferred, or offered to other lenders), and open offers close.
 *
 * Failure codes, in order: invalid_input, financing_not_found, forbidden (not the holder),
 * financing_expired, financing_closed, financing_already_disbursed, financing_already_accepted.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { eventHash } from '../receivables/invoice-state.js';
import { fail, ok, type Result } from '../result.js';
import { parseWith, uuidSchema } from '../validation.js';
import {
  findFinancing,
  setReceivableFinancing,
  settleOffers,
  updateFinancing,
} from './financing.repository.js';
import { financingChain, loadFinancing, stageProblem } from './financing-checks.js';

export const financingWithdrawnKind = 'financing.withdrawn';

const schema = z.strictObject({ financingId: uuidSchema });

export type FinancingWithdrawnPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: FinancingWithdrawnPayload): Promise<Result<FactLinks>> {
  const loaded = await loadFinancing(trx, payload.financingId);
  if (!loaded.ok) return loaded;
  const financing = loaded.value;
  if (financing.holderPartyId !== actor.partyId) {
    return fail('forbidden', 'only the holder that asked withdraws a request', 'financingId');
  }
  const stage = stageProblem(financing, ['requested', 'offered'], new Date());
  if (stage) return stage;
  return ok({ counterparty: null, refs: [await eventHash(trx, financing.requestedEventId)] });
}

export const financingWithdrawn = registerFact<FinancingWithdrawnPayload>({
  kind: financingWithdrawnKind,
  roles: ['supplier'],
  chain: financingChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    assert(financing !== undefined, 'financing.withdrawn: the financing vanished after its check');
    await updateFinancing(trx, financing.id, { status: 'withdrawn', closedEventId: event.id });
    await settleOffers(trx, financing.id, null);
    await setReceivableFinancing(trx, financing.receivableId, null);
  },
});
