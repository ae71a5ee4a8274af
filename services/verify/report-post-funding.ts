/**
 * Check f (post-funding watch): the alerts raised on the receivable's financings since disbursement
 * (a cancellation, a credit note, a hold, a default on the paper behind it). The financing code
 * writes them; the report shows each with the event that raised it. A pass still names what was
 * watched (the disbursed financings) and how many alerts were found, so that every check has evidence.
 */
import type { Trx } from '../db/transaction.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import { alertsOf, disbursedFinancingsOf } from './report-parties.repository.js';
import type { ReportSubject } from './report-subject.js';

export async function postFundingCheck(trx: Trx, subject: ReportSubject): Promise<ReportCheck> {
  const alerts = await alertsOf(trx, subject.receivable.id);
  const watched = await disbursedFinancingsOf(trx, subject.receivable.id);
  const scope: Finding = {
    status: 'pass',
    summary: 'watched for alerts',
    evidence: [
      ...(watched.length === 0 ? [] : [evidence('disbursed financings watched', 'financing', watched)]),
      evidence('alerts raised after disbursement', 'number', [alerts.length]),
    ],
  };
  return checkOf('post_funding', 'no alert was raised on a financing of this receivable', [
    scope,
    ...alerts.map(
      (alert): Finding => ({
        status: 'warn',
        summary: `${alert.kind.replaceAll('_', ' ')} after disbursement (financing ${alert.financingId})`,
        evidence: [
          evidence(`alert ${alert.kind}`, 'event', [alert.eventId]),
          evidence('on financing', 'financing', [alert.financingId]),
        ],
      }),
    ),
  ]);
}
