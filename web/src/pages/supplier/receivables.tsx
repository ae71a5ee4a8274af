/**
 * The SME's receivables: everything it holds, filtered on the server (status, currency, obligor, due
 * dates), so that what is shown, counted and exported is the same list. A row opens the receivable.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages, pageOf } from '../../api/all-pages';
import { request } from '../../api/client';
import { graphql, type VariablesOf } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { href } from '../../router';
import { useSession } from '../../session/session';
import { ReceivableDetail } from './receivable-detail';

const heldQuery = graphql(`
  query HeldReceivables(
    $after: String
    $status: ReceivableStatus
    $currency: CurrencyCode
    $counterpartyId: UUID
    $dueFrom: Date
    $dueTo: Date
  ) {
    receivables(
      side: HOLDER
      first: 100
      after: $after
      status: $status
      currency: $currency
      counterpartyId: $counterpartyId
      dueFrom: $dueFrom
      dueTo: $dueTo
      orderBy: { field: DUE_DATE }
    ) {
      totalCount
      edges { node { id tier face outstanding currency dueDate status onHold obligor { id legalName } invoiceSummary { seller { legalName } } } }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

type Filters = Omit<VariablesOf<typeof heldQuery>, 'after'>;
const statuses = ['OPEN', 'OVERDUE', 'PARTIALLY_SETTLED', 'SETTLED', 'DEFAULTED', 'CANCELLED'] as const;

type Row = {
  id: string;
  tier: number;
  face: string;
  outstanding: string;
  currency: string;
  dueDate: string;
  status: string;
  onHold: boolean;
  obligor: { id: string; legalName: string };
  invoiceSummary: { seller: { legalName: string } };
};

export default function Receivables({ path }: { path: string[] }) {
  if (path[0]) return <ReceivableDetail receivableId={path[0]} />;
  return <ReceivableList />;
}

function ReceivableList() {
  const { t } = useTranslation(['supplier', 'common']);
  const format = useFormat();
  const { party } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [loaded, setLoaded] = useState(0);
  const held = useLoader(
    () =>
      allPages(
        async (after) => pageOf((await request(heldQuery, { ...filters, after })).receivables),
        setLoaded,
      ),
    `${party.id} ${JSON.stringify(filters)}`,
  );
  // Obligors and currencies to filter by, from the unfiltered list (kept once loaded).
  const [choices, setChoices] = useState<{ obligors: Map<string, string>; currencies: Set<string> } | null>(
    null,
  );
  const rows: Row[] = held.value ?? [];
  if (choices === null && held.value && Object.keys(filters).length === 0) {
    setChoices({
      obligors: new Map(rows.map((row) => [row.obligor.id, row.obligor.legalName])),
      currencies: new Set(rows.map((row) => row.currency)),
    });
  }
  const set = (name: keyof Filters, value: string) =>
    setFilters((previous) => {
      const next = { ...previous };
      if (value === '') delete next[name];
      else (next as Record<string, string>)[name] = value;
      return next;
    });

  const columns: Column<Row>[] = [
    {
      id: 'obligor',
      header: t('common:common.obligor'),
      text: (row) => row.obligor.legalName,
      cell: (row) => <a href={href('receivables', row.id)}>{row.obligor.legalName}</a>,
      width: 'minmax(0, 2fr)',
    },
    {
      id: 'seller',
      header: t('receivables.invoice'),
      text: (row) => row.invoiceSummary.seller.legalName,
      width: 'minmax(0, 2fr)',
    },
    {
      id: 'tier',
      header: t('common:common.tier'),
      text: (row) => String(row.tier),
      width: '4rem',
      numeric: true,
    },
    { id: 'due', header: t('common:common.dueDate'), text: (row) => format.date(row.dueDate) },
    {
      id: 'status',
      header: t('common:common.status'),
      text: (row) =>
        `${t(`common:status.${row.status as 'OPEN'}`)}${row.onHold ? ` · ${t('detail.onHold')}` : ''}`,
    },
    {
      id: 'face',
      header: t('receivables.face'),
      text: (row) => format.amount(row.face, row.currency),
      numeric: true,
    },
    {
      id: 'outstanding',
      header: t('receivables.outstanding'),
      text: (row) => format.amount(row.outstanding, row.currency),
      numeric: true,
    },
  ];

  return (
    <>
      <h1>{t('receivables.title')}</h1>
      <p className="help">{t('receivables.help')}</p>
      <fieldset className="toolbar">
        <legend className="visually-hidden">{t('receivables.filters')}</legend>
        <div>
          <label htmlFor="filter-status">{t('common:common.status')}</label>
          <select
            id="filter-status"
            value={filters.status ?? ''}
            onChange={(event) => set('status', event.target.value)}
          >
            <option value="">{t('receivables.anyStatus')}</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {t(`common:status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-obligor">{t('common:common.obligor')}</label>
          <select
            id="filter-obligor"
            value={filters.counterpartyId ?? ''}
            onChange={(event) => set('counterpartyId', event.target.value)}
          >
            <option value="">{t('receivables.anyObligor')}</option>
            {[...(choices?.obligors ?? [])].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-currency">{t('common:common.currency')}</label>
          <select
            id="filter-currency"
            value={filters.currency ?? ''}
            onChange={(event) => set('currency', event.target.value)}
          >
            <option value="">{t('receivables.anyCurrency')}</option>
            {[...(choices?.currencies ?? [])].map((currency) => (
              <option key={currency}>{currency}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-due-from">{t('receivables.dueFrom')}</label>
          <input
            id="filter-due-from"
            type="date"
            value={filters.dueFrom ?? ''}
            onChange={(event) => set('dueFrom', event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="filter-due-to">{t('receivables.dueTo')}</label>
          <input
            id="filter-due-to"
            type="date"
            value={filters.dueTo ?? ''}
            onChange={(event) => set('dueTo', event.target.value)}
          />
        </div>
      </fieldset>
      {held.error ? (
        <PageState error={held.error} reload={held.reload} />
      ) : (
        <DataTable
          label={t('receivables.list')}
          rows={rows}
          columns={columns}
          rowKey={(row) => row.id}
          loading={held.loading}
          exportName="receivables"
        />
      )}
      {held.loading && loaded > 0 && <p className="help">{t('receivables.loading', { count: loaded })}</p>}
    </>
  );
}
