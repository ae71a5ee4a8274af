/**
 * The reads of check d: other invoices that share this one's tax invoice, goods receipts or blinded
 * fingerprint, each with whether it is financed; and what is financed on the root. An invoice counts
 * as financed when a financing of it was disbursed or a part of its tree was split off to a lender.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../schema/database.js';
import type { Trx } from '../db/transaction.js';

export interface OtherInvoice {
  invoiceId: string;
  financed: boolean;
}

function financed(eb: ExpressionBuilder<Database, 'trade_document'>) {
  return eb
    .or([
      eb.exists(
        eb
          .selectFrom('financing')
          .select('financing.id')
          .whereRef('financing.invoice_id', '=', 'trade_document.id')
          .where('financing.status', '=', 'disbursed'),
      ),
      eb.exists(
        eb
          .selectFrom('receivable')
          .select('receivable.id')
          .whereRef('receivable.invoice_id', '=', 'trade_document.id')
          .where('receivable.financed_by', 'is not', null),
      ),
    ])
    .as('financed');
}

const toOther = (row: { id: string; financed: unknown }): OtherInvoice => ({
  invoiceId: row.id,
  financed: row.financed === true,
});

/** Other invoices with this tax invoice code and number, any seller (a tax invoice is issued once). */
export async function invoicesWithTaxInvoice(
  trx: Trx,
  invoiceId: string,
  taxInvoiceCode: string,
  taxInvoiceNumber: string,
): Promise<OtherInvoice[]> {
  const rows = await trx
    .selectFrom('trade_document')
    .select((eb) => ['trade_document.id', financed(eb)])
    .where('trade_document.kind', '=', 'invoice')
    .where('trade_document.document_number', '=', taxInvoiceNumber)
    .where('trade_document.id', '<>', invoiceId)
    .where(sql<string>`trade_document.body->>'taxInvoiceCode'`, '=', taxInvoiceCode)
    .orderBy('trade_document.id')
    .execute();
  return rows.map(toOther);
}

/** Other invoices (not cancelled) that bill any of these goods receipts. */
export async function invoicesOnReceipts(
  trx: Trx,
  invoiceId: string,
  receiptIds: readonly string[],
): Promise<OtherInvoice[]> {
  if (receiptIds.length === 0) return [];
  const rows = await trx
    .selectFrom('trade_document')
    .select((eb) => ['trade_document.id', financed(eb)])
    .where('trade_document.kind', '=', 'invoice')
    .where('trade_document.id', '<>', invoiceId)
    .where('trade_document.status', '<>', 'cancelled')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('trade_document_ref')
          .select('trade_document_ref.document_id')
          .whereRef('trade_document_ref.document_id', '=', 'trade_document.id')
          .where('trade_document_ref.ref_document_id', 'in', receiptIds),
      ),
    )
    .orderBy('trade_document.id')
    .execute();
  return rows.map(toOther);
}

/** The invoice's blinded fingerprint (null when none was recorded) and the other invoices sharing it. */
export async function invoicesWithFingerprint(
  trx: Trx,
  invoiceId: string,
): Promise<{ fingerprint: string | null; others: OtherInvoice[] }> {
  const own = await trx
    .selectFrom('invoice_fingerprint')
    .select('fingerprint')
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  if (!own) return { fingerprint: null, others: [] };
  const rows = await trx
    .selectFrom('invoice_fingerprint')
    .innerJoin('trade_document', 'trade_document.id', 'invoice_fingerprint.invoice_id')
    .select((eb) => ['trade_document.id', financed(eb)])
    .where('invoice_fingerprint.fingerprint', '=', own.fingerprint)
    .where('invoice_fingerprint.invoice_id', '<>', invoiceId)
    .orderBy('trade_document.id')
    .execute();
  return { fingerprint: own.fingerprint, others: rows.map(toOther) };
}

export interface RootFinancing {
  /** The financed_root row: null while nothing on the root was financed. */
  recorded: { faceMinor: bigint; financedMinor: bigint } | null;
  /** The disbursed financings on any part of the root, summed, and their ids. */
  disbursedMinor: bigint;
  financingIds: string[];
}

/** Every part of a root shares its invoice, so the financings of the root are those of the invoice. */
export async function rootFinancing(trx: Trx, rootId: string, invoiceId: string): Promise<RootFinancing> {
  const recorded = await trx
    .selectFrom('financed_root')
    .select(['face_minor', 'financed_minor'])
    .where('root_id', '=', rootId)
    .executeTakeFirst();
  const disbursed = await trx
    .selectFrom('financing')
    .select(['id', 'amount_minor'])
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'disbursed')
    .orderBy('id')
    .execute();
  return {
    recorded: recorded ? { faceMinor: recorded.face_minor, financedMinor: recorded.financed_minor } : null,
    disbursedMinor: disbursed.reduce((sum, row) => sum + row.amount_minor, 0n),
    financingIds: disbursed.map((row) => row.id),
  };
}
