/** Financings, the lenders asked, their offers and declines, and the financed total per root. kysely only. */
import type { Selectable } from 'kysely';
import type { FinancingResponseTable, FinancingStatus, FinancingTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { Financing, FinancingResponse } from './financing.js';

export function toFinancing(row: Selectable<FinancingTable>): Financing {
  return {
    id: row.id,
    receivableId: row.receivable_id,
    rootId: row.root_id,
    invoiceId: row.invoice_id,
    holderPartyId: row.holder_party_id,
    obligorPartyId: row.obligor_party_id,
    currency: row.currency,
    amountMinor: row.amount_minor,
    status: row.status,
    expiresAt: row.expires_at,
    requestedEventId: row.requested_event_id,
    acceptedOfferId: row.accepted_offer_id,
    lenderPartyId: row.lender_party_id,
    childReceivableId: row.child_receivable_id,
    paymentReference: row.payment_reference,
    disbursedEventId: row.disbursed_event_id,
    closedEventId: row.closed_event_id,
    createdAt: row.created_at,
  };
}

export function toResponse(row: Selectable<FinancingResponseTable>): FinancingResponse {
  return {
    id: row.id,
    financingId: row.financing_id,
    lenderPartyId: row.lender_party_id,
    kind: row.kind,
    status: row.status,
    rateMicros: row.rate_micros,
    dayCount: row.day_count,
    feeMinor: row.fee_minor,
    advanceDate: row.advance_date,
    days: row.days === null ? null : Number(row.days),
    discountMinor: row.discount_minor,
    advanceMinor: row.advance_minor,
    reportHash: row.report_hash,
    reason: row.reason,
    eventId: row.event_id,
    createdAt: row.created_at,
  };
}

/**
 * One financing; with `lock`, its row FOR UPDATE: every fact on a financing reads it before it
 * changes it, so concurrent acceptances and disbursements queue on it instead of both passing their
 * checks (the invoice's chain lock queues them too; this holds without it).
 */
export async function findFinancing(
  db: Db | Trx,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Financing | undefined> {
  let query = db.selectFrom('financing').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toFinancing(row);
}

export async function findFinancingsByIds(db: Db | Trx, ids: readonly string[]): Promise<Financing[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('financing').selectAll().where('id', 'in', ids).execute();
  return rows.map(toFinancing);
}

/** The financing in an open status on a receivable (at most one: a unique partial index), lapsed or not. */
export async function findOpenFinancingOf(
  db: Db | Trx,
  receivableId: string,
): Promise<Financing | undefined> {
  const row = await db
    .selectFrom('financing')
    .selectAll()
    .where('receivable_id', '=', receivableId)
    .where('status', 'in', ['requested', 'offered', 'accepted'])
    .executeTakeFirst();
  return row && toFinancing(row);
}

export type NewFinancing = Pick<
  Financing,
  | 'id'
  | 'receivableId'
  | 'rootId'
  | 'invoiceId'
  | 'holderPartyId'
  | 'obligorPartyId'
  | 'currency'
  | 'amountMinor'
  | 'expiresAt'
  | 'requestedEventId'
>;

/** The financing row, then its lenders in one multi-row insert. */
export async function insertFinancing(
  trx: Trx,
  financing: NewFinancing,
  lenderPartyIds: readonly string[],
): Promise<void> {
  await trx
    .insertInto('financing')
    .values({
      id: financing.id,
      receivable_id: financing.receivableId,
      root_id: financing.rootId,
      invoice_id: financing.invoiceId,
      holder_party_id: financing.holderPartyId,
      obligor_party_id: financing.obligorPartyId,
      currency: financing.currency,
      amount_minor: financing.amountMinor,
      status: 'requested',
      expires_at: financing.expiresAt,
      requested_event_id: financing.requestedEventId,
    })
    .execute();
  await trx
    .insertInto('financing_lender')
    .values(lenderPartyIds.map((lender) => ({ financing_id: financing.id, lender_party_id: lender })))
    .execute();
}

/** The lenders asked, per financing, in id order. */
export async function findLenders(
  db: Db | Trx,
  financingIds: readonly string[],
): Promise<Map<string, string[]>> {
  const lenders = new Map<string, string[]>(financingIds.map((id) => [id, []]));
  if (financingIds.length === 0) return lenders;
  const rows = await db
    .selectFrom('financing_lender')
    .selectAll()
    .where('financing_id', 'in', financingIds)
    .orderBy('financing_id')
    .orderBy('lender_party_id')
    .execute();
  for (const row of rows) lenders.get(row.financing_id)?.push(row.lender_party_id);
  return lenders;
}

/** Every offer and decline, per financing, in (created, id) order. */
export async function findResponses(
  db: Db | Trx,
  financingIds: readonly string[],
): Promise<Map<string, FinancingResponse[]>> {
  const responses = new Map<string, FinancingResponse[]>(financingIds.map((id) => [id, []]));
  if (financingIds.length === 0) return responses;
  const rows = await db
    .selectFrom('financing_response')
    .selectAll()
    .where('financing_id', 'in', financingIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) responses.get(row.financing_id)?.push(toResponse(row));
  return responses;
}

export async function findResponse(db: Db | Trx, id: string): Promise<FinancingResponse | undefined> {
  const row = await db.selectFrom('financing_response').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toResponse(row);
}

export type NewResponse = Omit<FinancingResponse, 'status' | 'createdAt'>;

export async function insertResponse(trx: Trx, response: NewResponse): Promise<void> {
  await trx
    .insertInto('financing_response')
    .values({
      id: response.id,
      financing_id: response.financingId,
      lender_party_id: response.lenderPartyId,
      kind: response.kind,
      status: response.kind === 'offer' ? 'open' : 'declined',
      rate_micros: response.rateMicros,
      day_count: response.dayCount,
      fee_minor: response.feeMinor,
      advance_date: response.advanceDate,
      days: response.days === null ? null : BigInt(response.days),
      discount_minor: response.discountMinor,
      advance_minor: response.advanceMinor,
      report_hash: response.reportHash,
      reason: response.reason,
      event_id: response.eventId,
    })
    .execute();
}

export interface FinancingChange {
  status: FinancingStatus;
  acceptedOfferId?: string;
  lenderPartyId?: string;
  childReceivableId?: string;
  paymentReference?: string;
  disbursedEventId?: string;
  closedEventId?: string;
}

export async function updateFinancing(trx: Trx, id: string, change: FinancingChange): Promise<void> {
  await trx
    .updateTable('financing')
    .set({
      status: change.status,
      ...(change.acceptedOfferId === undefined ? {} : { accepted_offer_id: change.acceptedOfferId }),
      ...(change.lenderPartyId === undefined ? {} : { lender_party_id: change.lenderPartyId }),
      ...(change.childReceivableId === undefined ? {} : { child_receivable_id: change.childReceivableId }),
      ...(change.paymentReference === undefined ? {} : { payment_reference: change.paymentReference }),
      ...(change.disbursedEventId === undefined ? {} : { disbursed_event_id: change.disbursedEventId }),
      ...(change.closedEventId === undefined ? {} : { closed_event_id: change.closedEventId }),
    })
    .where('id', '=', id)
    .execute();
}

/** Closes a financing's open offers, but for `exceptId` (the one accepted), which becomes accepted. */
export async function settleOffers(trx: Trx, financingId: string, acceptedId: string | null): Promise<void> {
  await trx
    .updateTable('financing_response')
    .set({ status: 'closed' })
    .where('financing_id', '=', financingId)
    .where('status', '=', 'open')
    .$if(acceptedId !== null, (query) => query.where('id', '!=', acceptedId as string))
    .execute();
  if (acceptedId === null) return;
  await trx
    .updateTable('financing_response')
    .set({ status: 'accepted' })
    .where('id', '=', acceptedId)
    .execute();
}

export async function setReceivableFinancing(
  trx: Trx,
  receivableId: string,
  financingId: string | null,
): Promise<void> {
  await trx
    .updateTable('receivable')
    .set({ financing_id: financingId })
    .where('id', '=', receivableId)
    .execute();
}

/** The principal financed across all parts of a root, FOR UPDATE (disbursements of one root queue). */
export async function findFinancedRoot(
  db: Db | Trx,
  rootId: string,
  options: { lock?: boolean } = {},
): Promise<{ faceMinor: bigint; financedMinor: bigint } | undefined> {
  let query = db
    .selectFrom('financed_root')
    .select(['face_minor', 'financed_minor'])
    .where('root_id', '=', rootId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && { faceMinor: row.face_minor, financedMinor: row.financed_minor };
}

/**
 * Adds `amountMinor` to the root's financed total, inserting the row with the root's face on first
 * use. The table's CHECK (financed <= face) refuses any total beyond the face, whatever raced.
 */
export async function addFinanced(
  trx: Trx,
  rootId: string,
  faceMinor: bigint,
  amountMinor: bigint,
): Promise<void> {
  await trx
    .insertInto('financed_root')
    .values({ root_id: rootId, face_minor: faceMinor, financed_minor: amountMinor })
    .onConflict((conflict) =>
      conflict
        .column('root_id')
        .doUpdateSet((eb) => ({ financed_minor: eb('financed_root.financed_minor', '+', amountMinor) })),
    )
    .execute();
}

/** Whether a stored verification report of this receivable has this hash. */
export async function reportExists(db: Db | Trx, hash: string, receivableId: string): Promise<boolean> {
  const row = await db
    .selectFrom('verification_report')
    .select('hash')
    .where('hash', '=', hash)
    .where('receivable_id', '=', receivableId)
    .executeTakeFirst();
  return row !== undefined;
}
