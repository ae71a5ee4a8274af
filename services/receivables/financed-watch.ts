/**
 * The post-funding watch: a cancellation, a credit note or a default on an invoice after a financing
 * on one of its receivables was disbursed raises an alert on that financing, for its lender, and a
 * FINANCING_ALERT webhook notice. The receivable facts raise them in their own transaction, so the
 * fact, its alerts and their deliveries commit together.
 *
 * Why SQL on the financing tables from here rather than an after-project hook that services/financing
 * registers: the facts that change the paper are here, the rule is two statements, and a hook would
 * add a second registry to the fact pipeline for one caller. Receivables still import nothing of
 * services/financing (no folder cycle); they only read `financing` and write `financing_alert`.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FinancingAlertKind } from '../../schema/database.js';
import type { Trx } from '../db/transaction.js';
import type { LedgerEvent } from '../events/event.js';
import { factNotice, type Notice } from '../webhooks/webhook.js';

export type { FinancingAlertKind };

/**
 * One alert per disbursed financing on any receivable of the invoice's tree (financing.invoice_id,
 * read through the financing_invoice index), raised by `event`. A financing that is only requested, offered or accepted is not alerted: nothing
 * was paid out yet, and its lender sees the change when it reads the report before paying.
 * Returns how many were raised.
 */
export async function raiseFinancingAlerts(
  trx: Trx,
  event: LedgerEvent,
  invoiceId: string,
  kind: FinancingAlertKind,
): Promise<number> {
  const financed = await trx
    .selectFrom('financing')
    .select(['id', 'lender_party_id'])
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'disbursed')
    .orderBy('id')
    .execute();
  const rows = financed.flatMap((financing) =>
    financing.lender_party_id === null
      ? []
      : [
          {
            id: randomUUID(),
            financing_id: financing.id,
            lender_party_id: financing.lender_party_id,
            event_id: event.id,
            kind,
          },
        ],
  );
  if (rows.length === 0) return 0;
  await trx.insertInto('financing_alert').values(rows).execute();
  return rows.length;
}

interface RaisedAlert {
  id: string;
  financing_id: string;
  lender_party_id: string;
  kind: FinancingAlertKind;
  invoice_id: string;
  receivable_id: string;
  child_receivable_id: string | null;
}

/**
 * The FINANCING_ALERT notices of the alerts `event` raised: each lender hears of its own financing
 * only, with ids it may read (the financing, the invoice, the receivable it financed and its part).
 */
export async function financingAlertNotices(
  trx: Trx,
  event: LedgerEvent,
  invoiceId: string,
): Promise<Notice[]> {
  // By the invoice's financings (financing_invoice), then each one's alert of this event (the
  // unique (financing_id, event_id)): index reads only, in a serializable transaction.
  const { rows } = await sql<RaisedAlert>`
    SELECT a.id, a.financing_id, a.lender_party_id, a.kind, f.invoice_id, f.receivable_id,
      f.child_receivable_id
    FROM financing AS f
    JOIN financing_alert AS a ON a.financing_id = f.id AND a.event_id = ${event.id}
    WHERE f.invoice_id = ${invoiceId}
    ORDER BY a.id`.execute(trx);
  return rows.map((alert) =>
    factNotice(event, {
      partyId: alert.lender_party_id,
      type: 'financing_alert',
      subject: alert.financing_id,
      data: {
        alertId: alert.id,
        kind: alert.kind.toUpperCase(),
        financingId: alert.financing_id,
        invoiceId: alert.invoice_id,
        receivableId: alert.receivable_id,
        lenderReceivableId: alert.child_receivable_id,
      },
    }),
  );
}
