/**
 * "#/lineage/<receivableId>": the lineage picture of one receivable on a page of its own. Hidden from
 * the navigation (it is reached by its address, e.g. from a receivable's detail); the ledger decides
 * who may see the receivable.
 */
import { useTranslation } from 'react-i18next';
import { LineageChart } from '../../charts/lineage-chart';

export default function LineagePage({ path }: { path: string[] }) {
  const { t } = useTranslation('lineage');
  const receivableId = path[0];
  return (
    <div>
      <h1>{t('title')}</h1>
      {receivableId ? (
        <section className="card">
          <LineageChart receivableId={receivableId} />
        </section>
      ) : (
        <p className="page-state">{t('missing')}</p>
      )}
      <p>
        <button type="button" className="secondary" onClick={() => window.history.back()}>
          {t('back')}
        </button>
      </p>
    </div>
  );
}
