/**
 * The demo's financing: a lender sets a credit limit on the core enterprise's group; a tier-2
 * supplier asks it to finance its receivable; the lender reads the verification report and offers;
 * the supplier accepts; the lender disburses and from then on holds the financed part.
 */
import { randomUUID } from 'node:crypto';
import type { DemoParty } from './demo-data.js';

/** What the demo's main script lends this step: its submit, its lookup, its log and its run id. */
export interface FinancingDemoSteps {
  submit(
    party: DemoParty,
    mutation: string,
    input: string,
    fields: Record<string, unknown>,
  ): Promise<unknown>;
  heldReceivable(party: DemoParty, invoiceId: string): Promise<{ id: string; outstanding: string }>;
  log(line: string): void;
  run: string;
}

interface ReportSummary {
  hash: string;
  verdict: string;
  checks: { name: string; status: string }[];
}

/**
 * The lender's view before it pays: the report's verdict and each check's status. Events recorded a
 * moment ago are not in a checkpoint yet (INTEGRITY warns until the log anchors them, about a
 * second), so the lender asks again until they are, as a careful lender would.
 */
async function readReport(lender: DemoParty, receivableId: string): Promise<ReportSummary> {
  for (let attempt = 1; ; attempt++) {
    const report = await reportOnce(lender, receivableId);
    const integrity = report.checks.find((check) => check.name === 'INTEGRITY');
    if (integrity?.status !== 'WARN' || attempt === 30) return report;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function reportOnce(lender: DemoParty, receivableId: string): Promise<ReportSummary> {
  const data = await lender.client.request<{
    verificationReport: ReportSummary & { __typename: string; message?: string };
  }>(
    `query($id: UUID!) { verificationReport(receivableId: $id) { __typename
      ... on VerificationReport { hash verdict checks { name status } } ... on DomainError { message } } }`,
    { id: receivableId },
  );
  const report = data.verificationReport;
  if (report.__typename !== 'VerificationReport') throw new Error(`verification report: ${report.message}`);
  return report;
}

export async function financeDemo(
  steps: FinancingDemoSteps,
  parties: { holder: DemoParty; lender: DemoParty; core: DemoParty },
  invoiceId: string,
): Promise<void> {
  const { submit, heldReceivable, log, run } = steps;
  const { holder, lender, core } = parties;
  const receivable = await heldReceivable(holder, invoiceId);
  await submit(lender, 'prepareCreditLimit', 'CreditLimitInput', {
    scope: 'GROUP',
    subjectPartyId: core.id,
    currency: 'CNY',
    limit: '5000000.00',
  });
  log(`  ${lender.name} set a credit limit of CNY 5000000.00 on ${core.name}'s group`);
  const financingId = randomUUID();
  await submit(holder, 'prepareFinancingRequest', 'FinancingRequestInput', {
    financingId,
    receivableId: receivable.id,
    amount: receivable.outstanding,
    lenderPartyIds: [lender.id],
  });
  log(
    `  ${holder.name} asked ${lender.name} to finance CNY ${receivable.outstanding} (financing ${financingId})`,
  );
  const report = await readReport(lender, receivable.id);
  const statuses = report.checks.map((check) => `${check.name} ${check.status}`).join(', ');
  log(`  ${lender.name} read the verification report: ${report.verdict} (${statuses})`);
  const offerId = randomUUID();
  await submit(lender, 'prepareFinancingOffer', 'FinancingOfferInput', {
    financingId,
    offerId,
    rate: '0.045',
    dayCount: 'ACT_360',
    fee: '50.00',
    advanceDate: new Date().toISOString().slice(0, 10),
    reportHash: report.hash,
  });
  const terms = await holder.client.request<{
    financing: { offers: { id: string; discount: string; advance: string; days: number }[] };
  }>(
    `query($id: UUID!) { financing(id: $id) { ... on Financing { offers { id discount advance days } } } }`,
    { id: financingId },
  );
  const offer = terms.financing.offers.find((each) => each.id === offerId);
  log(
    `  ${lender.name} offered 4.5% a year (ACT/360) and a CNY 50.00 fee: ${offer?.days} days, discount CNY ${offer?.discount}, advance CNY ${offer?.advance}`,
  );
  await submit(holder, 'prepareOfferAcceptance', 'OfferAcceptanceInput', { financingId, offerId });
  log(`  ${holder.name} accepted the offer`);
  await submit(lender, 'prepareDisbursement', 'DisbursementInput', {
    financingId,
    amount: receivable.outstanding,
    paymentReference: `JN${run}0001`,
  });
  log(`  ${lender.name} disbursed CNY ${offer?.advance} and now holds the financed part, paid at maturity`);
}

/** A request the holder leaves open with the lender, no offer yet: work for the lender's console. */
export async function openFinancingRequest(
  steps: FinancingDemoSteps,
  parties: { holder: DemoParty; lender: DemoParty },
  invoiceId: string,
): Promise<void> {
  const { holder, lender } = parties;
  const asked = await steps.heldReceivable(holder, invoiceId);
  await steps.submit(holder, 'prepareFinancingRequest', 'FinancingRequestInput', {
    financingId: randomUUID(),
    receivableId: asked.id,
    amount: asked.outstanding,
    lenderPartyIds: [lender.id],
  });
  steps.log(`  ${holder.name} asked ${lender.name} to finance CNY ${asked.outstanding}: open, no offer yet`);
}
