/**
 * Test helpers for financing: invoices due in the future (financing refuses overdue paper), a stored
 * verification report to name in offers (the report itself is services/verify's), and one helper per
 * financing fact. Parties are custodial: the platform signs.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import '../../services/financing/index.js';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { confirm, issueInvoice, recorded } from '../receivables/support.js';
import type { TestLedger, TestParty } from '../support/ledger.js';

export { record, recorded, snapshotAll, transfer } from '../receivables/support.js';

export const today = () => todayUtc();
export const dueIn = (days: number) => addDays(todayUtc(), days);

/** A confirmed invoice due in 90 days; returns the invoice and its root receivable. */
export async function confirmedReceivable(
  t: TestLedger,
  seller: TestParty,
  buyer: TestParty,
  options: { total?: string; dueInDays?: number } = {},
): Promise<{ invoiceId: string; rootId: string }> {
  const invoiceId = await issueInvoice(t, seller, buyer, {
    total: options.total ?? '1000000.00',
    issueDate: addDays(todayUtc(), -10),
    dueDate: dueIn(options.dueInDays ?? 90),
  });
  return { invoiceId, rootId: await confirm(t, buyer, invoiceId) };
}

/** Stands for the report services/verify stores: a row with a fresh hash for the receivable. */
export async function storeReport(t: TestLedger, receivableId: string): Promise<string> {
  const body = JSON.stringify({ receivableId, nonce: randomBytes(8).toString('hex') });
  const hash = createHash('sha256').update(body).digest('hex');
  await t.owner.db
    .insertInto('verification_report')
    .values({ hash, receivable_id: receivableId, body })
    .execute();
  return hash;
}

export async function requestFinancing(
  t: TestLedger,
  holder: TestParty,
  receivableId: string,
  lenders: readonly TestParty[],
  amount: string,
): Promise<string> {
  const financingId = randomUUID();
  await recorded(t, holder, 'financing.requested', {
    financingId,
    receivableId,
    lenderPartyIds: lenders.map((lender) => lender.party.id),
    amount,
  });
  return financingId;
}

export function offerPayload(financingId: string, reportHash: string, terms: Record<string, unknown> = {}) {
  return {
    financingId,
    offerId: randomUUID(),
    rate: '0.045',
    dayCount: 'act_360',
    fee: '1.00',
    advanceDate: todayUtc(),
    reportHash,
    ...terms,
  };
}

export async function offer(
  t: TestLedger,
  lender: TestParty,
  financingId: string,
  reportHash: string,
  terms: Record<string, unknown> = {},
): Promise<string> {
  const payload = offerPayload(financingId, reportHash, terms);
  await recorded(t, lender, 'financing.offered', payload);
  return payload.offerId;
}

export async function accept(
  t: TestLedger,
  holder: TestParty,
  financingId: string,
  offerId: string,
): Promise<void> {
  await recorded(t, holder, 'financing.offer_accepted', { financingId, offerId });
}

export async function disburse(
  t: TestLedger,
  lender: TestParty,
  financingId: string,
  amount: string,
): Promise<string> {
  const childReceivableId = randomUUID();
  await recorded(t, lender, 'financing.disbursed', {
    financingId,
    amount,
    paymentReference: `PAY-${randomBytes(4).toString('hex')}`,
    childReceivableId,
  });
  return childReceivableId;
}

export async function financingRow(t: TestLedger, id: string) {
  return t.owner.db.selectFrom('financing').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const financingTables = [
  'financing',
  'financing_lender',
  'financing_response',
  'financed_root',
  'credit_limit',
] as const;

/** snapshotAll plus every financing table: equal before and after proves no write. */
export async function snapshotWithFinancing(t: TestLedger, base: () => Promise<string>): Promise<string> {
  const tables: Record<string, unknown[]> = { base: [await base()] };
  for (const table of financingTables) {
    const rows = await t.owner.db.selectFrom(table).selectAll().execute();
    tables[table] = rows
      .map((row) =>
        JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
      )
      .sort();
  }
  return JSON.stringify(tables);
}
