/**
 * What each fact of an invoice's chain states, as far as replaying the tree needs it (tree-replay.ts).
 * Looser than the facts' own schemas on purpose: the verifier reads statements the ledger accepted
 * and signed, and only needs the fields that move the tree.
 */
import { z } from 'zod';

const decimal = z.string().regex(/^\d{1,16}(\.\d{1,6})?$/);
export const payloads = {
  'invoice.issued': z.object({ documentId: z.string(), currency: z.string() }),
  'invoice.confirmed': z.object({
    invoiceId: z.string(),
    receivableId: z.string(),
    amount: decimal,
    currency: z.string(),
    dueDate: z.string(),
  }),
  'credit_note.issued': z.object({ invoiceId: z.string(), amount: decimal }),
  'invoice.cancelled': z.object({ invoiceId: z.string() }),
  'invoice.hold_resolved': z.object({ invoiceId: z.string(), outcome: z.enum(['accepted', 'rejected']) }),
  'receivable.transferred': z.object({
    receivableId: z.string(),
    toPartyId: z.string(),
    amount: decimal,
    childReceivableId: z.string(),
  }),
  'payment.recorded': z.object({ invoiceId: z.string(), amount: decimal }),
  'receivable.defaulted': z.object({ invoiceId: z.string() }),
  // Financing (services/financing) joins the chain of the invoice it finances.
  'financing.requested': z.object({
    financingId: z.string(),
    receivableId: z.string(),
    lenderPartyIds: z.array(z.string()),
    amount: decimal,
  }),
  'financing.withdrawn': z.object({ financingId: z.string() }),
  'financing.offered': z.object({ financingId: z.string() }),
  'financing.declined': z.object({ financingId: z.string() }),
  'financing.offer_accepted': z.object({ financingId: z.string() }),
  'financing.disbursed': z.object({
    financingId: z.string(),
    receivableId: z.string(),
    amount: decimal,
    childReceivableId: z.string(),
  }),
} as const;

export type Kind = keyof typeof payloads;
export type Payload<K extends Kind> = z.infer<(typeof payloads)[K]>;
