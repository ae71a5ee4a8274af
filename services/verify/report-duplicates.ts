/**
 * Check d (duplicates): is the trade behind this receivable financed elsewhere already? The same tax
 * invoice (code and number) behind another financed invoice fails: a tax invoice is issued once. The
 * same goods receipt behind another financed invoice warns: two invoices may each bill part of one
 * delivery (check b counts the quantities), but a lender should look. The blinded fingerprint of
 * this invoice on another financed invoice fails, on another unfinanced one warns. Financing on the
 * root above its face fails. The tax invoice number itself is a trade term (services/trade): a
 * report reaches lenders and holders who are not party to the trade, so it names documents only.
 */
import type { Trx } from '../db/transaction.js';
import { formatAmount } from '../money/money.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import {
  invoicesOnReceipts,
  invoicesWithFingerprint,
  invoicesWithTaxInvoice,
  type OtherInvoice,
  rootFinancing,
} from './report-duplicates.repository.js';
import type { ReportSubject } from './report-subject.js';

function sharing(
  others: readonly OtherInvoice[],
  what: string,
  statusIfFinanced: 'fail' | 'warn',
  statusIfNot: 'warn' | 'pass',
): Finding[] {
  const financed = others.filter((other) => other.financed).map((other) => other.invoiceId);
  const unfinanced = others.filter((other) => !other.financed).map((other) => other.invoiceId);
  const findings: Finding[] = [];
  if (financed.length > 0) {
    findings.push({
      status: statusIfFinanced,
      summary: `${what} is behind ${financed.length} other invoices that are financed already`,
      evidence: [evidence(`financed invoices with ${what}`, 'document', financed)],
    });
  }
  if (unfinanced.length > 0 && statusIfNot === 'warn') {
    findings.push({
      status: 'warn',
      summary: `${what} is behind ${unfinanced.length} other invoices`,
      evidence: [evidence(`other invoices with ${what}`, 'document', unfinanced)],
    });
  }
  return findings;
}

async function rootFindings(trx: Trx, subject: ReportSubject): Promise<Finding[]> {
  const { receivable, invoice } = subject;
  const financing = await rootFinancing(trx, receivable.rootId, invoice.id);
  const face = subject.tree.find((node) => node.id === receivable.rootId)?.faceMinor ?? 0n;
  const amount = (minor: bigint) => formatAmount(minor, receivable.currency);
  const recorded = financing.recorded?.financedMinor ?? 0n;
  const items = [
    evidence('root face', 'amount', [amount(face)]),
    evidence('financed on the root (recorded)', 'amount', [amount(recorded)]),
    evidence('disbursed financings on the root', 'financing', financing.financingIds),
    evidence('their amounts, summed', 'amount', [amount(financing.disbursedMinor)]),
  ];
  if (recorded > face || financing.disbursedMinor > face) {
    return [{ status: 'fail', summary: 'more than the root’s face is financed', evidence: items }];
  }
  return [{ status: 'pass', summary: '', evidence: items }];
}

export async function duplicatesCheck(trx: Trx, subject: ReportSubject): Promise<ReportCheck> {
  const { invoice } = subject;
  const code = invoice.body.taxInvoiceCode;
  const taxInvoice =
    typeof code === 'string'
      ? await invoicesWithTaxInvoice(trx, invoice.id, code, invoice.documentNumber)
      : [];
  const receiptIds = (subject.chain?.goodsReceipts ?? []).map((entry) => entry.document.id);
  const onReceipts = await invoicesOnReceipts(trx, invoice.id, receiptIds);
  const { fingerprint, others: sameFingerprint } = await invoicesWithFingerprint(trx, invoice.id);
  const findings: Finding[] = [
    ...sharing(taxInvoice, 'the same tax invoice', 'fail', 'warn'),
    ...sharing(onReceipts, 'the same goods receipt', 'warn', 'pass'),
    ...sharing(sameFingerprint, 'the same blinded fingerprint', 'fail', 'warn'),
    ...(await rootFindings(trx, subject)),
    {
      status: 'pass',
      summary: '',
      evidence: [
        evidence('tax invoice compared for', 'document', typeof code === 'string' ? [invoice.id] : []),
        evidence('goods receipts', 'document', receiptIds),
        evidence('blinded fingerprint', 'hash', fingerprint === null ? [] : [fingerprint]),
      ],
    },
  ];
  return checkOf(
    'duplicates',
    'no other invoice shares the tax invoice, the goods receipts or the blinded fingerprint while financed, and the root is financed within its face',
    findings,
  );
}
