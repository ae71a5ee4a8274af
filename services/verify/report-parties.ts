/**
 * Check e, in two parts. Circular trade: confirmed invoices that run in a cycle through this one
 * (A sells to B, B to C, C to A) within 90 days and with amounts within 20% of each other, the shape
 * of goods (or paper) going round to make receivables out of nothing; it warns, since reciprocal
 * trade exists and the lender must judge. Related parties: buyer and seller of the invoice in one
 * ownership group (a parent and its subsidiaries, through party.parent_party_id), or a lender the
 * receivable was put to in the holder's group; it warns too.
 */
import type { Trx } from '../db/transaction.js';
import { formatAmount } from '../money/money.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import { cycleInvoicesMax, findCycles, ownershipGroups } from './report-parties.repository.js';
import type { ReportSubject } from './report-subject.js';

export const circularWindowDays = 90;

export async function circularTradeCheck(trx: Trx, subject: ReportSubject): Promise<ReportCheck> {
  const { invoice } = subject;
  const passed = `no cycle of up to ${cycleInvoicesMax} confirmed invoices runs through this one within ${circularWindowDays} days with amounts within 20% of each other`;
  if (invoice.totalMinor === null) return checkOf('circular_trade', passed, []);
  const cycles = await findCycles(trx, {
    invoiceId: invoice.id,
    sellerPartyId: invoice.sellerPartyId,
    buyerPartyId: invoice.buyerPartyId,
    currency: invoice.currency,
    totalMinor: invoice.totalMinor,
    issueDate: invoice.documentDate,
    windowDays: circularWindowDays,
  });
  const findings: Finding[] = cycles.map((cycle) => ({
    status: 'warn',
    summary: `a cycle of ${cycle.invoiceIds.length} confirmed invoices runs through this one among ${cycle.partyIds.length} parties`,
    evidence: [
      evidence('invoices of the cycle, in trade order', 'document', cycle.invoiceIds),
      evidence('sellers in turn', 'party', cycle.partyIds),
    ],
  }));
  findings.push({
    status: 'pass',
    summary: '',
    evidence: [
      evidence('searched from', 'party', [invoice.sellerPartyId, invoice.buyerPartyId]),
      evidence('invoice amount', 'amount', [formatAmount(invoice.totalMinor, invoice.currency)]),
      evidence('invoice date', 'date', [invoice.documentDate]),
    ],
  });
  return checkOf('circular_trade', passed, findings);
}

export async function relatedPartiesCheck(
  trx: Trx,
  subject: ReportSubject,
  lenders: readonly string[],
): Promise<ReportCheck> {
  const { invoice, receivable } = subject;
  const holder = receivable.holderPartyId;
  const groups = await ownershipGroups(trx, [
    invoice.buyerPartyId,
    invoice.sellerPartyId,
    holder,
    ...lenders,
  ]);
  const group = (partyId: string) => groups.get(partyId) ?? partyId;
  const findings: Finding[] = [];
  if (group(invoice.buyerPartyId) === group(invoice.sellerPartyId)) {
    findings.push({
      status: 'warn',
      summary: 'buyer and seller of the invoice belong to one ownership group',
      evidence: [
        evidence('buyer, seller', 'party', [invoice.buyerPartyId, invoice.sellerPartyId]),
        evidence('their group', 'party', [group(invoice.buyerPartyId)]),
      ],
    });
  }
  for (const lender of lenders) {
    if (lender !== holder && group(lender) === group(holder)) {
      findings.push({
        status: 'warn',
        summary: `lender ${lender} belongs to the holder's ownership group`,
        evidence: [
          evidence('lender, holder', 'party', [lender, holder]),
          evidence('their group', 'party', [group(holder)]),
        ],
      });
    }
  }
  findings.push({
    status: 'pass',
    summary: '',
    evidence: [
      evidence('buyer, seller, holder', 'party', [invoice.buyerPartyId, invoice.sellerPartyId, holder]),
      evidence('lenders put to', 'party', lenders),
    ],
  });
  return checkOf(
    'related_parties',
    "buyer and seller are of different ownership groups, and no lender put to is of the holder's",
    findings,
  );
}
