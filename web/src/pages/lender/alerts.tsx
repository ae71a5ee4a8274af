/** Alerts on the lender's disbursed financings: the paper behind one changed after funding. */
import { useTranslation } from 'react-i18next';
import { graphql, type ResultOf } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { href } from '../../router';
import { StatusBadge } from '../financing/write';
import '../financing/financing.css';

const alertsQuery = graphql(`
  query LenderAlerts {
    alerts(first: 100) {
      totalCount
      edges { node { id kind eventKind eventId financingId invoiceId createdAt } }
    }
  }
`);

type Alert = ResultOf<typeof alertsQuery>['alerts']['edges'][number]['node'];

export default function AlertsPage() {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const query = useQuery(alertsQuery, {});
  const rows = query.data?.alerts.edges.map((edge) => edge.node) ?? [];
  const columns: Column<Alert>[] = [
    {
      id: 'kind',
      header: t('alerts.kind'),
      text: (row) => t(`alerts.kinds.${row.kind}`),
      cell: (row) => (
        <StatusBadge tone={row.kind === 'DEFAULTED' ? 'fail' : 'warn'}>
          {t(`alerts.kinds.${row.kind}`)}
        </StatusBadge>
      ),
      width: '1.4fr',
    },
    {
      id: 'raised',
      header: t('alerts.raisedAt'),
      text: (row) => format.dateTime(row.createdAt),
      width: '1.3fr',
    },
    { id: 'eventKind', header: t('alerts.eventKind'), text: (row) => row.eventKind, width: '1.2fr' },
    {
      id: 'financing',
      header: t('alerts.financing'),
      text: (row) => row.financingId,
      cell: (row) => <a href={href('requests', row.financingId)}>{row.financingId}</a>,
      width: '2fr',
    },
    { id: 'event', header: t('alerts.event'), text: (row) => row.eventId, width: '2fr' },
  ];
  return (
    <>
      <h1>{t('alerts.title')}</h1>
      <p className="help">{t('alerts.intro')}</p>
      {query.error && <PageState error={query.error} reload={query.reload} />}
      {query.data && rows.length === 0 ? (
        <section aria-label={t('alerts.list')} className="card empty-list">
          <p className="page-state">{t('alerts.none')}</p>
        </section>
      ) : (
        <DataTable
          label={t('alerts.list')}
          rows={rows}
          columns={columns}
          rowKey={(row) => row.id}
          exportName="financing-alerts"
          loading={query.loading}
          visibleRows={10}
        />
      )}
    </>
  );
}
