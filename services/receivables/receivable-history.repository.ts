/**
 * Receivables as the ledger stood at an instant, from receivable_history: each receivable's columns
 * that never change (parties, currency, tier, due date, invoice) joined to its latest recorded state
 * (status, outstanding, hold) at or before the instant. Receivables created later are absent.
 */
import { type RawBuilder, sql } from 'kysely';

/**
 * A relation with the receivable table's columns that readers of claims use: the table itself for
 * now (null), or its state at `asOf`. Used as `FROM ${receivableRows(asOf)} AS receivable`.
 */
export function receivableRows(asOf: Date | null): RawBuilder<unknown> {
  if (asOf === null) return sql`receivable`;
  return sql`(
    SELECT current.id, current.invoice_id, current.root_id, current.parent_id, current.tier,
      current.holder_party_id, current.obligor_party_id, current.currency, current.due_date,
      current.financed_by, history.status, history.outstanding_minor, history.on_hold
    FROM receivable_history AS history
    JOIN receivable AS current ON current.id = history.receivable_id
    WHERE history.recorded_at <= ${asOf}
      AND NOT EXISTS (
        SELECT 1 FROM receivable_history AS later
        WHERE later.receivable_id = history.receivable_id
          AND later.version > history.version
          AND later.recorded_at <= ${asOf}
      )
  )`;
}
