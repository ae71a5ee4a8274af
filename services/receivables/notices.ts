/**
 * What the receivable facts and the due-date scan tell parties through their webhooks
 * (services/webhooks). RECEIVABLE_RECEIVED and PAYMENT_ALLOCATED come from facts (FactSpec.notify);
 * RECEIVABLE_DUE_SOON and RECEIVABLE_OVERDUE from enqueueDueNotices, which the webhook dispatcher
 * runs periodically. A holder hears of each receivable it holds with something outstanding; the
 * obligor of each invoice it owes, once, with the whole tree's outstanding.
 */
import { sql } from 'kysely';
import type { Ledger } from '../context.js';
import { inTransaction, type RetryPolicy } from '../db/transaction.js';
import { formatAmount } from '../money/money.js';
import { daysBetween } from '../validation.js';
import { dedupeKeyOf, enqueueForWebhooks } from '../webhooks/outbox.js';
import type { Notice, WebhookEventType } from '../webhooks/webhook.js';
import { addDays, overdueCapableStatuses, overdueCutoff, type Receivable, todayUtc } from './receivable.js';

/** The data of RECEIVABLE_RECEIVED: the receivable as its new holder reads it. */
export function receivedData(receivable: Receivable): Record<string, unknown> {
  return {
    receivableId: receivable.id,
    invoiceId: receivable.invoiceId,
    tier: receivable.tier,
    holderPartyId: receivable.holderPartyId,
    obligorPartyId: receivable.obligorPartyId,
    face: formatAmount(receivable.faceMinor, receivable.currency),
    outstanding: formatAmount(receivable.outstandingMinor, receivable.currency),
    currency: receivable.currency,
    dueDate: receivable.dueDate,
  };
}

type Side = 'holder' | 'obligor';
type DueKind = Extract<WebhookEventType, 'receivable_due_soon' | 'receivable_overdue'>;

interface DueRow {
  webhook_id: string;
  party_id: string;
  receivable_id: string;
  invoice_id: string;
  holder_party_id: string;
  obligor_party_id: string;
  currency: string;
  due_date: string;
  on_hold: boolean;
  outstanding_minor: bigint;
}

/** Rows per round, and rounds per scan: a scan ends even if the backlog does not. */
const roundRows = 500;
const roundsMax = 20;

/**
 * One round: receivables in the window that a live webhook of their holder (or obligor) subscribes
 * to and that have no delivery of this kind for that webhook yet. Read in a transaction of its own,
 * apart from the insert that follows, so that the insert's transaction reads no range a fact writes;
 * the outbox's unique (webhook, dedupe key) keeps a notice that two scans both found to one row.
 */
async function dueRows(
  ledger: Ledger,
  retry: RetryPolicy | undefined,
  kind: DueKind,
  side: Side,
  window: { from: string | null; through: string },
  dueInDays: number | null,
): Promise<DueRow[]> {
  const statuses = sql.join(overdueCapableStatuses.map((status) => sql.lit(status)));
  const party = side === 'holder' ? sql.ref('r.holder_party_id') : sql.ref('r.obligor_party_id');
  const outstanding =
    side === 'holder'
      ? sql`r.outstanding_minor`
      : sql`(SELECT SUM(t.outstanding_minor)::INT8 FROM receivable AS t WHERE t.invoice_id = r.invoice_id)`;
  const nodes =
    side === 'holder'
      ? sql`r.outstanding_minor > 0`
      : sql`r.parent_id IS NULL AND EXISTS (SELECT 1 FROM receivable AS t WHERE t.invoice_id = r.invoice_id AND t.outstanding_minor > 0)`;
  const from = window.from === null ? sql`true` : sql`r.due_date >= ${window.from}::DATE`;
  const days = dueInDays === null ? sql`true` : sql`w.due_in_days = ${dueInDays}::INT8`;
  const result = sql<DueRow>`
    SELECT w.id AS webhook_id, w.party_id, r.id AS receivable_id, r.invoice_id, r.holder_party_id,
      r.obligor_party_id, r.currency, r.due_date, r.on_hold, ${outstanding} AS outstanding_minor
    FROM receivable AS r
    JOIN webhook AS w ON w.party_id = ${party}
    WHERE w.removed_at IS NULL AND ${kind}::TEXT = ANY (w.event_types) AND ${days}
      AND r.status IN (${statuses}) AND ${nodes}
      AND ${from} AND r.due_date <= ${window.through}::DATE
      AND NOT EXISTS (
        SELECT 1 FROM webhook_delivery AS d
        WHERE d.webhook_id = w.id
          AND d.dedupe_key = ${dedupeKeyOf(kind, '')}::TEXT || CAST(r.id AS TEXT) || ${`/${side}`}::TEXT
      )
    ORDER BY r.id, w.id
    LIMIT ${roundRows}`;
  return (await inTransaction(ledger.db, (trx) => result.execute(trx), retry)).rows;
}

function dueNotice(kind: DueKind, side: Side, row: DueRow, today: string, now: Date): Notice {
  const days = daysBetween(today, row.due_date);
  return {
    partyId: row.party_id,
    type: kind,
    key: `${row.receivable_id}/${side}`,
    occurredAt: now,
    data: {
      receivableId: row.receivable_id,
      invoiceId: row.invoice_id,
      role: side.toUpperCase(),
      ...(side === 'holder' ? { holderPartyId: row.holder_party_id } : {}),
      obligorPartyId: row.obligor_party_id,
      outstanding: formatAmount(BigInt(row.outstanding_minor), row.currency),
      currency: row.currency,
      dueDate: row.due_date,
      onHold: row.on_hold,
      ...(kind === 'receivable_due_soon' ? { daysUntilDue: days } : { daysOverdue: -days }),
    },
  };
}

/** The distinct dueInDays of live RECEIVABLE_DUE_SOON webhooks: each is its own window. */
async function dueSoonHorizons(ledger: Ledger, retry: RetryPolicy | undefined): Promise<number[]> {
  const rows = await inTransaction(
    ledger.db,
    (trx) =>
      trx
        .selectFrom('webhook')
        .select('due_in_days')
        .distinct()
        .where('removed_at', 'is', null)
        .where('due_in_days', 'is not', null)
        .execute(),
    retry,
  );
  return rows.flatMap((row) => (row.due_in_days === null ? [] : [Number(row.due_in_days)]));
}

/**
 * Enqueues RECEIVABLE_DUE_SOON (today <= due date <= today + the webhook's dueInDays) and
 * RECEIVABLE_OVERDUE (as the API's OVERDUE: due date plus OVERDUE_GRACE_DAYS passed) once per
 * receivable, side and webhook. Returns the rows written.
 */
export async function enqueueDueNotices(
  ledger: Ledger,
  now: Date = new Date(),
  retry?: RetryPolicy,
): Promise<number> {
  const today = todayUtc(now);
  const passes: Array<{
    kind: DueKind;
    window: { from: string | null; through: string };
    days: number | null;
  }> = (await dueSoonHorizons(ledger, retry)).map((days) => ({
    kind: 'receivable_due_soon',
    window: { from: today, through: addDays(today, days) },
    days,
  }));
  // Due dates strictly before the cutoff are overdue: through the day before it.
  passes.push({
    kind: 'receivable_overdue',
    window: { from: null, through: addDays(overdueCutoff(today, ledger.policy), -1) },
    days: null,
  });
  let written = 0;
  for (const pass of passes) {
    for (const side of ['holder', 'obligor'] as const) {
      for (let round = 0; round < roundsMax; round++) {
        const rows = await dueRows(ledger, retry, pass.kind, side, pass.window, pass.days);
        const matched = rows.map((row) => ({
          webhookId: row.webhook_id,
          notice: dueNotice(pass.kind, side, row, today, now),
        }));
        written += await inTransaction(ledger.db, (trx) => enqueueForWebhooks(trx, matched), retry);
        if (rows.length < roundRows) break;
      }
    }
  }
  return written;
}
