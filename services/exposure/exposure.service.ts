/** exposure(): who is exposed to a party (UPSTREAM) and what it is exposed to (DOWNSTREAM). */
import { sql } from 'kysely';
import type { Ledger } from '../context.js';
import { type Db, inSnapshot, type Trx } from '../db/transaction.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { overdueCutoff, todayUtc } from '../receivables/receivable.js';
import { fail, ok, type Result } from '../result.js';
import { readExposureLinks, readExposureRows } from './claim-graph.repository.js';
import {
  checkAsOf,
  checkExposureQuery,
  type Exposure,
  type ExposureQuery,
  totalsByDepth,
} from './exposure.js';
import { partyExists } from './stress.repository.js';

/**
 * A lender may look at an obligor it finances (a financing it accepted or disbursed names it) or is
 * asked to finance (an open request addressed to it names it). Read by SQL here, so that exposure
 * needs only the financing tables, not the financing services' rules for every status.
 */
async function lenderFinances(db: Db | Trx, lenderPartyId: string, obligorPartyId: string): Promise<boolean> {
  const result = await sql<{ found: number }>`
    SELECT 1 AS found FROM financing
    WHERE financing.obligor_party_id = ${obligorPartyId}::UUID
      AND (
        (financing.lender_party_id = ${lenderPartyId}::UUID AND financing.status IN ('accepted', 'disbursed'))
        OR (financing.status IN ('requested', 'offered') AND financing.expires_at > now() AND EXISTS (
          SELECT 1 FROM financing_lender AS asked
          WHERE asked.financing_id = financing.id AND asked.lender_party_id = ${lenderPartyId}::UUID))
      )
    LIMIT 1`.execute(db);
  return result.rows.length > 0;
}

/** Failure codes: forbidden (not the party, a lender of it, an auditor or an administrator). */
async function mayView(db: Db | Trx, actor: Actor, partyId: string): Promise<Result<true>> {
  if (actor.partyId === partyId || seesEverything(actor)) return ok(true);
  if (actor.roles.includes('lender') && (await lenderFinances(db, actor.partyId, partyId))) return ok(true);
  return fail(
    'forbidden',
    "a party's exposure is seen by the party, its lenders, auditors and administrators",
    'partyId',
  );
}

/**
 * The walk from `partyId` in one currency, as the ledger stands now or stood at `asOf`, read on one
 * snapshot (with its links when `options.links`).
 *
 * Failure codes, in order: invalid_input (direction, maxDepth, currency, asOf), forbidden,
 * party_not_found (only those who may see every party learn that an id names none).
 */
export async function exposure(
  ledger: Ledger,
  actor: Actor,
  query: ExposureQuery,
  now: Date = new Date(),
  options: { links?: boolean } = {},
): Promise<Result<Exposure>> {
  const checked = checkExposureQuery(query);
  if (!checked.ok) return checked;
  const asOf = checkAsOf(query.asOf, now);
  if (!asOf.ok) return asOf;
  const cutoff = overdueCutoff(todayUtc(asOf.value ?? now), ledger.policy);
  return inSnapshot(ledger.db, async (trx) => {
    const allowed = await mayView(trx, actor, query.partyId);
    if (!allowed.ok) return allowed;
    if (!(await partyExists(trx, query.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const asked = { ...query, asOf: asOf.value };
    const rows = await readExposureRows(trx, asked, cutoff);
    const links = options.links ? await readExposureLinks(trx, asked, cutoff, rows) : null;
    return ok({ ...asked, overdueCutoff: cutoff, rows, totals: totalsByDepth(rows), links });
  });
}
