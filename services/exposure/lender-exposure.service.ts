/** lenderExposure as a use case: the lender's own view, or an auditor's or administrator's. */
import type { Ledger } from '../context.js';
import { inSnapshot } from '../db/transaction.js';
import { type CreditLimitUse, lenderPortfolio } from '../financing/index.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { checkAsOf } from './exposure.js';
import { type CurrencyPortfolio, portfolios } from './lender-exposure.js';
import { partyExists } from './stress.repository.js';

export interface LenderLimitUse extends CreditLimitUse {
  /** utilised > limit: a limit lowered below what is outstanding, or passed by payments reversed. */
  breached: boolean;
}

export interface LenderExposure {
  lenderPartyId: string;
  asOf: Date | null;
  portfolios: CurrencyPortfolio[];
  limits: LenderLimitUse[];
  breaches: LenderLimitUse[];
}

/**
 * What the lender holds through financing, per obligor and ownership group, against its limits.
 *
 * Failure codes: invalid_input (asOf in the future), forbidden (another lender's exposure, asked by neither an auditor nor an administrator),
 * party_not_found (an auditor or administrator naming no party).
 */
export async function lenderExposure(
  ledger: Ledger,
  actor: Actor,
  lenderPartyId: string,
  asOfAsked: Date | null = null,
  now: Date = new Date(),
): Promise<Result<LenderExposure>> {
  const asOf = checkAsOf(asOfAsked, now);
  if (!asOf.ok) return asOf;
  if (lenderPartyId !== actor.partyId && !seesEverything(actor)) {
    return fail('forbidden', "a lender's exposure is its own", 'lenderId');
  }
  const read = await inSnapshot(ledger.db, async (trx) =>
    (await partyExists(trx, lenderPartyId)) ? lenderPortfolio(trx, lenderPartyId, asOf.value) : null,
  );
  if (!read) return fail('party_not_found', 'no party with that id', 'lenderId');
  const { uses, limits } = read;
  const limitUses = limits.map((limit) => ({ ...limit, breached: limit.utilisedMinor > limit.limitMinor }));
  return ok({
    lenderPartyId,
    asOf: asOf.value,
    portfolios: portfolios(
      uses.map(({ utilisedMinor, ...use }) => ({ ...use, outstandingMinor: utilisedMinor })),
    ),
    limits: limitUses,
    breaches: limitUses.filter((limit) => limit.breached),
  });
}
