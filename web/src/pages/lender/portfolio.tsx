/**
 * The lender's portfolio: what it holds through financing per obligor and per ownership group, each
 * limit with what is utilised as a bar (plain CSS; the figures are beside it in words), breaches,
 * and the Herfindahl index of each currency's portfolio. Tables export as CSV or Excel.
 */
import { useTranslation } from 'react-i18next';
import { graphql, type ResultOf } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { formatNumber } from '../../format/format';
import { basisPointsToPercent, utilisationBasisPoints } from '../financing/terms';
import { StatusBadge } from '../financing/write';
import '../financing/financing.css';

const portfolioQuery = graphql(`
  query LenderPortfolio {
    lenderExposure {
      __typename
      ... on LenderExposure {
        asOf
        lender { id legalName }
        breaches { scope currency limit utilised breached subject { id legalName } }
        limits { scope currency limit utilised breached subject { id legalName } }
        portfolios {
          currency
          total
          herfindahlBasisPoints
          obligors(first: 100) {
            totalCount
            edges { node { outstanding shareBasisPoints party { id legalName } } }
          }
          groups(first: 100) {
            totalCount
            edges { node { outstanding shareBasisPoints party { id legalName } } }
          }
        }
      }
      ... on DomainError { code message field }
    }
    creditLimits {
      __typename
      ... on CreditLimits {
        limits { scope currency limit utilised available updatedAt subject { id legalName } }
      }
      ... on DomainError { code message field }
    }
  }
`);

type Result = ResultOf<typeof portfolioQuery>;
type Exposure = Extract<Result['lenderExposure'], { __typename: 'LenderExposure' }>;
type Portfolio = Exposure['portfolios'][number];
type Concentration = Portfolio['obligors']['edges'][number]['node'];
type Limit = Extract<Result['creditLimits'], { __typename: 'CreditLimits' }>['limits'][number];

export default function PortfolioPage() {
  const { t } = useTranslation('financing');
  const query = useQuery(portfolioQuery, {});
  const exposure = query.data?.lenderExposure;
  const limits = query.data?.creditLimits;
  return (
    <>
      <h1>{t('portfolio.title')}</h1>
      <p className="help">{t('portfolio.intro')}</p>
      {!query.data && <PageState error={query.error} reload={query.reload} />}
      {exposure?.__typename === 'DomainError' && (
        <p role="alert" className="error">
          {exposure.message}
        </p>
      )}
      {limits?.__typename === 'DomainError' && (
        <p role="alert" className="error">
          {limits.message}
        </p>
      )}
      {query.data && (
        <LimitsSection
          limits={limits?.__typename === 'CreditLimits' ? limits.limits : []}
          breaches={exposure?.__typename === 'LenderExposure' ? exposure.breaches.length : 0}
        />
      )}
      {exposure?.__typename === 'LenderExposure' &&
        (exposure.portfolios.length === 0 ? (
          <p className="page-state">{t('portfolio.empty')}</p>
        ) : (
          exposure.portfolios.map((portfolio) => (
            <PortfolioSection key={portfolio.currency} portfolio={portfolio} limits={exposure.limits} />
          ))
        ))}
    </>
  );
}

function UtilisationBar({ utilised, limit }: { utilised: string; limit: string }) {
  const basisPoints = utilisationBasisPoints(utilised, limit);
  const width = Math.min(basisPoints, 10_000) / 100;
  return (
    <div className={`bar${basisPoints > 10_000 ? ' breached' : ''}`} aria-hidden="true">
      <div className="bar-fill" style={{ width: `${width}%`, minWidth: basisPoints > 0 ? '2px' : 0 }} />
    </div>
  );
}

function LimitsSection({ limits, breaches }: { limits: readonly Limit[]; breaches: number }) {
  const { t, i18n } = useTranslation('financing');
  const format = useFormat();
  const percentOf = (limit: Limit) =>
    basisPointsToPercent(utilisationBasisPoints(limit.utilised, limit.limit));
  const breached = (limit: Limit) => utilisationBasisPoints(limit.utilised, limit.limit) > 10_000;
  const columns: Column<Limit>[] = [
    { id: 'scope', header: t('portfolio.scope'), text: (row) => t(`scope.${row.scope}`), width: '0.8fr' },
    { id: 'subject', header: t('portfolio.subject'), text: (row) => row.subject.legalName, width: '2fr' },
    {
      id: 'limit',
      header: t('portfolio.limit'),
      text: (row) => format.amount(row.limit, row.currency),
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'utilised',
      header: t('portfolio.utilised'),
      text: (row) => format.amount(row.utilised, row.currency),
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'available',
      header: t('portfolio.available'),
      text: (row) => format.amount(row.available, row.currency),
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'used',
      header: t('portfolio.usedShare'),
      text: (row) => `${percentOf(row)} %`,
      numeric: true,
      width: '0.8fr',
    },
    {
      id: 'breached',
      header: t('portfolio.breaches'),
      text: (row) => (breached(row) ? t('portfolio.breached') : t('portfolio.withinLimit')),
      cell: (row) =>
        breached(row) ? (
          <StatusBadge tone="fail">{t('portfolio.breached')}</StatusBadge>
        ) : (
          <StatusBadge tone="pass">{t('portfolio.withinLimit')}</StatusBadge>
        ),
      width: '1fr',
    },
  ];
  return (
    <section className="card" aria-labelledby="limits-title">
      <h2 id="limits-title">{t('portfolio.limits')}</h2>
      <p className={breaches > 0 ? 'error' : 'help'} data-testid="breaches">
        {breaches > 0 ? t('portfolio.breachCount', { count: breaches }) : t('portfolio.noBreaches')}
      </p>
      {limits.length === 0 ? (
        <p className="help">{t('portfolio.noLimits')}</p>
      ) : (
        <>
          <ul className="limit-list" aria-label={t('portfolio.limits')}>
            {limits.map((limit) => (
              <li key={`${limit.scope}:${limit.subject.id}:${limit.currency}`}>
                <span>
                  <StatusBadge tone="neutral">{t(`scope.${limit.scope}`)}</StatusBadge>{' '}
                  {limit.subject.legalName}
                </span>
                <UtilisationBar utilised={limit.utilised} limit={limit.limit} />
                <span className="num" data-testid="limit-utilisation">
                  {t('portfolio.utilisation', {
                    utilised: format.amount(limit.utilised, limit.currency),
                    limit: format.amount(limit.limit, limit.currency),
                    percent: formatPercent(percentOf(limit), i18n.language),
                  })}
                </span>
              </li>
            ))}
          </ul>
          <DataTable
            label={t('portfolio.limitsTable')}
            rows={limits}
            columns={columns}
            rowKey={(row) => `${row.scope}:${row.subject.id}:${row.currency}`}
            exportName="credit-limits"
            visibleRows={Math.min(Math.max(limits.length, 2), 8)}
          />
        </>
      )}
    </section>
  );
}

function formatPercent(percent: string, language: string): string {
  return formatNumber(percent, language);
}

type ExposureLimit = Exposure['limits'][number];

function PortfolioSection({ portfolio, limits }: { portfolio: Portfolio; limits: readonly ExposureLimit[] }) {
  const { t, i18n } = useTranslation('financing');
  const format = useFormat();
  const currency = portfolio.currency;
  const limitOf = (scope: 'OBLIGOR' | 'GROUP', row: Concentration) =>
    limits.find(
      (limit) => limit.scope === scope && limit.subject.id === row.party.id && limit.currency === currency,
    ) ?? null;
  const columnsFor = (scope: 'OBLIGOR' | 'GROUP'): Column<Concentration>[] => [
    { id: 'party', header: t('portfolio.party'), text: (row) => row.party.legalName, width: '2.4fr' },
    {
      id: 'outstanding',
      header: t('field.outstanding'),
      text: (row) => format.amount(row.outstanding, currency),
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'share',
      header: t('portfolio.share'),
      text: (row) => `${basisPointsToPercent(row.shareBasisPoints)} %`,
      cell: (row) => (
        <span className="share-cell">
          <UtilisationBar utilised={String(row.shareBasisPoints)} limit="10000" />
          <span>{basisPointsToPercent(row.shareBasisPoints)} %</span>
        </span>
      ),
      numeric: true,
      width: '2fr',
    },
    {
      id: 'limit',
      header: t('portfolio.limit'),
      text: (row) => {
        const limit = limitOf(scope, row);
        return limit ? format.amount(limit.limit, currency) : '—';
      },
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'utilised',
      header: t('portfolio.utilised'),
      text: (row) => {
        const limit = limitOf(scope, row);
        return limit ? format.amount(limit.utilised, currency) : '—';
      },
      numeric: true,
      width: '1.4fr',
    },
    {
      id: 'breached',
      header: t('portfolio.breaches'),
      text: (row) => {
        const limit = limitOf(scope, row);
        if (!limit) return '—';
        return limit.breached ? t('portfolio.breached') : t('portfolio.withinLimit');
      },
      cell: (row) => {
        const limit = limitOf(scope, row);
        if (!limit) return '—';
        return limit.breached ? (
          <StatusBadge tone="fail">{t('portfolio.breached')}</StatusBadge>
        ) : (
          <StatusBadge tone="pass">{t('portfolio.withinLimit')}</StatusBadge>
        );
      },
      width: '1fr',
    },
  ];
  const obligors = portfolio.obligors.edges.map((edge) => edge.node);
  const groups = portfolio.groups.edges.map((edge) => edge.node);
  const headingId = `portfolio-${currency}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('portfolio.currency', { currency })}</h2>
      <div className="figures">
        <div>
          <span className="help">{t('portfolio.total')}</span>
          <span className="value" data-testid="portfolio-total">
            {format.amount(portfolio.total, currency)}
          </span>
        </div>
        <div>
          <span className="help">{t('portfolio.herfindahl')}</span>
          <span className="value" data-testid="herfindahl">
            {t('portfolio.herfindahlValue', {
              value: formatNumber(portfolio.herfindahlBasisPoints, i18n.language),
            })}
          </span>
        </div>
      </div>
      <p className="help">{t('portfolio.herfindahlHelp')}</p>
      <h3>{t('portfolio.obligors')}</h3>
      <DataTable
        label={`${t('portfolio.obligors')} (${currency})`}
        rows={obligors}
        columns={columnsFor('OBLIGOR')}
        rowKey={(row) => row.party.id}
        exportName={`portfolio-obligors-${currency}`}
        visibleRows={Math.min(Math.max(obligors.length, 2), 8)}
      />
      <h3>{t('portfolio.groups')}</h3>
      <DataTable
        label={`${t('portfolio.groups')} (${currency})`}
        rows={groups}
        columns={columnsFor('GROUP')}
        rowKey={(row) => row.party.id}
        exportName={`portfolio-groups-${currency}`}
        visibleRows={Math.min(Math.max(groups.length, 2), 8)}
      />
    </section>
  );
}
