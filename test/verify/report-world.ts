/**
 * Building what a verification report checks: confirmed invoices on a full trade chain, receivables
 * passed down the tiers, and, until the financing facts exist on this branch, financings written
 * straight into their tables as the schema owner (the report only reads them).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Actor } from '../../services/parties/party.js';
import { invoiceConfirmedKind, receivableTransferredKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import type { CheckName, CheckStatus, VerificationReport } from '../../services/verify/report.js';
import { verificationReport } from '../../services/verify/report.service.js';
import type { TestLedger, TestParty } from '../support/ledger.js';
import { invoicePayload, recordChain, stated } from '../trade/trade-fixtures.js';

export const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '100' }];

export interface Confirmed {
  invoiceId: string;
  rootId: string;
  receiptId: string;
}

/** Order, shipment, receipt and invoice of `quantity` (whole) × 100.00, confirmed by the buyer. */
export async function confirmedInvoice(
  ledger: TestLedger,
  buyer: TestParty,
  seller: TestParty,
  fields: Record<string, unknown> = {},
  quantity = '10',
): Promise<Confirmed> {
  const ordered = [{ ...lines[0], quantity } as (typeof lines)[number]];
  const chain = await recordChain(ledger, buyer, seller, ordered);
  const total = `${BigInt(quantity) * 100n}.00`;
  const invoice = invoicePayload(chain, ordered, total, fields);
  await stated(ledger, seller, invoiceKind, invoice);
  const invoiceId = String(invoice.documentId);
  const rootId = randomUUID();
  await stated(ledger, buyer, invoiceConfirmedKind, { invoiceId, receivableId: rootId });
  return { invoiceId, rootId, receiptId: chain.receiptId };
}

export async function transferred(
  ledger: TestLedger,
  holder: TestParty,
  receivableId: string,
  to: TestParty,
  amount: string,
): Promise<string> {
  const childReceivableId = randomUUID();
  await stated(ledger, holder, receivableTransferredKind, {
    receivableId,
    toPartyId: to.party.id,
    amount,
    childReceivableId,
  });
  return childReceivableId;
}

/** A financing row as the financing facts would leave it; returns its id. */
export async function financingRow(
  ledger: TestLedger,
  receivableId: string,
  options: { lenders: TestParty[]; status: 'requested' | 'disbursed'; amountMinor?: bigint },
): Promise<string> {
  const receivable = await ledger.owner.db
    .selectFrom('receivable')
    .selectAll()
    .where('id', '=', receivableId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const disbursed = options.status === 'disbursed';
  await ledger.owner.db
    .insertInto('financing')
    .values({
      id,
      receivable_id: receivableId,
      root_id: receivable.root_id,
      invoice_id: receivable.invoice_id,
      holder_party_id: receivable.holder_party_id,
      obligor_party_id: receivable.obligor_party_id,
      currency: receivable.currency,
      amount_minor: options.amountMinor ?? receivable.outstanding_minor,
      status: options.status,
      expires_at: new Date(Date.now() + 86_400_000),
      requested_event_id: randomUUID(),
      accepted_offer_id: disbursed ? randomUUID() : null,
      lender_party_id: disbursed ? (options.lenders[0]?.party.id ?? null) : null,
      child_receivable_id: disbursed ? randomUUID() : null,
      payment_reference: null,
      disbursed_event_id: null,
      closed_event_id: null,
    })
    .execute();
  if (options.lenders.length > 0) {
    await ledger.owner.db
      .insertInto('financing_lender')
      .values(options.lenders.map((lender) => ({ financing_id: id, lender_party_id: lender.party.id })))
      .execute();
  }
  return id;
}

export async function reportFor(
  ledger: TestLedger,
  actor: Actor | TestParty,
  receivableId: string,
): Promise<VerificationReport> {
  const report = await verificationReport(
    ledger.ledger,
    'actor' in actor ? actor.actor : actor,
    receivableId,
  );
  if (!report.ok) throw new Error(`${report.code}: ${report.message}`);
  return report.value;
}

/** Each check's status, by name. */
export function statuses(report: VerificationReport): Record<CheckName, CheckStatus> {
  return Object.fromEntries(report.body.checks.map((check) => [check.name, check.status])) as Record<
    CheckName,
    CheckStatus
  >;
}

export function check(report: VerificationReport, name: CheckName) {
  const found = report.body.checks.find((entry) => entry.name === name);
  expect(found, `the report has a ${name} check`).toBeDefined();
  return found as NonNullable<typeof found>;
}

/** Every value of every evidence item of a check, flattened: what a test looks ids up in. */
export function evidenceValues(report: VerificationReport, name: CheckName): string[] {
  return check(report, name).evidence.flatMap((item) => item.values);
}
