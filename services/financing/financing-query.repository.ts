/**
 * Listing financings: keyset pages in (created_at, id) order, filtered by the effective status (the
 * same rule as effectiveFinancingStatus in financing.ts, in SQL) and by the viewer's side.
 */
import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { EffectiveFinancingStatus, Financing } from './financing.js';
import { toFinancing } from './financing.repository.js';

export interface FinancingFilter {
  /** Null: every financing (auditors, administrators). */
  viewerPartyId: string | null;
  /** The viewer's side: the holder that asked, or a lender asked. Either when absent. */
  side?: 'holder' | 'lender';
  statuses?: readonly EffectiveFinancingStatus[];
  now: Date;
}

export interface FinancingPosition {
  createdAt: Date;
  id: string;
}

/** effectiveFinancingStatus() in SQL. */
function statusSql(now: Date): RawBuilder<string> {
  return sql<string>`(CASE
    WHEN financing.status IN ('requested', 'offered', 'accepted') AND financing.expires_at <= ${now}::TIMESTAMPTZ THEN 'expired'
    WHEN financing.status = 'disbursed' AND child.status = 'settled' THEN 'repaid'
    WHEN financing.status = 'disbursed' AND child.status = 'defaulted' THEN 'defaulted'
    ELSE financing.status END)`;
}

function asked(eb: ExpressionBuilder<Database, 'financing'>, partyId: string) {
  return eb.exists(
    eb
      .selectFrom('financing_lender')
      .select('financing_lender.financing_id')
      .whereRef('financing_lender.financing_id', '=', 'financing.id')
      .where('financing_lender.lender_party_id', '=', partyId),
  );
}

function matching(db: Db | Trx, filter: FinancingFilter) {
  let query = db
    .selectFrom('financing')
    .leftJoin('receivable as child', 'child.id', 'financing.child_receivable_id');
  const viewer = filter.viewerPartyId;
  if (viewer !== null) {
    query = query.where((eb) => {
      if (filter.side === 'holder') return eb('financing.holder_party_id', '=', viewer);
      if (filter.side === 'lender') return asked(eb, viewer);
      return eb.or([eb('financing.holder_party_id', '=', viewer), asked(eb, viewer)]);
    });
  }
  const statuses = filter.statuses;
  if (statuses !== undefined && statuses.length > 0) {
    query = query.where(
      sql<boolean>`${statusSql(filter.now)} IN (${sql.join(statuses.map((status) => sql.lit(status)))})`,
    );
  }
  return query;
}

export async function listFinancingRows(
  db: Db | Trx,
  filter: FinancingFilter,
  page: PageRequest<FinancingPosition>,
): Promise<Array<Financing & { childStatus: string | null }>> {
  const descending = page.inverted;
  let query = matching(db, filter)
    .selectAll('financing')
    .select('child.status as child_status')
    .orderBy('financing.created_at', descending ? 'desc' : 'asc')
    .orderBy('financing.id', descending ? 'desc' : 'asc')
    .limit(page.limit);
  const beyond = (position: FinancingPosition, comparison: RawBuilder<unknown>) =>
    sql<boolean>`(financing.created_at, financing.id) ${comparison} (${position.createdAt}::TIMESTAMPTZ, ${position.id}::UUID)`;
  if (page.after !== null) query = query.where(beyond(page.after, sql`>`));
  if (page.before !== null) query = query.where(beyond(page.before, sql`<`));
  const rows = await query.execute();
  return rows.map(({ child_status, ...row }) => ({ ...toFinancing(row), childStatus: child_status }));
}

export interface FinancingTotal {
  currency: string;
  count: number;
  amountMinor: bigint;
}

/** Per currency, how many financings the filter selects and the amount they ask for. */
export async function totalFinancingRows(db: Db | Trx, filter: FinancingFilter): Promise<FinancingTotal[]> {
  const rows = await matching(db, filter)
    .select([
      'financing.currency as currency',
      // SUM over INT8 is NUMERIC (PostgreSQL) or DECIMAL (CockroachDB): cast back to a bigint.
      sql<bigint>`count(*)::INT8`.as('count'),
      sql<bigint>`sum(financing.amount_minor)::INT8`.as('amount'),
    ])
    .groupBy('financing.currency')
    .orderBy('financing.currency')
    .execute();
  return rows.map((row) => ({ currency: row.currency, count: Number(row.count), amountMinor: row.amount }));
}

/** The status of each financing's child receivable (disbursed ones), by financing id. */
export async function childStatuses(
  db: Db | Trx,
  financings: readonly Financing[],
): Promise<Map<string, string>> {
  const ids = financings.flatMap((financing) =>
    financing.childReceivableId ? [financing.childReceivableId] : [],
  );
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('receivable').select(['id', 'status']).where('id', 'in', ids).execute();
  const byChild = new Map(rows.map((row) => [row.id, row.status]));
  return new Map(
    financings.flatMap((financing) => {
      const status = financing.childReceivableId && byChild.get(financing.childReceivableId);
      return status ? [[financing.id, status] as const] : [];
    }),
  );
}
