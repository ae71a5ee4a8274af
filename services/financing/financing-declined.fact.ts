/**
 * financing.declined: a lender the request asked declines, with a reason. When every lender asked
 * has declined, the request reads DECLINED and the receivable is free again.
 *
 * Failure codes, in order: invalid_input, financing_not_found, lender_not_asked, financing_expired,
 * financing_closed, financing_already_disbursed, financing_already_accepted,
 * financing_already_answered.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { eventHash } from '../receivables/invoice-state.js';
import { fail, ok, type Result } from '../result.js';
import { parseWith, textSchema, uuidSchema } from '../validation.js';
import { reasonLengthMax } from './financing.js';
import {
  findFinancing,
  findLenders,
  findResponses,
  insertResponse,
  setReceivableFinancing,
  updateFinancing,
} from './financing.repository.js';
import { askedProblem, financingChain, loadFinancing, stageProblem } from './financing-checks.js';

export const financingDeclinedKind = 'financing.declined';

const schema = z.strictObject({
  financingId: uuidSchema,
  reason: textSchema(reasonLengthMax, 'freeText'),
});

export type FinancingDeclinedPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: FinancingDeclinedPayload): Promise<Result<FactLinks>> {
  const loaded = await loadFinancing(trx, payload.financingId);
  if (!loaded.ok) return loaded;
  const financing = loaded.value;
  const lenders = (await findLenders(trx, [financing.id])).get(financing.id) ?? [];
  const notAsked = askedProblem(lenders, actor);
  if (notAsked) return notAsked;
  const stage = stageProblem(financing, ['requested', 'offered'], new Date());
  if (stage) return stage;
  const responses = (await findResponses(trx, [financing.id])).get(financing.id) ?? [];
  if (responses.some((response) => response.lenderPartyId === actor.partyId)) {
    return fail('financing_already_answered', 'this lender has answered this request already', 'financingId');
  }
  return ok({
    counterparty: financing.holderPartyId,
    refs: [await eventHash(trx, financing.requestedEventId)],
  });
}

export const financingDeclined = registerFact<FinancingDeclinedPayload>({
  kind: financingDeclinedKind,
  roles: ['lender'],
  chain: financingChain,
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    assert(financing !== undefined, 'financing.declined: the financing vanished after its check');
    await insertResponse(trx, {
      // A decline is no object anyone names: the server draws its id.
      id: randomUUID(),
      financingId: financing.id,
      lenderPartyId: event.actorPartyId,
      kind: 'decline',
      rateMicros: null,
      dayCount: null,
      feeMinor: null,
      advanceDate: null,
      days: null,
      discountMinor: null,
      advanceMinor: null,
      reportHash: null,
      reason: payload.reason,
      eventId: event.id,
    });
    const lenders = (await findLenders(trx, [financing.id])).get(financing.id) ?? [];
    const responses = (await findResponses(trx, [financing.id])).get(financing.id) ?? [];
    const declined = new Set(responses.filter((r) => r.kind === 'decline').map((r) => r.lenderPartyId));
    if (lenders.every((lender) => declined.has(lender))) {
      await updateFinancing(trx, financing.id, { status: 'declined', closedEventId: event.id });
      await setReceivableFinancing(trx, financing.receivableId, null);
    }
  },
});
