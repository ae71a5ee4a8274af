/**
 * Credit limits: what a lender allows itself to have outstanding on one obligor, or on one ownership
 * group (a top company and every subsidiary below it), per currency. Utilised is the outstanding of
 * the parts the lender holds because it financed them; available = limit - utilised. No limit set
 * means no cap. Read inside the caller's SERIALIZABLE transaction, so two disbursements that
 * together would pass a limit cannot both commit.
 */
import type { Trx } from '../db/transaction.js';
import { formatAmount } from '../money/money.js';
import { type Failure, fail } from '../result.js';
import {
  type CreditLimit,
  findLimitsOn,
  groupTopsOf,
  limitEventsUntil,
  listLimits,
  utilisedByObligor,
} from './credit-limit.repository.js';
import { recordedLimit } from './credit-limit-set.fact.js';

export interface CreditLimitUse extends CreditLimit {
  utilisedMinor: bigint;
  /** limit - utilised: negative when a limit was lowered below what is outstanding. */
  availableMinor: bigint;
}

/** Each limit with what the lender's financed parts use of it (now, or at `asOf`). */
export async function withUtilisation(
  trx: Trx,
  lenderPartyId: string,
  limits: readonly CreditLimit[],
  asOf: Date | null = null,
): Promise<CreditLimitUse[]> {
  if (limits.length === 0) return [];
  const usage = await utilisedByObligor(trx, lenderPartyId, null, asOf);
  const tops = await groupTopsOf(
    trx,
    usage.map((use) => use.obligorPartyId),
  );
  return limits.map((limit) => {
    const utilisedMinor = usage
      .filter((use) => use.currency === limit.currency)
      .filter((use) =>
        limit.scope === 'obligor'
          ? use.obligorPartyId === limit.subjectPartyId
          : tops.get(use.obligorPartyId) === limit.subjectPartyId,
      )
      .reduce((sum, use) => sum + use.utilisedMinor, 0n);
    return { ...limit, utilisedMinor, availableMinor: limit.limitMinor - utilisedMinor };
  });
}

export interface ObligorUse {
  obligorPartyId: string;
  /** The top of the obligor's ownership group (the obligor itself when it has no parent). */
  groupTopPartyId: string;
  currency: string;
  utilisedMinor: bigint;
}

/**
 * Everything a lender holds through financing, per obligor and currency, and its limits in use: now,
 * or at `asOf` (balances from receivable_history, limits from the credit_limit.set events recorded by
 * then; ownership groups as they stand now).
 */
export async function lenderPortfolio(
  trx: Trx,
  lenderPartyId: string,
  asOf: Date | null = null,
): Promise<{ uses: ObligorUse[]; limits: CreditLimitUse[] }> {
  const usage = await utilisedByObligor(trx, lenderPartyId, null, asOf);
  const tops = await groupTopsOf(
    trx,
    usage.map((use) => use.obligorPartyId),
  );
  const uses = usage.map((use) => ({
    ...use,
    groupTopPartyId: tops.get(use.obligorPartyId) ?? use.obligorPartyId,
  }));
  const limits =
    asOf === null ? await listLimits(trx, lenderPartyId) : await limitsAt(trx, lenderPartyId, asOf);
  return { uses, limits: await withUtilisation(trx, lenderPartyId, limits, asOf) };
}

/** The limits as the lender's credit_limit.set events had left them at `asOf`: the last one per key. */
async function limitsAt(trx: Trx, lenderPartyId: string, asOf: Date): Promise<CreditLimit[]> {
  const latest = new Map<string, CreditLimit>();
  for (const event of await limitEventsUntil(trx, lenderPartyId, asOf)) {
    const limit = recordedLimit(event.payload);
    if (limit === null) continue;
    latest.set(`${limit.currency} ${limit.scope} ${limit.subjectPartyId}`, {
      lenderPartyId,
      scope: limit.scope,
      subjectPartyId: limit.subjectPartyId,
      currency: limit.currency,
      limitMinor: limit.limitMinor,
      eventId: event.eventId,
      updatedAt: event.recordedAt,
    });
  }
  const order = (limit: CreditLimit) => `${limit.currency} ${limit.scope} ${limit.subjectPartyId}`;
  return [...latest.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/**
 * credit_limit_exceeded when `amountMinor` more on the obligor would pass the lender's limit on it or
 * on its group; null when it fits or no limit is set.
 */
export async function creditLimitProblem(
  trx: Trx,
  lenderPartyId: string,
  obligorPartyId: string,
  currency: string,
  amountMinor: bigint,
): Promise<Failure | null> {
  const tops = await groupTopsOf(trx, [obligorPartyId]);
  const groupTopPartyId = tops.get(obligorPartyId) ?? obligorPartyId;
  const limits = await findLimitsOn(trx, lenderPartyId, currency, { obligorPartyId, groupTopPartyId });
  for (const use of await withUtilisation(trx, lenderPartyId, limits)) {
    if (amountMinor > use.availableMinor) {
      const available = formatAmount(use.availableMinor > 0n ? use.availableMinor : 0n, currency);
      const on = use.scope === 'obligor' ? 'the obligor' : "the obligor's group";
      return fail(
        'credit_limit_exceeded',
        `the lender's limit on ${on} has ${available} ${currency} available`,
        'amount',
      );
    }
  }
  return null;
}
