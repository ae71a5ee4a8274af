import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';

export interface FingerprintStanding {
  confirmed: boolean;
  financed: boolean;
}

/**
 * Whether an invoice with this fingerprint is confirmed here and not cancelled since, and whether a
 * financing was disbursed on any receivable of its tree (the lender's part carries financed_by).
 * Reads the fingerprint index and, per invoice found, the invoice row and its receivables.
 */
export async function findFingerprintStanding(
  db: Db | Trx,
  fingerprint: string,
): Promise<FingerprintStanding> {
  const { rows } = await sql<FingerprintStanding>`
    SELECT
      COALESCE(bool_or(d.status <> 'cancelled'), false) AS confirmed,
      COALESCE(bool_or(EXISTS (
        SELECT 1 FROM receivable AS r WHERE r.invoice_id = f.invoice_id AND r.financed_by IS NOT NULL
      )), false) AS financed
    FROM invoice_fingerprint AS f
    JOIN trade_document AS d ON d.id = f.invoice_id
    WHERE f.fingerprint = ${fingerprint}`.execute(db);
  return rows[0] ?? { confirmed: false, financed: false };
}
