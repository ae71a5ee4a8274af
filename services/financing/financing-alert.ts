/** Alerts raised on a disbursed financing when the paper behind it changes (receivables/financed-watch.ts). */
import type { FinancingAlertKind } from '../../schema/database.js';

export type { FinancingAlertKind };

export const financingAlertKinds = [
  'invoice_cancelled',
  'credit_note_issued',
  'on_hold',
  'defaulted',
] as const satisfies readonly FinancingAlertKind[];

export interface FinancingAlert {
  id: string;
  kind: FinancingAlertKind;
  financingId: string;
  lenderPartyId: string;
  /** The event that raised it: a cancellation, a credit note or a default. */
  eventId: string;
  eventKind: string;
  invoiceId: string;
  createdAt: Date;
}

export interface FinancingAlertCursor {
  createdAt: Date;
  id: string;
}
