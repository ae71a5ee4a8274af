/**
 * credit_limit.set: a lender sets how much it allows itself to have outstanding, in one currency, on
 * one obligor (scope obligor) or on one ownership group (scope group, named by its top company: the
 * party every member's parent_party_id chain leads up to). A later statement for the same scope,
 * subject and currency replaces the limit; a limit of 0 stops new financing there. A limit is the
 * lender's own business: it names no counterparty and joins no invoice's chain.
 *
 * Failure codes, in order: invalid_input (limit malformed or negative), counterparty_not_found,
 * counterparty_role_invalid (the lender itself), invalid_input (a group named by a company that has
 * a parent).
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { decimalParts } from '../money/decimal-text.js';
import { parseAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { fail, ok, type Result } from '../result.js';
import { currencySchema, parseWith, uuidSchema } from '../validation.js';
import { upsertLimit } from './credit-limit.repository.js';

export const creditLimitSetKind = 'credit_limit.set';
export const creditLimitScopes = ['obligor', 'group'] as const;

const schema = z.strictObject({
  scope: z.enum(creditLimitScopes),
  subjectPartyId: uuidSchema,
  currency: currencySchema,
  /** At least 0, in the currency. */
  limit: z.string().refine((value) => {
    const parts = decimalParts(value);
    return parts !== null && !parts.negative && parts.whole.length <= 16;
  }, 'must be a decimal string of at least 0, such as "5000000.00"'),
});

export type CreditLimitSetPayload = z.infer<typeof schema>;

function limitMinor(payload: CreditLimitSetPayload): Result<bigint> {
  return parseAmount(payload.limit, payload.currency, 'limit');
}

/** A recorded credit_limit.set payload read back (for limits as of a past instant); null if unreadable. */
export function recordedLimit(
  payload: unknown,
): (Omit<CreditLimitSetPayload, 'limit'> & { limitMinor: bigint }) | null {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return null;
  const limit = limitMinor(parsed.data);
  if (!limit.ok) return null;
  const { limit: _text, ...rest } = parsed.data;
  return { ...rest, limitMinor: limit.value };
}

async function check(trx: Trx, actor: Actor, payload: CreditLimitSetPayload): Promise<Result<FactLinks>> {
  const limit = limitMinor(payload);
  if (!limit.ok) return limit;
  const subject = await findPartyById(trx, payload.subjectPartyId);
  if (!subject) return fail('counterparty_not_found', 'no party with that id', 'subjectPartyId');
  if (subject.id === actor.partyId) {
    return fail('counterparty_role_invalid', 'a lender sets no limit on itself', 'subjectPartyId');
  }
  if (payload.scope === 'group' && subject.parentPartyId !== null) {
    return fail(
      'invalid_input',
      'subjectPartyId: a group is named by its top company, and this party has a parent',
      'subjectPartyId',
    );
  }
  return ok({ counterparty: null, refs: [] });
}

export const creditLimitSet = registerFact<CreditLimitSetPayload>({
  kind: creditLimitSetKind,
  roles: ['lender'],
  parse: (input) => parseWith(schema, input),
  check: (trx, _ledger, actor, payload) => check(trx, actor, payload),
  async project(trx, _ledger, event, payload) {
    const limit = limitMinor(payload);
    assert(limit.ok, 'credit_limit.set: the limit was checked');
    await upsertLimit(trx, {
      lenderPartyId: event.actorPartyId,
      scope: payload.scope,
      subjectPartyId: payload.subjectPartyId,
      currency: payload.currency,
      limitMinor: limit.value,
      eventId: event.id,
    });
  },
});
