/**
 * The lender's verification report as a checklist: the verdict, then every check with its status as
 * a badge that says it in words (and a mark), what the check establishes, the server's sentence and
 * the evidence behind it; the report hash the offer will record.
 */
import { useTranslation } from 'react-i18next';
import { graphql, type ResultOf } from '../../api/graphql';
import { useFormat } from '../../components/money';

export const reportQuery = graphql(`
  query VerificationReport($receivableId: UUID!) {
    verificationReport(receivableId: $receivableId) {
      __typename
      ... on VerificationReport {
        hash
        verdict
        checkpointTreeSize
        generatedAt
        receivableId
        checks { name status summary evidence { label kind values } }
      }
      ... on DomainError { code message field }
    }
  }
`);

export type Report = Extract<
  ResultOf<typeof reportQuery>['verificationReport'],
  { __typename: 'VerificationReport' }
>;

const marks = { PASS: '✓', WARN: '!', FAIL: '✗' } as const;
const tones = { PASS: 'pass', WARN: 'warn', FAIL: 'fail' } as const;
const verdictTones = { GENUINE: 'pass', SUSPICIOUS: 'warn', FAILED: 'fail' } as const;

export function ReportChecklist({ report, currency }: { report: Report; currency: string }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const evidenceValue = (kind: string, value: string) => {
    if (kind === 'AMOUNT') return format.amount(value, currency);
    if (kind === 'DATE') return format.date(value);
    return value;
  };
  return (
    <div className="report">
      <dl className="fields">
        <dt>{t('report.verdict')}</dt>
        <dd>
          <span className={`badge ${verdictTones[report.verdict]}`} data-testid="report-verdict">
            {t(`report.verdicts.${report.verdict}`)}
          </span>
        </dd>
        <dt>{t('report.hash')}</dt>
        <dd>
          <code data-testid="report-hash">{report.hash}</code>
        </dd>
        <dt>{t('report.generatedAt')}</dt>
        <dd>{format.dateTime(report.generatedAt)}</dd>
        {report.checkpointTreeSize != null && (
          <>
            <dt>{t('report.checkpoint')}</dt>
            <dd>{report.checkpointTreeSize}</dd>
          </>
        )}
      </dl>
      <h3>{t('report.checklist')}</h3>
      <ul className="checklist" aria-label={t('report.checklist')}>
        {report.checks.map((check) => (
          <li key={check.name} className={`check ${tones[check.status]}`}>
            <div className="check-head">
              <span className={`badge ${tones[check.status]}`}>
                <span aria-hidden="true">{marks[check.status]} </span>
                {t(`report.checkStatus.${check.status}`)}
              </span>
              <strong>{t(`report.checks.${check.name}`)}</strong>
              <code className="check-name">{check.name}</code>
            </div>
            <p className="check-summary">{check.summary}</p>
            <details>
              <summary>
                {t('report.evidence')} ({check.evidence.length})
              </summary>
              {check.evidence.length === 0 ? (
                <p className="help">{t('report.noEvidence')}</p>
              ) : (
                <dl className="fields evidence">
                  {check.evidence.map((item, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: evidence items are a fixed, ordered list
                    <div key={index} className="evidence-item">
                      <dt>
                        {item.label} <span className="help">({t(`report.evidenceKind.${item.kind}`)})</span>
                      </dt>
                      <dd>
                        {['HASH', 'EVENT', 'DOCUMENT', 'RECEIVABLE', 'FINANCING', 'PARTY'].includes(
                          item.kind,
                        ) ? (
                          <code className="evidence-values">{item.values.join('\n')}</code>
                        ) : (
                          <span className="evidence-values">
                            {item.values.map((value) => evidenceValue(item.kind, value)).join('\n')}
                          </span>
                        )}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
