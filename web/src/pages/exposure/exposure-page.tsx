/**
 * Exposure: choose a party (yourself; lenders, auditors and administrators any party), a direction,
 * a depth, a currency and optionally a past instant; see the claim graph as a picture (depth 0 on
 * the left, line width by amount) and beside it the numbers, per party and per depth, exportable.
 * The stress test on the same screen defaults the chosen party with a loss given default and colours
 * the same picture by each party's loss share (the shares and losses are in the table too).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ExposureChart,
  type ExposureEdge,
  type ExposureNode,
  type StressMark,
} from '../../charts/exposure-chart';
import { lossBand, lossBands, parseLgd, ratioPercent } from '../../charts/exposure-layout';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { formatAmount } from '../../format/format';
import { useSession } from '../../session/session';
import {
  type DirectoryParty,
  type DomainFailure,
  type ExposurePartyRow,
  type ExposureValue,
  type ExposureVariables,
  loadDirectory,
  loadExposure,
  loadStress,
  type StressedRow,
  type StressValue,
  type StressVariables,
} from './queries';

const currencies = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'];
const depthChoices = [1, 2, 3, 4, 5, 6, 7, 8];
const chartHeight = 440;
const pickers = ['LENDER', 'AUDITOR', 'PLATFORM_ADMIN'];

interface AsyncState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/** Runs `load` whenever `key` changes (null: nothing to run); the latest call wins. */
function useAsync<T>(key: string | null, load: () => Promise<T>): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ data: null, error: null, loading: key !== null });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure each render; the key says what it loads
  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: Error) => current && setState({ data: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  return { ...state, reload: () => setGeneration((value) => value + 1) };
}

interface Row extends ExposurePartyRow {
  stressed: StressedRow | null;
}

export default function ExposurePage() {
  const { t } = useTranslation('exposure');
  const language = useTranslation().i18n.language;
  const format = useFormat();
  const { party: me } = useSession();
  const canPick = me.roles.some((role) => pickers.includes(role));

  const [partyId, setPartyId] = useState(me.id);
  const [direction, setDirection] = useState<'UPSTREAM' | 'DOWNSTREAM'>(
    me.roles.includes('SUPPLIER') && !me.roles.includes('CORE_ENTERPRISE') ? 'DOWNSTREAM' : 'UPSTREAM',
  );
  const [maxDepth, setMaxDepth] = useState(4);
  const [currency, setCurrency] = useState('CNY');
  const [asOfLocal, setAsOfLocal] = useState('');
  const [lgdText, setLgdText] = useState('0.45');
  const [stressAsked, setStressAsked] = useState<StressVariables | null>(null);

  const asOf = asOfLocal ? new Date(asOfLocal).toISOString() : null;
  const variables: ExposureVariables = { partyId, direction, maxDepth, currency, asOf };
  const exposureKey = JSON.stringify(variables);
  const exposure = useAsync(exposureKey, () => loadExposure(variables));
  const directory = useAsync<DirectoryParty[]>(canPick ? 'directory' : null, loadDirectory);

  // A stress test answers for one party, currency, depth and instant: another choice clears it.
  const stressCurrent =
    stressAsked !== null &&
    stressAsked.obligorId === partyId &&
    stressAsked.currency === currency &&
    stressAsked.maxDepth === maxDepth &&
    stressAsked.asOf === asOf
      ? stressAsked
      : null;
  const stress = useAsync(stressCurrent ? JSON.stringify(stressCurrent) : null, () =>
    loadStress(stressCurrent as StressVariables),
  );

  const lgd = parseLgd(lgdText);
  const answer = exposure.data;
  const failure = answer && 'code' in answer ? (answer as DomainFailure) : null;
  const loaded = answer && !('code' in answer) ? answer : null;
  const stressAnswer = stress.data;
  const stressFailure = stressAnswer && 'code' in stressAnswer ? (stressAnswer as DomainFailure) : null;
  const stressLoaded = stressAnswer && !('code' in stressAnswer) ? stressAnswer : null;

  const partyName =
    loaded?.exposure.party.legalName ??
    (partyId === me.id
      ? me.legalName
      : (directory.data?.find((party) => party.id === partyId)?.legalName ?? ''));

  const stressById = useMemo(() => {
    if (!stressLoaded) return null;
    return new Map(stressLoaded.rows.map((row) => [row.party.id, row]));
  }, [stressLoaded]);

  const marks = useMemo(() => {
    if (!stressById) return null;
    const result = new Map<string, StressMark>();
    for (const [id, row] of stressById) {
      result.set(id, {
        band: lossBand(row.lossShare.numerator, row.lossShare.denominator),
        percent: ratioPercent(row.lossShare.numerator, row.lossShare.denominator),
        loss: row.loss,
      });
    }
    return result;
  }, [stressById]);

  const rows: Row[] = useMemo(
    () =>
      loaded ? loaded.rows.map((row) => ({ ...row, stressed: stressById?.get(row.party.id) ?? null })) : [],
    [loaded, stressById],
  );

  const nodes: ExposureNode[] = useMemo(
    () =>
      loaded
        ? loaded.rows.map((row) => ({
            id: row.party.id,
            name: row.party.legalName,
            depth: row.depth,
            claimOnPreviousDepth: row.claimOnPreviousDepth,
          }))
        : [],
    [loaded],
  );

  const edges: ExposureEdge[] = useMemo(
    () =>
      loaded
        ? loaded.links.map((link) => ({
            depth: link.depth,
            nearer: link.nearer.id,
            farther: link.farther.id,
            claim: link.claim,
          }))
        : [],
    [loaded],
  );
  const nameOf = useMemo(() => {
    const names = new Map<string, string>(
      (loaded?.rows ?? []).map((row) => [row.party.id, row.party.legalName]),
    );
    names.set(partyId, partyName);
    return names;
  }, [loaded, partyId, partyName]);

  const money = (amount: string | null | undefined) => format.amount(amount, currency);
  const chartText = useMemo(
    () => ({
      amount: (amount: string) => formatAmount(amount, currency, language),
      edge: (holder: string, obligor: string, amount: string) =>
        t('picture.edge', { holder, obligor, amount }),
      loss: (mark: StressMark) =>
        t('picture.partyLoss', {
          loss: formatAmount(mark.loss, currency, language),
          share: mark.percent,
        }).replace(/^[,，]\s*/, ''),
    }),
    [t, language, currency],
  );
  const root = useMemo(() => ({ id: partyId, name: partyName }), [partyId, partyName]);

  const columns: Column<Row>[] = [
    {
      id: 'party',
      header: t('table.party'),
      text: (row) => row.party.legalName,
      width: 'minmax(12rem, 2fr)',
    },
    { id: 'depth', header: t('table.depth'), text: (row) => String(row.depth), width: '5rem', numeric: true },
    {
      id: 'direct',
      header: t('table.directClaim'),
      text: (row) => money(row.directClaim),
      numeric: true,
    },
    {
      id: 'previous',
      header: t('table.claimOnPreviousDepth'),
      text: (row) => money(row.claimOnPreviousDepth),
      numeric: true,
    },
    { id: 'overdue', header: t('table.overdue'), text: (row) => money(row.overdue), numeric: true },
    {
      id: 'tiers',
      header: t('table.tiers'),
      text: (row) => (row.tierMin === row.tierMax ? String(row.tierMin) : `${row.tierMin}–${row.tierMax}`),
      width: '5rem',
      numeric: true,
    },
  ];
  if (stressLoaded) {
    columns.push(
      {
        id: 'loss',
        header: t('table.loss'),
        text: (row) => (row.stressed ? money(row.stressed.loss) : money('0')),
        numeric: true,
      },
      {
        id: 'share',
        header: t('table.lossShare'),
        text: (row) =>
          row.stressed
            ? `${ratioPercent(row.stressed.lossShare.numerator, row.stressed.lossShare.denominator)} %`
            : '0.00 %',
        width: '7rem',
        numeric: true,
      },
    );
  }

  const exportName = `exposure-${direction.toLowerCase()}-${currency}`;
  const directionWord = t(`controls.${direction}_short`);
  const chartLabel = loaded
    ? t('picture.label', {
        direction: directionWord,
        party: partyName,
        currency,
        count: loaded.rows.length,
        depths: loaded.exposure.depths.length,
      })
    : t('picture.heading');

  return (
    <div className="exposure-page">
      <h1>{t('title')}</h1>
      <p className="help">{t('intro')}</p>

      <section className="card" aria-labelledby="exposure-controls">
        <h2 id="exposure-controls" className="visually-hidden">
          {t('controls.label')}
        </h2>
        <div className="toolbar exposure-controls">
          <div>
            <label htmlFor="exposure-party">{t('controls.party')}</label>
            {canPick ? (
              <select
                id="exposure-party"
                value={partyId}
                onChange={(event) => setPartyId(event.target.value)}
              >
                <option value={me.id}>{t('controls.me', { name: me.legalName })}</option>
                {(directory.data ?? [])
                  .filter((party) => party.id !== me.id)
                  .map((party) => (
                    <option key={party.id} value={party.id}>
                      {party.legalName}
                    </option>
                  ))}
              </select>
            ) : (
              <input id="exposure-party" readOnly value={t('controls.me', { name: me.legalName })} />
            )}
          </div>
          <fieldset className="radio-group">
            <legend>{t('controls.direction')}</legend>
            {(['UPSTREAM', 'DOWNSTREAM'] as const).map((value) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name="exposure-direction"
                  value={value}
                  checked={direction === value}
                  onChange={() => setDirection(value)}
                />
                {t(`controls.${value}`)}
              </label>
            ))}
          </fieldset>
          <div>
            <label htmlFor="exposure-depth">{t('controls.maxDepth')}</label>
            <select
              id="exposure-depth"
              value={maxDepth}
              onChange={(event) => setMaxDepth(Number(event.target.value))}
            >
              {depthChoices.map((depth) => (
                <option key={depth} value={depth}>
                  {depth}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="exposure-currency">{t('controls.currency')}</label>
            <select
              id="exposure-currency"
              value={currency}
              onChange={(event) => setCurrency(event.target.value)}
            >
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="exposure-as-of">{t('controls.asOf')}</label>
            <input
              id="exposure-as-of"
              type="datetime-local"
              value={asOfLocal}
              aria-describedby="exposure-as-of-help"
              onChange={(event) => setAsOfLocal(event.target.value)}
            />
            <p id="exposure-as-of-help" className="help">
              {t('controls.asOfHelp')}
            </p>
          </div>
          {asOfLocal && (
            <button type="button" className="secondary" onClick={() => setAsOfLocal('')}>
              {t('controls.clearAsOf')}
            </button>
          )}
        </div>
      </section>

      <section className="card" aria-labelledby="stress-heading">
        <h2 id="stress-heading">{t('stress.heading')}</h2>
        <p className="help">{t('stress.help', { party: partyName })}</p>
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            if (lgd === null) return;
            const asked = { obligorId: partyId, lossGivenDefault: lgd, maxDepth, currency, asOf };
            // The same question again: ask the ledger again (it may have changed since).
            if (JSON.stringify(asked) === JSON.stringify(stressCurrent)) stress.reload();
            else setStressAsked(asked);
          }}
        >
          <div>
            <label htmlFor="stress-lgd-slider">{t('stress.lgdSlider')}</label>
            <input
              id="stress-lgd-slider"
              type="range"
              min="0"
              max="1"
              step="0.01"
              value={lgd ?? 0}
              onChange={(event) => setLgdText(event.target.value)}
            />
          </div>
          <div>
            <label htmlFor="stress-lgd">{t('stress.lgd')}</label>
            <input
              id="stress-lgd"
              inputMode="decimal"
              value={lgdText}
              size={10}
              aria-invalid={lgd === null}
              aria-describedby="stress-lgd-help"
              onChange={(event) => setLgdText(event.target.value)}
            />
          </div>
          <button type="submit" disabled={lgd === null || stress.loading}>
            {stress.loading ? t('stress.running') : t('stress.run')}
          </button>
          {stressCurrent && (
            <button type="button" className="secondary" onClick={() => setStressAsked(null)}>
              {t('stress.clear')}
            </button>
          )}
        </form>
        <p
          id="stress-lgd-help"
          className={lgd === null ? 'error' : 'help'}
          role={lgd === null ? 'alert' : undefined}
        >
          {lgd === null ? t('stress.lgdInvalid') : t('stress.lgdHelp')}
        </p>
        <div aria-live="polite">
          {stressFailure && (
            <p className="error" role="alert">
              {stressFailure.message}
            </p>
          )}
          {stress.error && <PageState error={stress.error} reload={stress.reload} />}
          {stressLoaded && (
            <>
              <p className="stress-total" data-testid="stress-total">
                {t('stress.totalLoss', {
                  amount: money(stressLoaded.stress.totalLoss),
                  lgd: stressLoaded.stress.lossGivenDefault,
                  count: stressLoaded.stress.parties.totalCount,
                })}
              </p>
              {direction === 'DOWNSTREAM' && <p className="help">{t('stress.downstreamNote')}</p>}
              <StressLenders stress={stressLoaded.stress} currency={currency} />
            </>
          )}
        </div>
      </section>

      <div className="exposure-split">
        <section className="card exposure-picture" aria-labelledby="exposure-picture-heading">
          <h2 id="exposure-picture-heading">{t('picture.heading')}</h2>
          <div className="chart-frame" style={{ height: chartHeight }} aria-busy={exposure.loading}>
            {failure ? (
              <p className="error" role="alert">
                {failure.message}
              </p>
            ) : exposure.error ? (
              <PageState error={exposure.error} reload={exposure.reload} />
            ) : loaded && loaded.rows.length === 0 ? (
              <p className="page-state">{t('picture.nothing', { currency, depth: maxDepth })}</p>
            ) : loaded ? (
              <ExposureChart
                root={root}
                parties={nodes}
                links={edges}
                direction={direction}
                stress={marks}
                label={chartLabel}
                height={chartHeight}
                text={chartText}
              />
            ) : (
              <PageState error={null} />
            )}
          </div>
          <p className="help">{t('picture.widthNote')}</p>
          <Legend stressed={marks !== null} />
          {loaded && (
            <details className="chart-summary">
              <summary>{t('picture.summaryHeading')}</summary>
              <p>{chartLabel}</p>
              <ul data-testid="exposure-summary">
                <li>{t('picture.root', { party: partyName })}</li>
                {rows.map((row) => {
                  const stressed = row.stressed;
                  return (
                    <li key={row.party.id}>
                      {t('picture.partyLine', {
                        depth: row.depth,
                        party: row.party.legalName,
                        amount: money(row.claimOnPreviousDepth),
                      })}
                      {edges
                        .filter((edge) => edge.farther === row.party.id)
                        .map((edge) =>
                          t('picture.linkLine', {
                            party: nameOf.get(edge.nearer) ?? '',
                            amount: money(edge.claim),
                          }),
                        )
                        .join('')}
                      {stressed &&
                        t('picture.partyLoss', {
                          loss: money(stressed.loss),
                          share: ratioPercent(stressed.lossShare.numerator, stressed.lossShare.denominator),
                        })}
                    </li>
                  );
                })}
              </ul>
            </details>
          )}
        </section>

        <section className="card exposure-numbers" aria-labelledby="exposure-numbers-heading">
          <h2 id="exposure-numbers-heading">{t('table.label')}</h2>
          <DataTable
            label={t('table.label')}
            rows={rows}
            columns={columns}
            rowKey={(row) => row.party.id}
            exportName={exportName}
            loading={exposure.loading}
            visibleRows={8}
          />
          <DepthTotals
            exposure={loaded?.exposure ?? null}
            currency={currency}
            loading={exposure.loading}
            exportName={`${exportName}-depths`}
          />
        </section>
      </div>
    </div>
  );
}

function Legend({ stressed }: { stressed: boolean }) {
  const { t } = useTranslation('exposure');
  if (!stressed) return <p className="help">{t('legend.noStress')}</p>;
  return (
    <div className="chart-legend">
      <h3>{t('legend.heading')}</h3>
      <ul>
        <li>
          <span className="swatch diamond" aria-hidden="true" style={{ background: '#5b2c83' }} />
          {t('legend.obligor')}
        </li>
        {lossBands.map((band) => (
          <li key={band.key}>
            <span className="swatch" aria-hidden="true" style={{ background: band.colour }} />
            {t(`legend.${band.key}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

type DepthRow = ExposureValue['depths'][number];

function DepthTotals({
  exposure,
  currency,
  loading,
  exportName,
}: {
  exposure: ExposureValue | null;
  currency: string;
  loading: boolean;
  exportName: string;
}) {
  const { t } = useTranslation('exposure');
  const format = useFormat();
  const money = (amount: string) => format.amount(amount, currency);
  const columns: Column<DepthRow>[] = [
    {
      id: 'depth',
      header: t('depths.depth'),
      text: (row) => String(row.depth),
      width: '5rem',
      numeric: true,
    },
    {
      id: 'parties',
      header: t('depths.parties'),
      text: (row) => String(row.partyCount),
      width: '6rem',
      numeric: true,
    },
    { id: 'direct', header: t('depths.directClaim'), text: (row) => money(row.directClaim), numeric: true },
    {
      id: 'previous',
      header: t('depths.claimOnPreviousDepth'),
      text: (row) => money(row.claimOnPreviousDepth),
      numeric: true,
    },
    { id: 'overdue', header: t('depths.overdue'), text: (row) => money(row.overdue), numeric: true },
    { id: 'defaulted', header: t('depths.defaulted'), text: (row) => money(row.defaulted), numeric: true },
    { id: 'onHold', header: t('depths.onHold'), text: (row) => money(row.onHold), numeric: true },
  ];
  return (
    <div className="depth-totals">
      <h3>{t('depths.label')}</h3>
      <DataTable
        label={t('depths.label')}
        rows={exposure?.depths ?? []}
        columns={columns}
        rowKey={(row) => String(row.depth)}
        exportName={exportName}
        loading={loading}
        visibleRows={4}
      />
    </div>
  );
}

function StressLenders({ stress, currency }: { stress: StressValue; currency: string }) {
  const { t } = useTranslation('exposure');
  const format = useFormat();
  const lenders = stress.lenders.edges.map((edge) => edge.node);
  if (lenders.length === 0) return null;
  return (
    <table className="plain">
      <caption>{t('stress.lenders')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stress.lender')}</th>
          <th scope="col" className="num">
            {t('stress.level')}
          </th>
          <th scope="col" className="num">
            {t('stress.financedExposed')}
          </th>
          <th scope="col" className="num">
            {t('stress.financedLoss')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lenders.map((lender) => (
          <tr key={lender.lender.id}>
            <th scope="row">{lender.lender.legalName}</th>
            <td className="num">{lender.level}</td>
            <td className="num">{format.amount(lender.financedExposed, currency)}</td>
            <td className="num">{format.amount(lender.financedLoss, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
