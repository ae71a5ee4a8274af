/**
 * Test helpers for receivables. Invoices come from a tiny test-only fact, `test_invoice.issued`, a
 * real signed event whose projection inserts an issued invoice, so these tests do not depend on the
 * trade facts (services/trade) being written alongside. Parties are custodial: the platform signs.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppendedEvent } from '../../services/events/event.js';
import { factSpec, registerFact } from '../../services/events/fact.js';
import { recordFact } from '../../services/events/fact.service.js';
import { parseAmount } from '../../services/money/money.js';
import type { Actor } from '../../services/parties/party.js';
import '../../services/receivables/index.js';
import type { Receivable } from '../../services/receivables/receivable.js';
import { findInvoiceTree, findReceivable } from '../../services/receivables/receivable.repository.js';
import { fail, ok, type Result } from '../../services/result.js';
import { insertDocument } from '../../services/trade/trade-document.repository.js';
import { amountSchema, dateSchema, parseWith, uuidSchema } from '../../services/validation.js';
import { freshKey } from '../support/fixtures.js';
import type { TestLedger, TestParty } from '../support/ledger.js';

export const testInvoiceKind = 'test_invoice.issued';

const testInvoiceSchema = z.strictObject({
  documentId: uuidSchema,
  buyerPartyId: uuidSchema,
  invoiceNumber: z.string().min(1),
  currency: z.string().length(3),
  total: amountSchema,
  issueDate: dateSchema,
  dueDate: dateSchema,
});

type TestInvoicePayload = z.infer<typeof testInvoiceSchema>;

function totalMinor(payload: TestInvoicePayload): Result<bigint> {
  return parseAmount(payload.total, payload.currency, 'total');
}

if (!factSpec(testInvoiceKind)) {
  registerFact<TestInvoicePayload>({
    kind: testInvoiceKind,
    roles: ['supplier'],
    chain: { of: async (_trx, payload) => payload.documentId, starts: true },
    parse: (input) => parseWith(testInvoiceSchema, input),
    async check(_trx, _ledger, actor, payload) {
      if (actor.partyId === payload.buyerPartyId)
        return fail('invalid_input', 'seller is buyer', 'buyerPartyId');
      const total = totalMinor(payload);
      if (!total.ok) return total;
      return ok({ counterparty: payload.buyerPartyId, refs: [] });
    },
    async project(trx, _ledger, event, payload) {
      const total = totalMinor(payload);
      if (!total.ok) throw new Error('test invoice total');
      await insertDocument(
        trx,
        {
          id: payload.documentId,
          kind: 'invoice',
          eventId: event.id,
          buyerPartyId: payload.buyerPartyId,
          sellerPartyId: event.actorPartyId,
          currency: payload.currency,
          documentNumber: payload.invoiceNumber,
          documentDate: payload.issueDate,
          dueDate: payload.dueDate,
          totalMinor: total.value,
          status: 'issued',
          body: {},
        },
        [],
      );
    },
  });
}

export interface InvoiceOptions {
  total?: string;
  currency?: string;
  issueDate?: string;
  dueDate?: string;
}

/** States a fact as `actor` with a fresh idempotency key; the platform signs (custodial parties). */
export function record(t: TestLedger, actor: Actor | TestParty, kind: string, payload: unknown) {
  const acting = 'actor' in actor ? actor.actor : actor;
  return recordFact(t.ledger, acting, kind, payload, freshKey(kind));
}

/** record(), throwing unless the fact was appended. */
export async function recorded(
  t: TestLedger,
  actor: Actor | TestParty,
  kind: string,
  payload: unknown,
): Promise<AppendedEvent> {
  const result = await record(t, actor, kind, payload);
  if (!result.ok) throw new Error(`expected ${kind} to be recorded, got ${result.code}: ${result.message}`);
  return result.value;
}

export async function issueInvoice(
  t: TestLedger,
  seller: TestParty,
  buyer: TestParty,
  options: InvoiceOptions = {},
): Promise<string> {
  const documentId = randomUUID();
  await recorded(t, seller, testInvoiceKind, {
    documentId,
    buyerPartyId: buyer.party.id,
    invoiceNumber: freshKey('INV'),
    currency: options.currency ?? 'CNY',
    total: options.total ?? '300.00',
    issueDate: options.issueDate ?? '2025-01-10',
    dueDate: options.dueDate ?? '2025-04-10',
  });
  return documentId;
}

/** The buyer confirms; returns the root receivable's id. */
export async function confirm(t: TestLedger, buyer: TestParty, invoiceId: string): Promise<string> {
  const receivableId = randomUUID();
  await recorded(t, buyer, 'invoice.confirmed', { invoiceId, receivableId });
  return receivableId;
}

/** The holder passes `amount` on; returns the child receivable's id. */
export async function transfer(
  t: TestLedger,
  holder: TestParty,
  receivableId: string,
  to: TestParty,
  amount: string,
): Promise<string> {
  const childReceivableId = randomUUID();
  await recorded(t, holder, 'receivable.transferred', {
    receivableId,
    toPartyId: to.party.id,
    amount,
    childReceivableId,
  });
  return childReceivableId;
}

export async function pay(
  t: TestLedger,
  buyer: TestParty,
  invoiceId: string,
  amount: string,
  paidOn = '2025-04-10',
): Promise<string> {
  const paymentId = randomUUID();
  await recorded(t, buyer, 'payment.recorded', { paymentId, invoiceId, amount, paidOn });
  return paymentId;
}

/** Every receivable of the invoice in (tier, id) order, read as the schema owner. */
export function treeOf(t: TestLedger, invoiceId: string): Promise<Receivable[]> {
  return findInvoiceTree(t.owner.db, invoiceId);
}

export async function receivableById(t: TestLedger, id: string): Promise<Receivable> {
  const found = await findReceivable(t.owner.db, id);
  if (!found) throw new Error(`no receivable ${id}`);
  return found;
}

export async function invoiceStatus(t: TestLedger, id: string): Promise<string> {
  const row = await t.owner.db
    .selectFrom('trade_document')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

const projectionTables = [
  'trade_document',
  'trade_document_ref',
  'receivable',
  'payment',
  'payment_allocation',
] as const;

/** t.snapshot() plus every projection these facts write: equal before and after proves no write. */
export async function snapshotAll(t: TestLedger): Promise<string> {
  const tables: Record<string, unknown[]> = { base: [await t.snapshot()] };
  for (const table of projectionTables) {
    tables[table] = await t.owner.db.selectFrom(table).selectAll().orderBy(sql`1`).orderBy(sql`2`).execute();
  }
  return JSON.stringify(tables, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

/** A credit_note.issued payload with a fresh document id and number. */
export function creditNote(invoiceId: string, amount: string, fields: Record<string, unknown> = {}) {
  return {
    documentId: randomUUID(),
    invoiceId,
    creditNoteNumber: `CN-${randomUUID().slice(0, 8)}`,
    amount,
    reason: 'two cartons damaged',
    issueDate: '2025-02-01',
    ...fields,
  };
}
