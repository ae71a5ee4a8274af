/**
 * Reading receivables: keyset pages with the effective-status filter in SQL, visibility, and a
 * receivable's lineage by recursive CTEs. Every recursive query carries a depth bound (tierMax) and a
 * visited-path guard, and uses no SEARCH/CYCLE clause, so PostgreSQL and CockroachDB both run it.
 */
import { type ExpressionBuilder, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Database, ReceivableTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import { type EffectiveStatus, overdueCapableStatuses, type Receivable, tierMax } from './receivable.js';
import { toReceivable } from './receivable.repository.js';

export interface ReceivableFilter {
  holderPartyId?: string;
  obligorPartyId?: string;
  status?: EffectiveStatus;
  /** Only receivables this party may see; null: all (auditors, administrators). */
  viewerPartyId: string | null;
  /** Due dates before this day are overdue (receivable.ts overdueCutoff). */
  overdueCutoff: string;
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
 * A viewer sees a receivable it holds or owes, and every receivable of a tree in which it holds any
 * node (the tree of one invoice).
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
  ]);
}

/** Keyset page in id order. */
export async function listReceivables(
  db: Db | Trx,
  filter: ReceivableFilter,
  page: PageRequest<string>,
): Promise<Receivable[]> {
  let query = db
    .selectFrom('receivable')
    .selectAll('receivable')
    .orderBy('receivable.id', page.inverted ? 'desc' : 'asc')
    .limit(page.limit);
  if (filter.holderPartyId !== undefined)
    query = query.where('receivable.holder_party_id', '=', filter.holderPartyId);
  if (filter.obligorPartyId !== undefined) {
    query = query.where('receivable.obligor_party_id', '=', filter.obligorPartyId);
  }
  if (filter.status !== undefined) query = query.where(statusSql(filter.status, filter.overdueCutoff));
  const viewer = filter.viewerPartyId;
  if (viewer !== null) query = query.where((eb) => visibleTo(eb, viewer));
  if (page.after !== null) query = query.where('receivable.id', '>', page.after);
  if (page.before !== null) query = query.where('receivable.id', '<', page.before);
  return (await query.execute()).map(toReceivable);
}

/** Whether the party holds any node of the invoice's tree or owes it. */
export async function seesTree(db: Db | Trx, invoiceId: string, partyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('receivable')
    .select('id')
    .where('invoice_id', '=', invoiceId)
    .where((eb) => eb.or([eb('holder_party_id', '=', partyId), eb('obligor_party_id', '=', partyId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of `invoiceIds`, those whose tree the party holds or owes any node of (seesTree for many). */
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
    .where((eb) => eb.or([eb('holder_party_id', '=', partyId), eb('obligor_party_id', '=', partyId)]))
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
