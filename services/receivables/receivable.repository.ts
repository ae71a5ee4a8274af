/** Receivables, payments and their allocations in SQL. kysely only; no rules here. */
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { ReceivableTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { Receivable, ReceivableStatus } from './receivable.js';
import type { Allocation, ReceivableChange } from './settlement.js';

export function toReceivable(row: Selectable<ReceivableTable>): Receivable {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    parentId: row.parent_id,
    rootId: row.root_id,
    tier: Number(row.tier),
    obligorPartyId: row.obligor_party_id,
    holderPartyId: row.holder_party_id,
    currency: row.currency,
    faceMinor: row.face_minor,
    transferredMinor: row.transferred_minor,
    settledMinor: row.settled_minor,
    creditedMinor: row.credited_minor,
    outstandingMinor: row.outstanding_minor,
    dueDate: row.due_date,
    status: row.status,
    onHold: row.on_hold,
    financingId: row.financing_id,
    createdEventId: row.created_event_id,
    createdAt: row.created_at,
  };
}

export type NewReceivable = Omit<
  Receivable,
  'transferredMinor' | 'settledMinor' | 'outstandingMinor' | 'onHold' | 'financingId' | 'createdAt'
> & {
  /** The financing whose disbursement splits this part off to its lender (services/financing). */
  financedBy?: string;
};

/** One multi-row insert. */
export async function insertReceivables(trx: Trx, receivables: readonly NewReceivable[]): Promise<void> {
  if (receivables.length === 0) return;
  await trx
    .insertInto('receivable')
    .values(
      receivables.map((receivable) => ({
        id: receivable.id,
        invoice_id: receivable.invoiceId,
        parent_id: receivable.parentId,
        root_id: receivable.rootId,
        tier: BigInt(receivable.tier),
        obligor_party_id: receivable.obligorPartyId,
        holder_party_id: receivable.holderPartyId,
        currency: receivable.currency,
        face_minor: receivable.faceMinor,
        credited_minor: receivable.creditedMinor,
        due_date: receivable.dueDate,
        status: receivable.status,
        created_event_id: receivable.createdEventId,
        financed_by: receivable.financedBy ?? null,
      })),
    )
    .execute();
  await recordHistory(trx, sql`receivable.id IN (${sql.join(receivables.map((r) => r.id))})`);
}

/**
 * Copies the rows' state, as this transaction leaves it, into receivable_history at their current
 * version, stamped like the events (the transaction's time to the millisecond). Every write to a
 * receivable's balance, status or hold calls it, in the same transaction, after bumping the version.
 */
async function recordHistory(trx: Trx, where: RawBuilder<unknown>): Promise<void> {
  await sql`
    INSERT INTO receivable_history (receivable_id, version, recorded_at, status, outstanding_minor, on_hold)
    SELECT receivable.id, receivable.version, date_trunc('millisecond', now()), receivable.status,
      receivable.outstanding_minor, receivable.on_hold
    FROM receivable WHERE ${where}
    ON CONFLICT (receivable_id, version) DO NOTHING`.execute(trx);
}

const byIds = (ids: readonly string[]) => sql`receivable.id IN (${sql.join(ids)})`;

export async function findReceivablesByIds(db: Db | Trx, ids: readonly string[]): Promise<Receivable[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('receivable').selectAll().where('id', 'in', ids).execute();
  return rows.map(toReceivable);
}

export async function findReceivable(db: Db | Trx, id: string): Promise<Receivable | undefined> {
  const [receivable] = await findReceivablesByIds(db, [id]);
  return receivable;
}

/** Every receivable of an invoice (one tree), in (tier, id) order. */
export async function findInvoiceTree(db: Db | Trx, invoiceId: string): Promise<Receivable[]> {
  const rows = await db
    .selectFrom('receivable')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('tier')
    .orderBy('id')
    .execute();
  return rows.map(toReceivable);
}

/** The direct children of a receivable, in id order. */
export async function findChildren(db: Db | Trx, parent: Receivable): Promise<Receivable[]> {
  const rows = await db
    .selectFrom('receivable')
    .selectAll()
    .where('invoice_id', '=', parent.invoiceId)
    .where('parent_id', '=', parent.id)
    .orderBy('id')
    .execute();
  return rows.map(toReceivable);
}

/**
 * Whether the financing a receivable names still holds it: a request that lapsed (its expiry passed
 * before an offer was disbursed) or was closed frees it without a write. A financing id with no
 * financing row behind it holds it too: when in doubt, the receivable stays blocked.
 */
export async function financingHolds(db: Db | Trx, receivable: Receivable, now: Date): Promise<boolean> {
  if (receivable.financingId === null) return false;
  const row = await db
    .selectFrom('financing')
    .select(['status', 'expires_at'])
    .where('id', '=', receivable.financingId)
    .executeTakeFirst();
  if (row === undefined) return true;
  const open = row.status === 'requested' || row.status === 'offered' || row.status === 'accepted';
  return open && row.expires_at.getTime() > now.getTime();
}

/** Whether the receivable is a lender's part, split off by a disbursement. */
export async function isFinancedPart(db: Db | Trx, id: string): Promise<boolean> {
  const row = await db.selectFrom('receivable').select('financed_by').where('id', '=', id).executeTakeFirst();
  return row?.financed_by != null;
}

export async function addTransferred(trx: Trx, id: string, amountMinor: bigint): Promise<void> {
  await trx
    .updateTable('receivable')
    .set((eb) => ({
      transferred_minor: eb('transferred_minor', '+', amountMinor),
      version: eb('version', '+', 1n),
    }))
    .where('id', '=', id)
    .execute();
  await recordHistory(trx, byIds([id]));
}

/** Adds settled and credited amounts and sets statuses, all nodes in one statement. */
export async function applyChanges(trx: Trx, changes: readonly ReceivableChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = sql.join(
    changes.map(
      (change) =>
        sql`(${change.id}::UUID, ${change.settledAddMinor}::INT8, ${change.creditedAddMinor}::INT8, ${change.status}::TEXT)`,
    ),
  );
  await sql`
    UPDATE receivable
    SET settled_minor = receivable.settled_minor + change.settled_add,
        credited_minor = receivable.credited_minor + change.credited_add,
        status = change.status,
        version = receivable.version + 1
    FROM (VALUES ${rows}) AS change (id, settled_add, credited_add, status)
    WHERE receivable.id = change.id`.execute(trx);
  await recordHistory(trx, byIds(changes.map((change) => change.id)));
}

export async function setInvoiceHold(trx: Trx, invoiceId: string, onHold: boolean): Promise<void> {
  await trx
    .updateTable('receivable')
    .set((eb) => ({ on_hold: onHold, version: eb('version', '+', 1n) }))
    .where('invoice_id', '=', invoiceId)
    .execute();
  await recordHistory(trx, sql`receivable.invoice_id = ${invoiceId}`);
}

/** Sets one status on many receivables. */
export async function setStatuses(trx: Trx, ids: readonly string[], status: ReceivableStatus): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('receivable')
    .set((eb) => ({ status, version: eb('version', '+', 1n) }))
    .where('id', 'in', ids)
    .execute();
  await recordHistory(trx, byIds(ids));
}

export interface NewPayment {
  id: string;
  invoiceId: string;
  eventId: string;
  payerPartyId: string;
  currency: string;
  amountMinor: bigint;
  paidOn: string;
}

/** The payment row, then all its allocations in one multi-row insert. */
export async function insertPayment(
  trx: Trx,
  payment: NewPayment,
  allocations: readonly Allocation[],
): Promise<void> {
  await trx
    .insertInto('payment')
    .values({
      id: payment.id,
      invoice_id: payment.invoiceId,
      event_id: payment.eventId,
      payer_party_id: payment.payerPartyId,
      currency: payment.currency,
      amount_minor: payment.amountMinor,
      paid_on: payment.paidOn,
    })
    .execute();
  if (allocations.length === 0) return;
  await trx
    .insertInto('payment_allocation')
    .values(
      allocations.map((allocation) => ({
        payment_id: payment.id,
        receivable_id: allocation.receivableId,
        holder_party_id: allocation.holderPartyId,
        amount_minor: allocation.amountMinor,
      })),
    )
    .execute();
}

export async function paymentExists(db: Db | Trx, id: string): Promise<boolean> {
  const row = await db.selectFrom('payment').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export interface PaymentAllocationRow {
  paymentId: string;
  receivableId: string;
  holderPartyId: string;
  amountMinor: bigint;
}

export async function findPaymentAllocations(
  db: Db | Trx,
  paymentId: string,
): Promise<PaymentAllocationRow[]> {
  const rows = await db
    .selectFrom('payment_allocation')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('receivable_id')
    .execute();
  return rows.map((row) => ({
    paymentId: row.payment_id,
    receivableId: row.receivable_id,
    holderPartyId: row.holder_party_id,
    amountMinor: row.amount_minor,
  }));
}

export async function creditNoteNumberTaken(
  db: Db | Trx,
  sellerPartyId: string,
  creditNoteNumber: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('trade_document')
    .select('id')
    .where('kind', '=', 'credit_note')
    .where('seller_party_id', '=', sellerPartyId)
    .where('document_number', '=', creditNoteNumber)
    .executeTakeFirst();
  return row !== undefined;
}
