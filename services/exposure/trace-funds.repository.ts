/**
 * What traceFunds reads: the financing with its disbursement (the advance of the accepted offer,
 * which is what the lender paid the holder; the disbursed fact's `amount` is the financed face of
 * the lender's part, not cash), and the payments that could carry traced money. The candidate payers
 * are found level by level: the holder, the parties it paid, the parties those paid, to maxDepth - 1
 * hops. That is a superset of what the sweep follows (a party it follows at depth d is d payment
 * hops from the holder). Then their payments in one statement, in recording order to the microsecond.
 * At most maxDepth round trips, all in the caller's snapshot.
 *
 * Plain SELECTs with explicit casts, for PostgreSQL and CockroachDB alike. The time gate is in SQL:
 * a payment's created_at (microseconds) after the disbursed event's recorded_at (which the event
 * stores to the millisecond), and at or before asOf.
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';
import type { TracePayment } from './trace-funds.js';

export interface TracedFinancing {
  id: string;
  holderPartyId: string;
  lenderPartyId: string | null;
  currency: string;
  disbursedEventId: string | null;
  /** Null when not disbursed. */
  disbursedAt: Date | null;
  /** The accepted offer's advance; null before an offer was accepted. */
  advanceMinor: bigint | null;
}

export async function findTracedFinancing(
  db: Db | Trx,
  financingId: string,
): Promise<TracedFinancing | undefined> {
  const row = await db
    .selectFrom('financing')
    .leftJoin('event', 'event.id', 'financing.disbursed_event_id')
    .leftJoin('financing_response', 'financing_response.id', 'financing.accepted_offer_id')
    .select([
      'financing.id',
      'financing.holder_party_id',
      'financing.lender_party_id',
      'financing.currency',
      'financing.disbursed_event_id',
      'event.recorded_at',
      'financing_response.advance_minor',
    ])
    .where('financing.id', '=', financingId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    holderPartyId: row.holder_party_id,
    lenderPartyId: row.lender_party_id,
    currency: row.currency,
    disbursedEventId: row.disbursed_event_id,
    disbursedAt: row.recorded_at ?? null,
    advanceMinor: row.advance_minor ?? null,
  };
}

export interface PaymentWindow {
  disbursedEventId: string;
  currency: string;
  asOf?: Date | undefined;
}

/** Payments by these payers, in the currency, recorded after the disbursement and by asOf. */
function inWindow(payerPartyIds: readonly string[], window: PaymentWindow) {
  const upTo = window.asOf === undefined ? sql`` : sql`AND payment.created_at <= ${window.asOf}::TIMESTAMPTZ`;
  return sql`payment.payer_party_id = ANY(${payerPartyIds}::UUID[])
      AND payment.currency = ${window.currency}
      AND payment.created_at > (SELECT event.recorded_at FROM event WHERE event.id = ${window.disbursedEventId}::UUID)
      ${upTo}`;
}

/** The payments by these payers in the window, with their allocations, numbered in the sweep's order. */
export async function readPaymentsBy(
  db: Db | Trx,
  payerPartyIds: readonly string[],
  window: PaymentWindow,
): Promise<TracePayment[]> {
  if (payerPartyIds.length === 0) return [];
  const result = await sql<{
    payment_id: string;
    payer_party_id: string;
    created_at: Date;
    receivable_id: string;
    holder_party_id: string;
    amount_minor: bigint;
  }>`
    SELECT payment.id AS payment_id, payment.payer_party_id, payment.created_at,
      payment_allocation.receivable_id, payment_allocation.holder_party_id, payment_allocation.amount_minor
    FROM payment
    JOIN payment_allocation ON payment_allocation.payment_id = payment.id
    WHERE ${inWindow(payerPartyIds, window)}
    ORDER BY payment.created_at, payment.id, payment_allocation.receivable_id`.execute(db);
  const payments: TracePayment[] = [];
  let last: { paymentId: string; allocations: TracePayment['allocations'][number][] } | undefined;
  for (const row of result.rows) {
    if (last?.paymentId !== row.payment_id) {
      last = { paymentId: row.payment_id, allocations: [] };
      payments.push({
        sequence: payments.length,
        paymentId: row.payment_id,
        payerPartyId: row.payer_party_id,
        recordedAt: row.created_at,
        allocations: last.allocations,
      });
    }
    last.allocations.push({
      receivableId: row.receivable_id,
      payeePartyId: row.holder_party_id,
      amountMinor: row.amount_minor,
    });
  }
  return payments;
}

/** The parties these payers paid in the window: the next level of candidate payers. */
export async function readPayees(
  db: Db | Trx,
  payerPartyIds: readonly string[],
  window: PaymentWindow,
): Promise<string[]> {
  if (payerPartyIds.length === 0) return [];
  const result = await sql<{ holder_party_id: string }>`
    SELECT DISTINCT payment_allocation.holder_party_id
    FROM payment
    JOIN payment_allocation ON payment_allocation.payment_id = payment.id
    WHERE ${inWindow(payerPartyIds, window)}
    ORDER BY payment_allocation.holder_party_id`.execute(db);
  return result.rows.map((row) => row.holder_party_id);
}

/**
 * Level by level from the holder, the parties within maxDepth - 1 payment hops; then their payments
 * in one statement, so that its ORDER BY, to the microsecond, numbers them (`sequence`).
 */
export async function readCandidatePayments(
  db: Db | Trx,
  holderPartyId: string,
  maxDepth: number,
  window: PaymentWindow,
): Promise<TracePayment[]> {
  const payers = new Set([holderPartyId]);
  let frontier = [holderPartyId];
  for (let level = 1; level < maxDepth && frontier.length > 0; level += 1) {
    frontier = (await readPayees(db, frontier, window)).filter((partyId) => !payers.has(partyId));
    for (const partyId of frontier) payers.add(partyId);
  }
  return readPaymentsBy(db, [...payers], window);
}
