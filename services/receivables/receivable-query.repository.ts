/**
 * Reading receivables: keyset pages with the effective-status filter in SQL, visibility, and a
 * receivable's lineage by recursive CTEs. Every recursive query carries a depth bound (tierMax) and a
 * visited-path guard, and uses no SEARCH/CYCLE clause, so PostgreSQL and CockroachDB both run it.
 */
import { type ExpressionBuilder, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, ReceivableTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import { currenciesByExponent } from '../money/money.js';
import type { PageRequest } from '../paging.js';
import { type EffectiveStatus, overdueCapableStatuses, type Receivable, tierMax } from './receivable.js';
import { toReceivable } from './receivable.repository.js';

export interface ReceivableFilter {
  /** Whose receivables: those the party holds, or those it owes. */
  side: 'holder' | 'obligor';
  partyId: string;
  /** Any of these effective statuses; all when absent. */
  statuses?: readonly EffectiveStatus[];
  currency?: string;
  /** The other side: the obligor of held receivables, the holder of owed ones. */
  counterpartyPartyId?: string;
  /** Due on or after / on or before these days ("YYYY-MM-DD"). */
  dueFrom?: string;
  dueTo?: string;
  /** Outstanding at least / at most these decimal amounts, each in the receivable's own currency. */
  outstandingMin?: string;
  outstandingMax?: string;
  /** Only receivables this party may see; null: all (auditors, administrators). */
  viewerPartyId: string | null;
  /** Due dates before this day are overdue (receivable.ts overdueCutoff). */
  overdueCutoff: string;
}

export const receivableOrderFields = [
  'id',
  'due_date',
  'outstanding',
  'face',
  'counterparty',
  'currency',
  'status',
] as const;
export type ReceivableOrderField = (typeof receivableOrderFields)[number];

export interface ReceivableOrder {
  field: ReceivableOrderField;
  direction: 'asc' | 'desc';
}

/** A row's place in an order: its sort key as text (null when ordered by id alone) and its id. */
export interface ReceivablePosition {
  key: string | null;
  id: string;
}

export interface ReceivableRow {
  receivable: Receivable;
  position: ReceivablePosition;
}

export interface CurrencyTotal {
  currency: string;
  count: number;
  faceMinor: bigint;
  outstandingMinor: bigint;
}

/** The same rule as isOverdue() in receivable.ts, in SQL. */
function overdueSql(cutoff: string): RawBuilder<boolean> {
  const capable = sql.join(overdueCapableStatuses.map((status) => sql.lit(status)));
  return sql<boolean>`(receivable.outstanding_minor > 0 AND receivable.status IN (${capable}) AND receivable.due_date < ${cutoff}::DATE)`;
}

/** effectiveStatus(receivable) = status, in SQL. */
function statusSql(status: EffectiveStatus, cutoff: string): RawBuilder<boolean> {
  if (status === 'overdue') return overdueSql(cutoff);
  if ((overdueCapableStatuses as readonly string[]).includes(status)) {
    return sql<boolean>`(receivable.status = ${status} AND NOT ${overdueSql(cutoff)})`;
  }
  return sql<boolean>`receivable.status = ${status}`;
}

/**
 * A lender asked to finance a receivable of the invoice, while the request is open: any lender asked
 * until an offer is accepted, then the accepted lender alone until it disburses (and then holds a
 * node of its own). A request past its expiry opens nothing. Read by SQL here, so that receivables
 * need not import services/financing (which builds on them).
 */
function askedLenderSql(invoiceId: RawBuilder<unknown>, partyId: string): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM financing_lender AS asked
    JOIN financing ON financing.id = asked.financing_id
    WHERE asked.lender_party_id = ${partyId}::UUID
      AND financing.invoice_id = ${invoiceId}
      AND financing.expires_at > now()
      AND (financing.status IN ('requested', 'offered')
        OR (financing.status = 'accepted' AND financing.lender_party_id = asked.lender_party_id)))`;
}

/**
 * A viewer sees a receivable it holds or owes, and every receivable of a tree in which it holds any
 * node (the tree of one invoice), or which an open financing request asks it to finance.
 */
function visibleTo(eb: ExpressionBuilder<Database, 'receivable'>, viewerPartyId: string) {
  return eb.or([
    eb('receivable.holder_party_id', '=', viewerPartyId),
    eb('receivable.obligor_party_id', '=', viewerPartyId),
    eb.exists(
      eb
        .selectFrom('receivable as held')
        .select('held.id')
        .whereRef('held.invoice_id', '=', 'receivable.invoice_id')
        .where('held.holder_party_id', '=', viewerPartyId),
    ),
    askedLenderSql(sql`receivable.invoice_id`, viewerPartyId),
  ]);
}

function counterpartyColumn(filter: ReceivableFilter) {
  return filter.side === 'holder' ? 'receivable.obligor_party_id' : 'receivable.holder_party_id';
}

/** The sort key of a field in SQL, and the type its text form is cast back to in a comparison. */
function sortKey(
  field: ReceivableOrderField,
  cutoff: string,
): { expression: RawBuilder<unknown>; type: string } {
  switch (field) {
    case 'due_date':
      return { expression: sql`receivable.due_date`, type: 'DATE' };
    case 'outstanding':
      return { expression: sql`receivable.outstanding_minor`, type: 'INT8' };
    case 'face':
      return { expression: sql`receivable.face_minor`, type: 'INT8' };
    case 'counterparty':
      return { expression: sql`counterparty.legal_name`, type: 'TEXT' };
    case 'currency':
      return { expression: sql`receivable.currency`, type: 'TEXT' };
    case 'status':
      return {
        expression: sql`(CASE WHEN ${overdueSql(cutoff)} THEN 'overdue' ELSE receivable.status END)`,
        type: 'TEXT',
      };
    case 'id':
      return { expression: sql`receivable.id`, type: 'UUID' };
  }
}

/**
 * A decimal amount in minor units of each row's own currency, exactly (a DECIMAL times a power of
 * ten), so that "100.5" is 10050 for CNY and 100.5 for JPY: the filter needs no currency.
 */
function inMinorUnits(amount: string): RawBuilder<unknown> {
  const scales = [...currenciesByExponent()]
    .filter(([exponent]) => exponent !== 2)
    .map(
      ([exponent, codes]) =>
        sql`WHEN receivable.currency IN (${sql.join(codes.map((code) => sql.lit(code)))}) THEN ${sql.lit(10 ** exponent)}`,
    );
  // Two decimals, the exponent of most currencies, is the ELSE.
  return sql`(CAST(${amount} AS DECIMAL) * (CASE ${sql.join(scales, sql` `)} ELSE 100 END))`;
}

/** The receivables a filter selects, joined with the counterparty (its name is a sort key). */
function matching(db: Db | Trx, filter: ReceivableFilter) {
  const side = filter.side === 'holder' ? 'receivable.holder_party_id' : 'receivable.obligor_party_id';
  let query = db
    .selectFrom('receivable')
    .innerJoin('party as counterparty', 'counterparty.id', counterpartyColumn(filter))
    .where(side, '=', filter.partyId);
  const { statuses, currency, counterpartyPartyId, dueFrom, dueTo, outstandingMin, outstandingMax } = filter;
  if (statuses !== undefined) {
    const cutoff = filter.overdueCutoff;
    query = query.where(({ or }) => or(statuses.map((status) => statusSql(status, cutoff))));
  }
  if (currency !== undefined) query = query.where('receivable.currency', '=', currency);
  if (counterpartyPartyId !== undefined) {
    query = query.where(counterpartyColumn(filter), '=', counterpartyPartyId);
  }
  if (dueFrom !== undefined) query = query.where('receivable.due_date', '>=', dueFrom);
  if (dueTo !== undefined) query = query.where('receivable.due_date', '<=', dueTo);
  if (outstandingMin !== undefined)
    query = query.where(sql<boolean>`receivable.outstanding_minor >= ${inMinorUnits(outstandingMin)}`);
  if (outstandingMax !== undefined)
    query = query.where(sql<boolean>`receivable.outstanding_minor <= ${inMinorUnits(outstandingMax)}`);
  const viewer = filter.viewerPartyId;
  return viewer === null ? query : query.where((eb) => visibleTo(eb, viewer));
}

/**
 * Keyset page in (sort key, id) order, both in the order's direction; `after` and `before` are
 * positions in that order. Ordered by id alone when the field is id.
 */
export async function listReceivables(
  db: Db | Trx,
  filter: ReceivableFilter,
  order: ReceivableOrder,
  page: PageRequest<ReceivablePosition>,
): Promise<ReceivableRow[]> {
  const forward = order.direction === 'asc';
  const descending = forward === page.inverted;
  const key = sortKey(order.field, filter.overdueCutoff);
  const byId = order.field === 'id';
  let query = matching(db, filter)
    .selectAll('receivable')
    .select(sql<string | null>`${byId ? sql`NULL` : sql`CAST(${key.expression} AS TEXT)`}`.as('sort_key'))
    .limit(page.limit);
  if (!byId) query = query.orderBy(key.expression, descending ? 'desc' : 'asc');
  query = query.orderBy('receivable.id', descending ? 'desc' : 'asc');
  const beyond = (position: ReceivablePosition, later: boolean) => {
    const comparison = later === forward ? sql`>` : sql`<`;
    if (byId || position.key === null) return sql<boolean>`receivable.id ${comparison} ${position.id}::UUID`;
    const value = sql`CAST(${position.key} AS ${sql.raw(key.type)})`;
    return sql<boolean>`(${key.expression}, receivable.id) ${comparison} (${value}, ${position.id}::UUID)`;
  };
  if (page.after !== null) query = query.where(beyond(page.after, true));
  if (page.before !== null) query = query.where(beyond(page.before, false));
  const rows = await query.execute();
  return rows.map(({ sort_key, ...row }) => ({
    receivable: toReceivable(row),
    position: { key: sort_key, id: row.id },
  }));
}

/** Count, face and outstanding per currency of what the filter selects, in currency order. */
export async function totalReceivables(db: Db | Trx, filter: ReceivableFilter): Promise<CurrencyTotal[]> {
  const rows = await matching(db, filter)
    .select([
      'receivable.currency as currency',
      // SUM over INT8 is NUMERIC on PostgreSQL and DECIMAL on CockroachDB: cast back, so the pg type
      // parser hands over a bigint and an overflow fails loudly instead of changing type.
      sql<bigint>`count(*)::INT8`.as('count'),
      sql<bigint>`sum(receivable.face_minor)::INT8`.as('face'),
      sql<bigint>`sum(receivable.outstanding_minor)::INT8`.as('outstanding'),
    ])
    .groupBy('receivable.currency')
    .orderBy('receivable.currency')
    .execute();
  return rows.map((row) => ({
    currency: row.currency,
    count: Number(row.count),
    faceMinor: row.face,
    outstandingMinor: row.outstanding,
  }));
}

/**
 * Whether the party holds any node of the invoice's tree or owes it, or an open financing request
 * asks it to finance a part of it.
 */
export async function seesTree(db: Db | Trx, invoiceId: string, partyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('receivable')
    .select('id')
    .where('invoice_id', '=', invoiceId)
    .where((eb) =>
      eb.or([
        eb('holder_party_id', '=', partyId),
        eb('obligor_party_id', '=', partyId),
        askedLenderSql(sql`receivable.invoice_id`, partyId),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of `invoiceIds`, those whose tree the party may see (seesTree for many). */
export async function treesSeenBy(
  db: Db | Trx,
  invoiceIds: readonly string[],
  partyId: string,
): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('receivable')
    .select('invoice_id')
    .distinct()
    .where('invoice_id', 'in', invoiceIds)
    .where((eb) =>
      eb.or([
        eb('holder_party_id', '=', partyId),
        eb('obligor_party_id', '=', partyId),
        askedLenderSql(sql`receivable.invoice_id`, partyId),
      ]),
    )
    .execute();
  return new Set(rows.map((row) => row.invoice_id));
}

/** The ancestors of a receivable, root first, in one recursive query. */
export async function findAncestors(db: Db | Trx, id: string): Promise<Receivable[]> {
  const result = await sql<Selectable<ReceivableTable>>`
    WITH RECURSIVE ancestor (id, parent_id, depth, path) AS (
      SELECT start.id, start.parent_id, CAST(0 AS INT8), ARRAY[start.id]
      FROM receivable AS start
      WHERE start.id = ${id}::UUID
      UNION ALL
      SELECT up.id, up.parent_id, ancestor.depth + 1, ancestor.path || up.id
      FROM ancestor
      JOIN receivable AS up ON up.id = ancestor.parent_id
      WHERE ancestor.depth < ${tierMax}::INT8 AND NOT (up.id = ANY (ancestor.path))
    )
    SELECT receivable.*
    FROM ancestor
    JOIN receivable ON receivable.id = ancestor.id
    WHERE ancestor.depth > 0
    ORDER BY receivable.tier, receivable.id`.execute(db);
  return result.rows.map(toReceivable);
}

/** Every descendant of a receivable in (tier, id) order, in one recursive query. */
export async function findDescendants(db: Db | Trx, id: string): Promise<Receivable[]> {
  const result = await sql<Selectable<ReceivableTable>>`
    WITH RECURSIVE descendant (id, invoice_id, depth, path) AS (
      SELECT start.id, start.invoice_id, CAST(0 AS INT8), ARRAY[start.id]
      FROM receivable AS start
      WHERE start.id = ${id}::UUID
      UNION ALL
      SELECT child.id, child.invoice_id, descendant.depth + 1, descendant.path || child.id
      FROM descendant
      JOIN receivable AS child
        ON child.invoice_id = descendant.invoice_id AND child.parent_id = descendant.id
      WHERE descendant.depth < ${tierMax}::INT8 AND NOT (child.id = ANY (descendant.path))
    )
    SELECT receivable.*
    FROM descendant
    JOIN receivable ON receivable.id = descendant.id
    WHERE descendant.depth > 0
    ORDER BY receivable.tier, receivable.id`.execute(db);
  return result.rows.map(toReceivable);
}
