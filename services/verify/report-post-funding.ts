/**
 * Check f (post-funding watch): the alerts raised on the receivable's financings since disbursement
 * (a cancellation, a credit note, a hold, a default on the paper behind it). The financing code
 * writes them; the report shows each with the event that raised it.
 */
import type { Trx } from '../db/transaction.js';
import { checkOf, evidence, type ReportCheck } from './report.js';
import { alertsOf } from './report-parties.repository.js';
import type { ReportSubject } from './report-subject.js';

export async function postFundingCheck(trx: Trx, subject: ReportSubject): Promise<ReportCheck> {
  const alerts = await alertsOf(trx, subject.receivable.id);
  return checkOf(
    'post_funding',
    'no alert was raised on a financing of this receivable',
    alerts.map((alert) => ({
      status: 'warn',
      summary: `${alert.kind.replaceAll('_', ' ')} after disbursement (financing ${alert.financingId})`,
      evidence: [
        evidence(`alert ${alert.kind}`, 'event', [alert.eventId]),
        evidence('on financing', 'financing', [alert.financingId]),
      ],
    })),
  );
}
