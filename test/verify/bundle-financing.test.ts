/**
 * The proof bundle of a financed receivable carries the financing: the request, the offer (which
 * names the hash of the verification report the lender relied on), the acceptance and the
 * disbursement join the invoice's fact chain, so the bundle holds them and the offline verifier
 * checks them like any other fact. The report the offer names is the one stored under that hash.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { proofBundle } from '../../services/verify/bundle.service.js';
import { verificationReportByHash } from '../../services/verify/report.service.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { accept, disburse, offer, requestFinancing } from '../financing/support.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, testLogOrigin, useTestLedger } from '../support/ledger.js';
import { check, confirmedInvoice, evidenceValues, reportFor } from './report-world.js';

const ledger = useTestLedger();
let seller: TestParty;
let lender: TestParty;
let rootId: string;
let childId: string;
let reportHash: string;

beforeAll(async () => {
  const buyer = await ledger.newParty(['core_enterprise']);
  seller = await ledger.newParty(['supplier'], { custodial: true });
  lender = await ledger.newParty(['lender'], { custodial: true });
  const trade = await confirmedInvoice(ledger, buyer, seller, {
    issueDate: addDays(todayUtc(), -10),
    dueDate: addDays(todayUtc(), 90),
  });
  rootId = trade.rootId;
  const financingId = await requestFinancing(ledger, seller, rootId, [lender], '400.00');
  reportHash = (await reportFor(ledger, lender, rootId)).hash;
  const offerId = await offer(ledger, lender, financingId, reportHash);
  await accept(ledger, seller, financingId, offerId);
  childId = await disburse(ledger, lender, financingId, '400.00');
  await anchorAll(ledger);
});

describe('the proof bundle of a financed receivable', () => {
  it('carries the financing events and the hash of the report the offer relied on, and verifies', async () => {
    const bundle = await proofBundle(ledger.ledger, ledger.logSigner, lender.actor, childId);
    if (!bundle.ok) throw new Error(`${bundle.code}: ${bundle.message}`);
    const kinds = bundle.value.events.map((event) => event.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'financing.requested',
        'financing.offered',
        'financing.offer_accepted',
        'financing.disbursed',
      ]),
    );
    const offered = bundle.value.events.find((event) => event.kind === 'financing.offered');
    expect(offered?.statement).toContain(`"reportHash":"${reportHash}"`);
    const verified = verifyBundle(JSON.parse(JSON.stringify(bundle.value)), {
      logKey: ledger.logSigner.verifierKey,
      origin: testLogOrigin,
    });
    if (!verified.valid) throw new Error(verified.failed);
    expect(verified.proven).toMatchObject({ receivableId: childId, face: '400.00' });
  });

  it('lets the lender fetch the report the offer names, and report on the part it now holds', async () => {
    const relied = await verificationReportByHash(ledger.ledger, lender.actor, reportHash);
    expect(relied.ok && relied.value.receivableId).toBe(rootId);
    const report = await reportFor(ledger, lender, childId);
    expect(check(report, 'integrity').status).toBe('pass');
    expect(check(report, 'lineage').status).toBe('pass');
    expect(check(report, 'duplicates').status).toBe('pass');
    expect(evidenceValues(report, 'duplicates')).toEqual(expect.arrayContaining(['1000.00', '400.00']));
  });
});
