/**
 * Who reads the report as a financing moves on: every lender asked while the request is open; once
 * an offer is accepted, the accepted lender alone (the others are out of the deal); the financing
 * lender for good after it disburses. The same rule as for the receivable itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { findVisibleReceivable } from '../../services/receivables/receivable-query.service.js';
import { verificationReport } from '../../services/verify/report.service.js';
import { accept, disburse, offer, requestFinancing } from '../financing/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirmedInvoice, reportFor } from './report-world.js';

const ledger = useTestLedger();
let seller: TestParty;
let chosen: TestParty;
let other: TestParty;
let rootId: string;
let financingId: string;

async function reads(lender: TestParty): Promise<{ report: boolean; receivable: boolean }> {
  const report = await verificationReport(ledger.ledger, lender.actor, rootId);
  const receivable = await findVisibleReceivable(ledger.ledger, lender.actor, rootId);
  if (!report.ok) expect(report.code).toBe('receivable_not_found');
  return { report: report.ok, receivable: receivable.ok };
}

beforeAll(async () => {
  const buyer = await ledger.newParty(['core_enterprise']);
  seller = await ledger.newParty(['supplier'], { custodial: true });
  chosen = await ledger.newParty(['lender'], { custodial: true });
  other = await ledger.newParty(['lender'], { custodial: true });
  const trade = await confirmedInvoice(ledger, buyer, seller, {
    issueDate: addDays(todayUtc(), -10),
    dueDate: addDays(todayUtc(), 90),
  });
  rootId = trade.rootId;
  financingId = await requestFinancing(ledger, seller, rootId, [chosen, other], '400.00');
});

describe('reading the report of a receivable under financing', () => {
  it('lets every lender asked read it while the request is open', async () => {
    expect(await reads(chosen)).toEqual({ report: true, receivable: true });
    expect(await reads(other)).toEqual({ report: true, receivable: true });
  });

  it('leaves the accepted lender alone reading it once an offer is accepted, and for good once it disburses', async () => {
    const offerId = await offer(ledger, chosen, financingId, (await reportFor(ledger, chosen, rootId)).hash);
    await accept(ledger, seller, financingId, offerId);
    expect(await reads(chosen)).toEqual({ report: true, receivable: true });
    expect(await reads(other)).toEqual({ report: false, receivable: false });
    await disburse(ledger, chosen, financingId, '400.00');
    expect(await reads(chosen)).toEqual({ report: true, receivable: true });
    expect(await reads(other)).toEqual({ report: false, receivable: false });
  });
});
