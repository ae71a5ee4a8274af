/**
 * Credit limits and what uses them, in SQL. A lender's utilisation is the outstanding of the parts it
 * holds because it financed them (receivable.financed_by set); it is read, never stored, so it moves
 * in the same transaction as every disbursement, payment and default that changes those parts.
 * Ownership groups follow party.parent_party_id up to the top company, by a recursive query with a
 * depth bound and a visited-path guard.
 */
import { sql } from 'kysely';
import type { CreditLimitScope } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import { receivableRows } from '../receivables/receivable-history.repository.js';

/** How deep an ownership group may nest (a parent, its subsidiaries, theirs, ...). */
export const groupDepthMax = 16;

export interface CreditLimit {
  lenderPartyId: string;
  scope: CreditLimitScope;
  subjectPartyId: string;
  currency: string;
  limitMinor: bigint;
  eventId: string;
  updatedAt: Date;
}

/** For each party, the top company of its ownership group (itself when it has no parent). */
export async function groupTopsOf(db: Db | Trx, partyIds: readonly string[]): Promise<Map<string, string>> {
  if (partyIds.length === 0) return new Map();
  const result = await sql<{ start_id: string; id: string }>`
    WITH RECURSIVE up (start_id, id, parent_party_id, depth, path) AS (
      SELECT party.id, party.id, party.parent_party_id, CAST(0 AS INT8), ARRAY[party.id]
      FROM party
      WHERE party.id = ANY(${partyIds}::UUID[])
      UNION ALL
      SELECT up.start_id, parent.id, parent.parent_party_id, up.depth + 1, up.path || parent.id
      FROM up
      JOIN party AS parent ON parent.id = up.parent_party_id
      WHERE up.depth < ${groupDepthMax}::INT8 AND NOT (parent.id = ANY (up.path))
    )
    SELECT start_id, id FROM up WHERE parent_party_id IS NULL OR depth = ${groupDepthMax}::INT8`.execute(db);
  return new Map(result.rows.map((row) => [row.start_id, row.id]));
}

/** The limits of a lender that bear on one obligor in one currency: its own and its group's. */
export async function findLimitsOn(
  db: Db | Trx,
  lenderPartyId: string,
  currency: string,
  subjects: { obligorPartyId: string; groupTopPartyId: string },
): Promise<CreditLimit[]> {
  const rows = await db
    .selectFrom('credit_limit')
    .selectAll()
    .where('lender_party_id', '=', lenderPartyId)
    .where('currency', '=', currency)
    .where((eb) =>
      eb.or([
        eb.and([eb('scope', '=', 'obligor'), eb('subject_party_id', '=', subjects.obligorPartyId)]),
        eb.and([eb('scope', '=', 'group'), eb('subject_party_id', '=', subjects.groupTopPartyId)]),
      ]),
    )
    .orderBy('scope')
    .execute();
  return rows.map(toCreditLimit);
}

export async function listLimits(db: Db | Trx, lenderPartyId: string): Promise<CreditLimit[]> {
  const rows = await db
    .selectFrom('credit_limit')
    .selectAll()
    .where('lender_party_id', '=', lenderPartyId)
    .orderBy('currency')
    .orderBy('scope')
    .orderBy('subject_party_id')
    .execute();
  return rows.map(toCreditLimit);
}

function toCreditLimit(row: {
  lender_party_id: string;
  scope: CreditLimitScope;
  subject_party_id: string;
  currency: string;
  limit_minor: bigint;
  event_id: string;
  updated_at: Date;
}): CreditLimit {
  return {
    lenderPartyId: row.lender_party_id,
    scope: row.scope,
    subjectPartyId: row.subject_party_id,
    currency: row.currency,
    limitMinor: row.limit_minor,
    eventId: row.event_id,
    updatedAt: row.updated_at,
  };
}

/** Sets a limit, replacing the one of the same (lender, scope, subject, currency). */
export async function upsertLimit(trx: Trx, limit: Omit<CreditLimit, 'updatedAt'>): Promise<void> {
  await trx
    .insertInto('credit_limit')
    .values({
      lender_party_id: limit.lenderPartyId,
      scope: limit.scope,
      subject_party_id: limit.subjectPartyId,
      currency: limit.currency,
      limit_minor: limit.limitMinor,
      event_id: limit.eventId,
    })
    .onConflict((conflict) =>
      conflict.columns(['lender_party_id', 'scope', 'subject_party_id', 'currency']).doUpdateSet({
        limit_minor: limit.limitMinor,
        event_id: limit.eventId,
        updated_at: sql<Date>`date_trunc('millisecond', now())`,
      }),
    )
    .execute();
}

/** The outstanding of the lender's financed parts in one currency, per obligor. */
export async function utilisedByObligor(
  db: Db | Trx,
  lenderPartyId: string,
  currency: string | null,
  asOf: Date | null = null,
): Promise<Array<{ obligorPartyId: string; currency: string; utilisedMinor: bigint }>> {
  // SUM over INT8 is NUMERIC / DECIMAL: cast back so that a bigint comes out.
  const result = await sql<{ obligor_party_id: string; currency: string; utilised: bigint }>`
    SELECT receivable.obligor_party_id, receivable.currency,
      CAST(sum(receivable.outstanding_minor) AS INT8) AS utilised
    FROM ${receivableRows(asOf)} AS receivable
    WHERE receivable.holder_party_id = ${lenderPartyId}::UUID
      AND receivable.financed_by IS NOT NULL
      ${currency === null ? sql`` : sql`AND receivable.currency = ${currency}`}
    GROUP BY receivable.obligor_party_id, receivable.currency
    ORDER BY receivable.obligor_party_id, receivable.currency`.execute(db);
  return result.rows.map((row) => ({
    obligorPartyId: row.obligor_party_id,
    currency: row.currency,
    utilisedMinor: row.utilised,
  }));
}

/** The lender's credit_limit.set events up to `asOf`, oldest first: the limits as they were then. */
export async function limitEventsUntil(
  db: Db | Trx,
  lenderPartyId: string,
  asOf: Date,
): Promise<Array<{ eventId: string; recordedAt: Date; payload: unknown }>> {
  const rows = await db
    .selectFrom('event')
    .select(['id', 'recorded_at', 'payload'])
    .where('kind', '=', 'credit_limit.set')
    .where('actor_party_id', '=', lenderPartyId)
    .where('recorded_at', '<=', asOf)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ eventId: row.id, recordedAt: row.recorded_at, payload: row.payload }));
}
