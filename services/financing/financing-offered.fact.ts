/**
 * financing.offered: a lender the request asked offers terms: an annual discount rate, a day count,
 * a fee, the advance date, and the hash of the verification report it relied on. The server computes
 * the days, the discount and the advance at prepare (discount.ts) and states them in the statement,
 * so the lender signs the exact money it offers; a submitted statement must state them alike. The
 * first offer moves the request to OFFERED. One answer (offer or decline) per lender.
 *
 * Failure codes, in order: invalid_input (rate, fee or advance date malformed), financing_not_found,
 * lender_not_asked, financing_expired, financing_closed, financing_already_disbursed,
 * financing_already_accepted, financing_already_answered, invalid_input (offerId taken),
 * receivable_not_found, invalid_input (fee, advance date), advance_not_positive, invalid_input (the
 * stated days, discount or advance differ), report_not_found, credit_limit_exceeded.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { decimalParts } from '../money/decimal-text.js';
import type { Actor } from '../parties/party.js';
import { eventHash } from '../receivables/invoice-state.js';
import { findReceivable } from '../receivables/receivable.repository.js';
import { fail, ok, type Result } from '../result.js';
import { dateSchema, parseWith, uuidSchema } from '../validation.js';
import { creditLimitProblem } from './credit-limit.js';
import { formatRate, parseRate } from './discount.js';
import { dayCounts } from './financing.js';
import {
  findFinancing,
  findLenders,
  findResponse,
  findResponses,
  insertResponse,
  reportExists,
  updateFinancing,
} from './financing.repository.js';
import { askedProblem, financingChain, loadFinancing, stageProblem } from './financing-checks.js';
import { computeTerms, statedTerms, statedTermsProblem } from './offer-terms.js';

export const financingOfferedKind = 'financing.offered';

const rateSchema = z.string().transform((value, context) => {
  const rate = parseRate(value, 'rate');
  if (rate.ok) return formatRate(rate.value);
  context.addIssue({ code: 'custom', message: rate.message.replace(/^rate: /, '') });
  return z.NEVER;
});

const nonNegativeDecimalSchema = z.string().refine((value) => {
  const parts = decimalParts(value);
  return parts !== null && !parts.negative && parts.whole.length <= 16;
}, 'must be a decimal string of at least 0, such as "250.00"');

const schema = z.strictObject({
  financingId: uuidSchema,
  /** Chosen by the caller at prepare time. */
  offerId: uuidSchema,
  /** Annual, as a decimal fraction: "0.045" is 4.5 %. */
  rate: rateSchema,
  dayCount: z.enum(dayCounts),
  /** In the financing's currency. */
  fee: nonNegativeDecimalSchema,
  advanceDate: dateSchema,
  /** The verification report the lender relied on (lowercase hex SHA-256). */
  reportHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a SHA-256)'),
  /** Stated by the server at prepare. */
  days: z.number().int().positive().optional(),
  discount: z.string().optional(),
  advance: z.string().optional(),
});

export type FinancingOfferedPayload = z.infer<typeof schema>;

async function check(trx: Trx, actor: Actor, payload: FinancingOfferedPayload): Promise<Result<FactLinks>> {
  const now = new Date();
  const loaded = await loadFinancing(trx, payload.financingId);
  if (!loaded.ok) return loaded;
  const financing = loaded.value;
  const lenders = (await findLenders(trx, [financing.id])).get(financing.id) ?? [];
  const notAsked = askedProblem(lenders, actor);
  if (notAsked) return notAsked;
  const stage = stageProblem(financing, ['requested', 'offered'], now);
  if (stage) return stage;
  const responses = (await findResponses(trx, [financing.id])).get(financing.id) ?? [];
  if (responses.some((response) => response.lenderPartyId === actor.partyId)) {
    return fail('financing_already_answered', 'this lender has answered this request already', 'financingId');
  }
  if (await findResponse(trx, payload.offerId)) {
    return fail('invalid_input', 'offerId is taken: choose a new UUID', 'offerId');
  }
  const receivable = await findReceivable(trx, financing.receivableId);
  if (!receivable) return fail('receivable_not_found', 'the receivable financed is gone', 'financingId');
  const terms = computeTerms(financing, receivable, payload, now);
  if (!terms.ok) return terms;
  const stated = statedTermsProblem(payload, terms.value, financing.currency);
  if (stated) return stated;
  if (!(await reportExists(trx, payload.reportHash, financing.receivableId))) {
    return fail(
      'report_not_found',
      'no stored verification report of this receivable has that hash',
      'reportHash',
    );
  }
  const limit = await creditLimitProblem(
    trx,
    actor.partyId,
    financing.obligorPartyId,
    financing.currency,
    financing.amountMinor,
  );
  if (limit) return limit;
  return ok({
    counterparty: financing.holderPartyId,
    refs: [await eventHash(trx, financing.requestedEventId)],
  });
}

export const financingOffered = registerFact<FinancingOfferedPayload>({
  kind: financingOfferedKind,
  roles: ['lender'],
  chain: financingChain,
  parse: (input) => parseWith(schema, input),
  async complete(trx, _ledger: Ledger, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    const receivable = financing && (await findReceivable(trx, financing.receivableId));
    if (!financing || !receivable) return payload;
    const terms = computeTerms(financing, receivable, payload, new Date());
    if (!terms.ok) return payload;
    return { ...statedTerms(terms.value, financing.currency), ...payload };
  },
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const financing = await findFinancing(trx, payload.financingId);
    const receivable = financing && (await findReceivable(trx, financing.receivableId));
    assert(financing !== undefined && receivable !== undefined, 'financing.offered: the financing vanished');
    const terms = computeTerms(financing, receivable, payload, null);
    assert(terms.ok, 'financing.offered: the terms were checked');
    await insertResponse(trx, {
      id: payload.offerId,
      financingId: financing.id,
      lenderPartyId: event.actorPartyId,
      kind: 'offer',
      rateMicros: terms.value.rateMicros,
      dayCount: payload.dayCount,
      feeMinor: terms.value.feeMinor,
      advanceDate: payload.advanceDate,
      days: terms.value.days,
      discountMinor: terms.value.discountMinor,
      advanceMinor: terms.value.advanceMinor,
      reportHash: payload.reportHash,
      reason: null,
      eventId: event.id,
    });
    if (financing.status === 'requested') await updateFinancing(trx, financing.id, { status: 'offered' });
  },
});
