/**
 * financing.requested: the holder of a receivable asks 1 to 10 lenders to finance `amount` of it (all
 * of its outstanding, or a part). The server states when the request expires (now plus
 * FINANCING_REQUEST_TTL_HOURS; a caller may state an earlier instant). While it is open the
 * receivable names it (receivable.financing_id), so it cannot be transferred or asked about again,
 * and the lenders asked may read the invoice's tree. A request that lapsed before is marked expired
 * in the same transaction.
 *
 * Failure codes, in order: invalid_input (expiresAt missing or out of range, financingId taken),
 * receivable_not_found, forbidden (not the holder), invalid_input (amount malformed or zero),
 * counterparty_not_found, counterparty_role_invalid (a lender that is the holder, the obligor, or
 * not a lender), receivable_already_financed (a lender's part), receivable_defaulted,
 * receivable_settled, invoice_cancelled, receivable_on_hold, receivable_under_financing,
 * receivable_overdue, amount_exceeds_outstanding, receivable_already_financed (the root's face is
 * financed already).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { kindsOfId } from '../events/object-id.repository.js';
import { parsePositiveAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { findPartiesByIds } from '../parties/party.repository.js';
import { eventHash, invoiceChainOf } from '../receivables/invoice-state.js';
import type { Receivable } from '../receivables/receivable.js';
import { findReceivable } from '../receivables/receivable.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { amountSchema, parseWith, uuidSchema } from '../validation.js';
import { lendersPerRequestMax, lendersPerRequestMin } from './financing.js';
import {
  findFinancedRoot,
  findOpenFinancingOf,
  insertFinancing,
  setReceivableFinancing,
  settleOffers,
  updateFinancing,
} from './financing.repository.js';
import { receivableStateProblem } from './financing-checks.js';

export const financingRequestedKind = 'financing.requested';

/** An instant as toISOString() writes it ("2026-12-07T10:00:00.000Z"): one spelling per instant. */
export const instantSchema = z
  .string()
  .refine(
    (value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value,
    'must be an instant written as 2026-12-07T10:00:00.000Z',
  );

const schema = z.strictObject({
  /** Chosen by the caller at prepare time. */
  financingId: uuidSchema,
  receivableId: uuidSchema,
  /** Sorted: the lenders are a set, and a statement has one normal form. */
  lenderPartyIds: z
    .array(uuidSchema)
    .min(lendersPerRequestMin)
    .max(lendersPerRequestMax)
    .refine((ids) => new Set(ids).size === ids.length, 'must name each lender once')
    .transform((ids) => [...ids].sort()),
  /** Exact decimal string in the receivable's currency. */
  amount: amountSchema,
  /** Stated by the server at prepare: now plus FINANCING_REQUEST_TTL_HOURS. */
  expiresAt: instantSchema.optional(),
});

export type FinancingRequestedPayload = z.infer<typeof schema>;

const hourMs = 3_600_000;

/** expiresAt lies after now and no later than now plus the policy's TTL (plus clock skew). */
function expiryProblem(ledger: Ledger, expiresAt: string | undefined, now: Date): Failure | null {
  if (expiresAt === undefined) {
    return fail(
      'invalid_input',
      'expiresAt: prepare the statement: the server states the expiry',
      'expiresAt',
    );
  }
  const at = Date.parse(expiresAt);
  const latest =
    now.getTime() +
    ledger.policy.financingRequestTtlHours * hourMs +
    ledger.policy.occurredAtFutureSecondsMax * 1000;
  if (at <= now.getTime()) return fail('invalid_input', 'expiresAt: the instant has passed', 'expiresAt');
  if (at > latest) {
    const ttl = ledger.policy.financingRequestTtlHours;
    return fail('invalid_input', `expiresAt: a request stays open at most ${ttl} hours`, 'expiresAt');
  }
  return null;
}

/** counterparty_not_found, counterparty_role_invalid: each lender exists, lends, and is neither side. */
async function lendersProblem(
  trx: Trx,
  receivable: Receivable,
  lenderPartyIds: string[],
): Promise<Failure | null> {
  const found = new Map((await findPartiesByIds(trx, lenderPartyIds)).map((party) => [party.id, party]));
  for (const [index, id] of lenderPartyIds.entries()) {
    const field = `lenderPartyIds.${index}`;
    const lender = found.get(id);
    if (!lender) return fail('counterparty_not_found', `${field}: no party with that id`, field);
    const refuse = (why: string) => fail('counterparty_role_invalid', `${field}: ${why}`, field);
    if (id === receivable.holderPartyId) return refuse('a holder does not finance its own receivable');
    if (id === receivable.obligorPartyId) return refuse('the obligor does not finance its own debt');
    if (!lender.roles.includes('lender'))
      return refuse(`not a lender; this party is ${lender.roles.join(' and ')}`);
  }
  return null;
}

async function check(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  payload: FinancingRequestedPayload,
): Promise<Result<FactLinks>> {
  const now = new Date();
  const expiry = expiryProblem(ledger, payload.expiresAt, now);
  if (expiry) return expiry;
  if ((await kindsOfId(trx, payload.financingId)).length > 0) {
    return fail('invalid_input', 'financingId is taken: choose a new UUID', 'financingId');
  }
  const receivable = await findReceivable(trx, payload.receivableId);
  if (!receivable) return fail('receivable_not_found', 'no receivable with that id', 'receivableId');
  if (receivable.holderPartyId !== actor.partyId) {
    return fail('forbidden', 'only the holder asks to finance a receivable', 'receivableId');
  }
  const amount = parsePositiveAmount(payload.amount, receivable.currency);
  if (!amount.ok) return amount;
  const lenders = await lendersProblem(trx, receivable, payload.lenderPartyIds);
  if (lenders) return lenders;
  const state = await receivableStateProblem(trx, ledger, receivable, now);
  if (state) return state;
  if (amount.value > receivable.outstandingMinor) {
    return fail('amount_exceeds_outstanding', 'the amount is more than what is outstanding', 'amount');
  }
  const financed = await findFinancedRoot(trx, receivable.rootId);
  if (financed && financed.financedMinor + amount.value > financed.faceMinor) {
    return fail(
      'receivable_already_financed',
      "financing this amount would take the root's financed total beyond its face",
      'amount',
    );
  }
  return ok({ counterparty: null, refs: [await eventHash(trx, receivable.createdEventId)] });
}

export const financingRequested = registerFact<FinancingRequestedPayload>({
  kind: financingRequestedKind,
  roles: ['supplier'],
  chain: {
    async of(trx, payload, options) {
      const receivable = await findReceivable(trx, payload.receivableId);
      return receivable ? invoiceChainOf(trx, receivable.invoiceId, options) : null;
    },
  },
  parse: (input) => parseWith(schema, input),
  claims: (payload) => [payload.financingId],
  async complete(_trx, ledger, payload, earlier) {
    if (payload.expiresAt !== undefined) return payload;
    const stated = earlier?.expiresAt;
    const expiresAt =
      typeof stated === 'string'
        ? stated
        : new Date(Date.now() + ledger.policy.financingRequestTtlHours * hourMs).toISOString();
    return { ...payload, expiresAt };
  },
  check: (trx, ledger, actor, payload) => check(trx, ledger, actor, payload),
  async project(trx, _ledger, event, payload) {
    const receivable = await findReceivable(trx, payload.receivableId);
    assert(receivable !== undefined, 'financing.requested: the receivable vanished after its check');
    assert(payload.expiresAt !== undefined, 'financing.requested: the expiry was checked');
    const amount = parsePositiveAmount(payload.amount, receivable.currency);
    assert(amount.ok, 'financing.requested: the amount was checked');
    // The check passed, so an open financing still on the receivable is one that lapsed.
    const lapsed = await findOpenFinancingOf(trx, receivable.id);
    if (lapsed) {
      await updateFinancing(trx, lapsed.id, { status: 'expired' });
      await settleOffers(trx, lapsed.id, null);
    }
    await insertFinancing(
      trx,
      {
        id: payload.financingId,
        receivableId: receivable.id,
        rootId: receivable.rootId,
        invoiceId: receivable.invoiceId,
        holderPartyId: receivable.holderPartyId,
        obligorPartyId: receivable.obligorPartyId,
        currency: receivable.currency,
        amountMinor: amount.value,
        expiresAt: new Date(payload.expiresAt),
        requestedEventId: event.id,
      },
      payload.lenderPartyIds,
    );
    await setReceivableFinancing(trx, receivable.id, payload.financingId);
  },
});
