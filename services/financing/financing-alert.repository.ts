import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { FinancingAlert, FinancingAlertCursor } from './financing-alert.js';

/** Whose alerts: one lender's, or (null) everyone's. */
export interface FinancingAlertFilter {
  lenderPartyId: string | null;
}

function filtered<O>(
  query: SelectQueryBuilder<Database, 'financing_alert', O>,
  filter: FinancingAlertFilter,
): SelectQueryBuilder<Database, 'financing_alert', O> {
  return filter.lenderPartyId === null ? query : query.where('lender_party_id', '=', filter.lenderPartyId);
}

export async function countFinancingAlerts(db: Db | Trx, filter: FinancingAlertFilter): Promise<number> {
  const query = db.selectFrom('financing_alert').select(sql<bigint>`count(*)::INT8`.as('count'));
  const row = await filtered(query, filter).executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Keyset page in (created_at, id) order, oldest first; a lender's through financing_alert_lender.
 * created_at has millisecond precision, so a cursor carried through a JavaScript Date is exact.
 */
export async function listFinancingAlerts(
  db: Db | Trx,
  filter: FinancingAlertFilter,
  page: PageRequest<FinancingAlertCursor>,
): Promise<FinancingAlert[]> {
  const direction = page.inverted ? 'desc' : 'asc';
  let query = filtered(db.selectFrom('financing_alert').selectAll(), filter)
    .orderBy('created_at', direction)
    .orderBy('id', direction)
    .limit(page.limit);
  const { after, before } = page;
  if (after !== null) {
    query = query.where(
      sql<boolean>`(created_at, id) > (${after.createdAt}::TIMESTAMPTZ, ${after.id}::UUID)`,
    );
  }
  if (before !== null) {
    query = query.where(
      sql<boolean>`(created_at, id) < (${before.createdAt}::TIMESTAMPTZ, ${before.id}::UUID)`,
    );
  }
  const alerts = await query.execute();
  if (alerts.length === 0) return [];
  // The event's kind and the financing's invoice, for the page's rows only.
  const events = await db
    .selectFrom('event')
    .select(['id', 'kind'])
    .where(
      'id',
      'in',
      alerts.map((alert) => alert.event_id),
    )
    .execute();
  const financings = await db
    .selectFrom('financing')
    .select(['id', 'invoice_id'])
    .where(
      'id',
      'in',
      alerts.map((alert) => alert.financing_id),
    )
    .execute();
  const kindOf = new Map(events.map((event) => [event.id, event.kind]));
  const invoiceOf = new Map(financings.map((financing) => [financing.id, financing.invoice_id]));
  return alerts.map((alert) => ({
    id: alert.id,
    kind: alert.kind,
    financingId: alert.financing_id,
    lenderPartyId: alert.lender_party_id,
    eventId: alert.event_id,
    eventKind: kindOf.get(alert.event_id) ?? '',
    invoiceId: invoiceOf.get(alert.financing_id) ?? '',
    createdAt: alert.created_at,
  }));
}
