/**
 * The reads of check e and of who may read a report: cycles of confirmed invoices through one
 * invoice, the ownership group of parties, the lenders a receivable was put to, and the alerts on
 * its financings. Every recursive query carries a depth bound and a visited path.
 */
import { sql } from 'kysely';
import type { FinancingAlertKind } from '../../schema/database.js';
import type { Trx } from '../db/transaction.js';
import { addDays } from '../receivables/receivable.js';

/** Longest cycle searched, in invoices: A→B→C→D→A. */
export const cycleInvoicesMax = 4;
/** Cycles reported at most; one is enough to warn. */
export const cyclesMax = 5;
/** Parent links followed up an ownership chain. */
export const ownershipDepthMax = 16;

export interface CycleQuery {
  invoiceId: string;
  sellerPartyId: string;
  buyerPartyId: string;
  currency: string;
  totalMinor: bigint;
  issueDate: string;
  windowDays: number;
}

export interface Cycle {
  invoiceIds: string[];
  partyIds: string[];
}

/**
 * Cycles of confirmed invoices that close through this one (seller → buyer → … → seller), all in
 * its currency, all issued within `windowDays` of each other and with amounts within 20% of each
 * other (5 × largest ≤ 6 × smallest, in integers). Each step is bounded by this invoice's own date
 * and amount already, which keeps the walk small.
 */
export async function findCycles(trx: Trx, query: CycleQuery): Promise<Cycle[]> {
  const total = query.totalMinor.toString();
  const { rows } = await sql<{ invoice_ids: string[]; party_ids: string[] }>`
    WITH RECURSIVE walk (party, depth, party_ids, invoice_ids, low, high, first_on, last_on) AS (
      SELECT ${query.buyerPartyId}::UUID, CAST(1 AS INT8),
        ARRAY[${query.sellerPartyId}::UUID, ${query.buyerPartyId}::UUID], ARRAY[${query.invoiceId}::UUID],
        ${total}::INT8, ${total}::INT8, ${query.issueDate}::DATE, ${query.issueDate}::DATE
      UNION ALL
      SELECT next.buyer_party_id, walk.depth + 1, walk.party_ids || next.buyer_party_id,
        walk.invoice_ids || next.id, LEAST(walk.low, next.total_minor), GREATEST(walk.high, next.total_minor),
        LEAST(walk.first_on, next.document_date), GREATEST(walk.last_on, next.document_date)
      FROM walk
      JOIN trade_document AS next
        ON next.kind = 'invoice' AND next.seller_party_id = walk.party
      WHERE walk.depth < ${cycleInvoicesMax}::INT8
        AND walk.party <> ${query.sellerPartyId}::UUID
        AND next.status = 'confirmed'
        AND next.currency = ${query.currency}
        AND next.id <> ${query.invoiceId}::UUID
        AND next.document_date BETWEEN ${addDays(query.issueDate, -query.windowDays)}::DATE
          AND ${addDays(query.issueDate, query.windowDays)}::DATE
        AND 5 * next.total_minor <= 6 * ${total}::INT8
        AND 5 * ${total}::INT8 <= 6 * next.total_minor
        AND (next.buyer_party_id = ${query.sellerPartyId}::UUID OR NOT (next.buyer_party_id = ANY (walk.party_ids)))
    )
    SELECT invoice_ids, party_ids FROM walk
    WHERE party = ${query.sellerPartyId}::UUID
      AND 5 * high <= 6 * low
      AND last_on - first_on <= ${query.windowDays}::INT8
    ORDER BY depth, invoice_ids
    LIMIT ${cyclesMax}`.execute(trx);
  return rows.map((row) => ({ invoiceIds: row.invoice_ids, partyIds: row.party_ids.slice(0, -1) }));
}

/**
 * Each party's ownership group, named by the top of its parent chain (itself when it has no
 * parent); a chain that loops or runs past the bound ends where it stopped.
 */
export async function ownershipGroups(trx: Trx, partyIds: readonly string[]): Promise<Map<string, string>> {
  if (partyIds.length === 0) return new Map();
  const { rows } = await sql<{ party_id: string; top_id: string }>`
    WITH RECURSIVE up (party_id, id, parent_id, depth, path) AS (
      SELECT party.id, party.id, party.parent_party_id, CAST(0 AS INT8), ARRAY[party.id]
      FROM party WHERE party.id = ANY (${[...new Set(partyIds)]}::UUID[])
      UNION ALL
      SELECT up.party_id, parent.id, parent.parent_party_id, up.depth + 1, up.path || parent.id
      FROM up JOIN party AS parent ON parent.id = up.parent_id
      WHERE up.depth < ${ownershipDepthMax}::INT8 AND NOT (parent.id = ANY (up.path))
    )
    SELECT DISTINCT ON (party_id) party_id, id AS top_id FROM up ORDER BY party_id, depth DESC`.execute(trx);
  return new Map(rows.map((row) => [row.party_id, row.top_id]));
}

/**
 * The lenders a receivable was put to, by the rule that lets a lender read the receivable
 * (receivable-query.repository.ts): those asked by a request still open and not lapsed (once an
 * offer is accepted, the accepted lender alone), and those that financed it (disbursed).
 */
export async function lendersOf(
  trx: Trx,
  receivableId: string,
  now: Date,
): Promise<{ asked: string[]; financedBy: string[] }> {
  const asked = await trx
    .selectFrom('financing')
    .innerJoin('financing_lender', 'financing_lender.financing_id', 'financing.id')
    .select('financing_lender.lender_party_id')
    .distinct()
    .where('financing.receivable_id', '=', receivableId)
    .where('financing.expires_at', '>', now)
    .where((eb) =>
      eb.or([
        eb('financing.status', 'in', ['requested', 'offered']),
        eb.and([
          eb('financing.status', '=', 'accepted'),
          eb('financing.lender_party_id', '=', eb.ref('financing_lender.lender_party_id')),
        ]),
      ]),
    )
    .orderBy('financing_lender.lender_party_id')
    .execute();
  const financed = await trx
    .selectFrom('financing')
    .select('lender_party_id')
    .distinct()
    .where('receivable_id', '=', receivableId)
    .where('status', '=', 'disbursed')
    .where('lender_party_id', 'is not', null)
    .orderBy('lender_party_id')
    .execute();
  return {
    asked: asked.map((row) => row.lender_party_id),
    financedBy: financed.flatMap((row) => (row.lender_party_id === null ? [] : [row.lender_party_id])),
  };
}

/** The disbursed financings of the receivable, or the one that split it off to a lender: what is watched. */
export async function disbursedFinancingsOf(trx: Trx, receivableId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('financing')
    .select('id')
    // REPAID and DEFAULTED are read from the child: the stored status stays disbursed.
    .where('status', '=', 'disbursed')
    .where((eb) =>
      eb.or([eb('receivable_id', '=', receivableId), eb('child_receivable_id', '=', receivableId)]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

export interface AlertRow {
  id: string;
  financingId: string;
  eventId: string;
  kind: FinancingAlertKind;
}

/** Alerts raised on the financings of the receivable, or on the one that split it off to a lender. */
export async function alertsOf(trx: Trx, receivableId: string): Promise<AlertRow[]> {
  const rows = await trx
    .selectFrom('financing_alert')
    .innerJoin('financing', 'financing.id', 'financing_alert.financing_id')
    .select([
      'financing_alert.id',
      'financing_alert.financing_id',
      'financing_alert.event_id',
      'financing_alert.kind',
    ])
    .where((eb) =>
      eb.or([
        eb('financing.receivable_id', '=', receivableId),
        eb('financing.child_receivable_id', '=', receivableId),
      ]),
    )
    .orderBy('financing_alert.created_at')
    .orderBy('financing_alert.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    financingId: row.financing_id,
    eventId: row.event_id,
    kind: row.kind,
  }));
}
