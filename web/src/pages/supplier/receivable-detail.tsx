/** One receivable: its numbers, where it came from and where its parts went, and passing part of it on. */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isDomainError, request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { BundleDownload } from '../../components/bundle-download';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { href } from '../../router';
import { useSession } from '../../session/session';
import { TransferForm } from './transfer-form';

const lineageQuery = graphql(`
  query ReceivableLineage($id: UUID!) {
    receivableLineage(id: $id) {
      __typename
      ... on DomainError { code message }
      ... on ReceivableLineage {
        receivable { ...LineageFields transferred settled credited onHold financing { id status }
          invoiceSummary { issueDate total seller { legalName } buyer { legalName } } }
        ancestors { ...LineageFields }
        descendants { ...LineageFields }
      }
    }
  }
  fragment LineageFields on Receivable {
    id parentId tier face outstanding currency dueDate status holder { id legalName } obligor { id legalName }
  }
`);

type Answer = ResultOf<typeof lineageQuery>['receivableLineage'];
export type Lineage = Extract<Answer, { __typename: 'ReceivableLineage' }>;

export function ReceivableDetail({ receivableId }: { receivableId: string }) {
  const { t } = useTranslation(['supplier', 'common']);
  const format = useFormat();
  const { party } = useSession();
  const lineage = useLoader(async () => {
    const answer = (await request(lineageQuery, { id: receivableId })).receivableLineage;
    if (isDomainError(answer)) throw new Error(answer.message);
    return answer as Lineage;
  }, receivableId);
  const [transferring, setTransferring] = useState(false);
  if (!lineage.value) return <PageState error={lineage.error} reload={lineage.reload} />;
  const { receivable, ancestors, descendants } = lineage.value;
  const parts = [...ancestors, receivable, ...descendants].sort((a, b) => a.tier - b.tier);
  const mine = receivable.holder.id === party.id;
  const amount = (value: string) => format.amount(value, receivable.currency);
  return (
    <>
      <p>
        <a href={href('receivables')}>← {t('detail.back')}</a>
      </p>
      <h1>{t('detail.title', { obligor: receivable.obligor.legalName })}</h1>
      <p className="help">
        {t('detail.issuedBy', {
          seller: receivable.invoiceSummary.seller.legalName,
          buyer: receivable.invoiceSummary.buyer.legalName,
          date: format.date(receivable.invoiceSummary.issueDate),
        })}
      </p>
      <div className="card">
        <dl className="fields">
          <dt>{t('common:common.status')}</dt>
          <dd>
            {t(`common:status.${receivable.status as 'OPEN'}`)}
            {receivable.onHold ? ` · ${t('detail.onHold')}` : ''}
            {receivable.financing ? ` · ${t('detail.financing')}` : ''}
          </dd>
          <dt>{t('common:common.tier')}</dt>
          <dd>{receivable.tier}</dd>
          <dt>{t('common:common.dueDate')}</dt>
          <dd>{format.date(receivable.dueDate)}</dd>
          <dt>{t('receivables.face')}</dt>
          <dd>{amount(receivable.face)}</dd>
          <dt>{t('detail.transferred')}</dt>
          <dd>{amount(receivable.transferred)}</dd>
          <dt>{t('detail.settled')}</dt>
          <dd>{amount(receivable.settled)}</dd>
          <dt>{t('detail.credited')}</dt>
          <dd>{amount(receivable.credited)}</dd>
          <dt>{t('receivables.outstanding')}</dt>
          <dd>
            <strong>{amount(receivable.outstanding)}</strong>
          </dd>
        </dl>
        {mine && (
          <div className="actions">
            <button type="button" onClick={() => setTransferring(true)} disabled={transferring}>
              {t('transfer.title')}
            </button>
            <a href={href('financing', 'new', receivable.id)}>{t('detail.requestFinancing')}</a>
          </div>
        )}
        <div className="actions">
          <BundleDownload receivableId={receivable.id} />
        </div>
      </div>
      {transferring && (
        <TransferForm
          receivable={receivable}
          onRecorded={lineage.reload}
          onClose={() => setTransferring(false)}
        />
      )}
      <section aria-labelledby="lineage-title">
        <h2 id="lineage-title">{t('detail.lineage')}</h2>
        <LineagePicture receivableId={receivable.id} />
        <table className="plain">
          <caption className="visually-hidden">{t('detail.lineageTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common:common.tier')}</th>
              <th scope="col">{t('common:common.holder')}</th>
              <th scope="col" className="num">
                {t('receivables.face')}
              </th>
              <th scope="col" className="num">
                {t('receivables.outstanding')}
              </th>
              <th scope="col">{t('common:common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((part) => (
              <tr key={part.id} aria-current={part.id === receivable.id ? 'true' : undefined}>
                <td>{part.tier}</td>
                <td>
                  {part.holder.legalName}
                  {part.id === receivable.id ? ` (${t('detail.thisOne')})` : ''}
                </td>
                <td className="num">{amount(part.face)}</td>
                <td className="num">{amount(part.outstanding)}</td>
                <td>{t(`common:status.${part.status as 'OPEN'}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

const LineageChart = lazy(() =>
  import('../../charts/lineage-chart').then((module) => ({ default: module.LineageChart })),
);

function LineagePicture({ receivableId }: { receivableId: string }) {
  return (
    <Suspense fallback={<div className="chart" />}>
      <LineageChart receivableId={receivableId} />
    </Suspense>
  );
}
