/**
 * What traceFunds reads: the financing with its disbursement (the advance of the accepted offer,
 * which is what the lender paid the holder; the disbursed fact's `amount` is the financed face of
 * the lender's part, not cash), and the payments that could carry traced money. Payments are read
 * level by level: the payments of the holder, then of the payees those reach, to maxDepth - 1 payer
 * levels. That is a superset of what the sweep follows (a party it follows at depth d is d payment
 * hops from the holder), so at most maxDepth round trips, all in the caller's snapshot.
 *
 * Plain SELECTs with explicit casts, for PostgreSQL and CockroachDB alike. The time gate compares
 * with the disbursed event's recorded_at in SQL, so it is exact to the microsecond.
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

/** The payments by these payers in the window, with their allocations, in the sweep's order. */
export async function readPaymentsBy(
  db: Db | Trx,
  payerPartyIds: readonly string[],
  window: PaymentWindow,
): Promise<TracePayment[]> {
  if (payerPartyIds.length === 0) return [];
  const upTo = window.asOf === undefined ? sql`` : sql`AND payment.created_at <= ${window.asOf}::TIMESTAMPTZ`;
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
    WHERE payment.payer_party_id = ANY(${payerPartyIds}::UUID[])
      AND payment.currency = ${window.currency}
      AND payment.created_at > (SELECT event.recorded_at FROM event WHERE event.id = ${window.disbursedEventId}::UUID)
      ${upTo}
    ORDER BY payment.created_at, payment.id, payment_allocation.receivable_id`.execute(db);
  const payments: TracePayment[] = [];
  let last: { paymentId: string; allocations: TracePayment['allocations'][number][] } | undefined;
  for (const row of result.rows) {
    if (last?.paymentId !== row.payment_id) {
      last = { paymentId: row.payment_id, allocations: [] };
      payments.push({
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

/** Level by level from the holder: every payment a party within maxDepth - 1 payment hops made. */
export async function readCandidatePayments(
  db: Db | Trx,
  holderPartyId: string,
  maxDepth: number,
  window: PaymentWindow,
): Promise<TracePayment[]> {
  const payments: TracePayment[] = [];
  const seen = new Set([holderPartyId]);
  let frontier = [holderPartyId];
  for (let level = 0; level < maxDepth && frontier.length > 0; level += 1) {
    const read = await readPaymentsBy(db, frontier, window);
    payments.push(...read);
    frontier = [];
    for (const payment of read) {
      for (const allocation of payment.allocations) {
        if (seen.has(allocation.payeePartyId)) continue;
        seen.add(allocation.payeePartyId);
        frontier.push(allocation.payeePartyId);
      }
    }
  }
  return payments;
}
