/**
 * The supplier's financing: its requests with their status; a new request for a receivable it holds
 * (#/financing/new[/<receivableId>]); on a request, the offers side by side with the effective annual
 * cost computed exactly from each offer's figures, accepting one, or withdrawing the request.
 */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages, pageOf } from '../../api/all-pages';
import { isDomainError, request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { useQuery } from '../../api/use-query';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { currencyDigits } from '../../format/format';
import { href, navigate } from '../../router';
import { StatementReview } from '../../signing/statement-review';
import {
  type FinancingDetail,
  type FinancingRow,
  financingQuery,
  isOpen,
  loadFinancings,
  type Offer,
  statusTone,
} from '../financing/queries';
import {
  compareDecimal,
  effectiveAnnualCost,
  fractionToPercent,
  parseDecimal,
  randomUuid,
  requestAmountProblem,
} from '../financing/terms';
import { Field, Notice, StatusBadge, usePrepare, WriteStep } from '../financing/write';
import '../financing/financing.css';

const requestMutation = graphql(`
  mutation PrepareFinancingRequest($input: FinancingRequestInput!) {
    prepareFinancingRequest(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

const acceptMutation = graphql(`
  mutation PrepareOfferAcceptance($input: OfferAcceptanceInput!) {
    prepareOfferAcceptance(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

const withdrawMutation = graphql(`
  mutation PrepareFinancingWithdrawal($input: FinancingWithdrawalInput!) {
    prepareFinancingWithdrawal(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

const heldQuery = graphql(`
  query FinanceableReceivables {
    receivables(side: HOLDER, statuses: [OPEN, PARTIALLY_SETTLED], first: 100) {
      edges {
        node {
          id
          currency
          outstanding
          dueDate
          tier
          onHold
          obligor { id legalName }
          financing { id status }
        }
      }
    }
  }
`);

const partiesQuery = graphql(`
  query LenderDirectory($after: String) {
    parties(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id legalName roles } }
    }
  }
`);

type Held = ResultOf<typeof heldQuery>['receivables']['edges'][number]['node'];
type Lender = { id: string; legalName: string };

const closedStatuses = ['DECLINED', 'WITHDRAWN', 'EXPIRED'];

export default function FinancingPage({ path }: { path: string[] }) {
  if (path[0] === 'new') return <NewRequest key={path[1] ?? ''} receivableId={path[1] ?? null} />;
  if (path[0]) return <RequestDetail key={path[0]} id={path[0]} />;
  return <RequestList />;
}

function RequestList() {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const query = useLoader(() => loadFinancings('HOLDER'), 'HOLDER');
  const rows = query.value ?? [];
  const columns: Column<FinancingRow>[] = [
    { id: 'obligor', header: t('field.obligor'), text: (row) => row.obligor.legalName, width: '2fr' },
    {
      id: 'amount',
      header: t('field.amount'),
      text: (row) => format.amount(row.amount, row.currency),
      numeric: true,
      width: '1.3fr',
    },
    {
      id: 'lenders',
      header: t('field.lenders'),
      text: (row) => row.lendersAsked.map((lender) => lender.legalName).join(', '),
      width: '2fr',
    },
    {
      id: 'status',
      header: t('field.status'),
      text: (row) => t(`status.${row.status}`),
      cell: (row) => <StatusBadge tone={statusTone(row.status)}>{t(`status.${row.status}`)}</StatusBadge>,
    },
    {
      id: 'offers',
      header: t('field.offers'),
      text: (row) => t('supplier.offerCount', { count: row.offers.length }),
      width: '0.8fr',
    },
    {
      id: 'expires',
      header: t('field.expiresAt'),
      text: (row) => format.dateTime(row.expiresAt),
      width: '1.4fr',
    },
    {
      id: 'open',
      header: t('supplier.open'),
      text: () => '',
      exported: false,
      cell: (row) => (
        <a
          href={href('financing', row.id)}
          aria-label={t('supplier.openLabel', { amount: format.amount(row.amount, row.currency) })}
        >
          {t('supplier.open')}
        </a>
      ),
      width: '0.7fr',
    },
  ];
  return (
    <>
      <h1>{t('supplier.title')}</h1>
      <p className="help">{t('supplier.intro')}</p>
      <p>
        <a className="button" href={href('financing', 'new')}>
          {t('supplier.new')}
        </a>
      </p>
      {query.error && <PageState error={query.error} reload={query.reload} />}
      <DataTable
        label={t('supplier.list')}
        rows={rows}
        columns={columns}
        rowKey={(row) => row.id}
        exportName="financing-requests"
        loading={query.loading}
        visibleRows={10}
      />
    </>
  );
}

function RequestDetail({ id }: { id: string }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const query = useQuery(financingQuery, { id });
  const state = usePrepare();
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<'accept' | 'withdraw' | null>(null);
  const financing = query.data?.financing;
  if (!query.data) return <PageState error={query.error} reload={query.reload} />;
  if (financing?.__typename !== 'Financing') {
    return (
      <>
        <h1>{t('supplier.title')}</h1>
        <p role="alert" className="error">
          {financing && isDomainError(financing) ? financing.message : ''}
        </p>
        <a href={href('financing')}>{t('supplier.back')}</a>
      </>
    );
  }
  const detail: FinancingDetail = financing;
  const canAccept = detail.status === 'OFFERED';
  const canWithdraw = isOpen(detail.status);

  const accept = (offer: Offer) => {
    setPending('accept');
    void state.run(async () => {
      const answer = await request(acceptMutation, {
        input: {
          financingId: detail.id,
          offerId: offer.id,
          idempotencyKey: `console-accept-${randomUuid()}`,
        },
      });
      return answer.prepareOfferAcceptance;
    });
  };
  const withdraw = () => {
    setPending('withdraw');
    void state.run(async () => {
      const answer = await request(withdrawMutation, {
        input: { financingId: detail.id, idempotencyKey: `console-withdraw-${randomUuid()}` },
      });
      return answer.prepareFinancingWithdrawal;
    });
  };

  return (
    <>
      <p>
        <a href={href('financing')}>← {t('supplier.back')}</a>
      </p>
      <h1>
        {t('supplier.title')}: {format.amount(detail.amount, detail.currency)}
      </h1>
      <Notice text={notice} />
      <section className="card" aria-labelledby="request-title">
        <h2 id="request-title">{t('field.receivable')}</h2>
        <dl className="fields">
          <dt>{t('field.status')}</dt>
          <dd>
            <StatusBadge tone={statusTone(detail.status)}>{t(`status.${detail.status}`)}</StatusBadge>
          </dd>
          <dt>{t('field.obligor')}</dt>
          <dd>{detail.obligor.legalName}</dd>
          <dt>{t('field.amount')}</dt>
          <dd>{format.amount(detail.amount, detail.currency)}</dd>
          {detail.receivable && (
            <>
              <dt>{t('field.outstanding')}</dt>
              <dd>{format.amount(detail.receivable.outstanding, detail.currency)}</dd>
              <dt>{t('field.dueDate')}</dt>
              <dd>{format.date(detail.receivable.dueDate)}</dd>
            </>
          )}
          <dt>{t('field.lenders')}</dt>
          <dd>{detail.lendersAsked.map((lender) => lender.legalName).join(', ')}</dd>
          <dt>{t('field.expiresAt')}</dt>
          <dd>{format.dateTime(detail.expiresAt)}</dd>
          {detail.lender && (
            <>
              <dt>{t('field.lender')}</dt>
              <dd>{detail.lender.legalName}</dd>
            </>
          )}
          {detail.paymentReference && (
            <>
              <dt>{t('field.paymentReference')}</dt>
              <dd>{detail.paymentReference}</dd>
            </>
          )}
        </dl>
        {detail.declines.length > 0 && (
          <>
            <h3>{t('supplier.declines')}</h3>
            <ul>
              {detail.declines.map((decline) => (
                <li key={decline.eventId}>
                  {decline.lender.legalName}: {decline.reason}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="offers-title">
        <h2 id="offers-title">{t('supplier.compare')}</h2>
        <OfferComparison
          detail={detail}
          onAccept={canAccept && !state.prepared && !state.busy ? accept : null}
        />
        {state.prepared ? (
          <StatementReview
            prepared={state.prepared}
            onCancel={() => {
              state.reset();
              setPending(null);
            }}
            onDone={(submitted) => {
              state.reset();
              setNotice(
                t(pending === 'withdraw' ? 'supplier.withdrawn' : 'supplier.accepted', {
                  id: submitted.eventId,
                }),
              );
              setPending(null);
              query.reload();
            }}
          />
        ) : (
          <>
            {state.problem && (
              <p role="alert" className="error">
                {state.problem}
              </p>
            )}
            {canWithdraw && (
              <div className="actions">
                <button type="button" className="secondary" onClick={withdraw} disabled={state.busy}>
                  {t('supplier.withdraw')}
                </button>
              </div>
            )}
          </>
        )}
      </section>
    </>
  );
}

function OfferComparison(props: { detail: FinancingDetail; onAccept: ((offer: Offer) => void) | null }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const { detail } = props;
  const offers = detail.offers;
  if (offers.length === 0) return <p className="help">{t('supplier.noOffers')}</p>;
  const costs = offers.map((offer) =>
    effectiveAnnualCost({
      amount: detail.amount,
      advance: offer.advance,
      discount: offer.discount,
      fee: offer.fee,
      days: offer.days,
    }),
  );
  // The lowest cost among the open (or accepted) offers, compared exactly.
  let best: string | null = null;
  for (const [index, cost] of costs.entries()) {
    if (cost === null || offers[index]?.status === 'CLOSED') continue;
    const parsed = parseDecimal(cost);
    const current = best === null ? null : parseDecimal(best);
    if (parsed && (current === null || compareDecimal(parsed, current) < 0)) best = cost;
  }
  const money = (value: string) => format.amount(value, detail.currency);
  const rows: { id: string; header: string; cell: (offer: Offer, index: number) => ReactNode }[] = [
    {
      id: 'status',
      header: t('field.status'),
      cell: (offer) => (
        <StatusBadge
          tone={offer.status === 'ACCEPTED' ? 'pass' : offer.status === 'OPEN' ? 'warn' : 'neutral'}
        >
          {t(`offerStatus.${offer.status}`)}
        </StatusBadge>
      ),
    },
    { id: 'advance', header: t('field.advance'), cell: (offer) => money(offer.advance) },
    { id: 'discount', header: t('field.discount'), cell: (offer) => money(offer.discount) },
    { id: 'fee', header: t('field.fee'), cell: (offer) => money(offer.fee) },
    { id: 'days', header: t('field.days'), cell: (offer) => offer.days },
    {
      id: 'rate',
      header: t('field.rate'),
      cell: (offer) =>
        `${fractionToPercent(offer.rate) ?? offer.rate} % · ${t(`dayCountShort.${offer.dayCount}`)}`,
    },
    { id: 'advanceDate', header: t('field.advanceDate'), cell: (offer) => format.date(offer.advanceDate) },
    {
      id: 'cost',
      header: t('field.cost'),
      cell: (_offer, index) => {
        const cost = costs[index];
        if (cost == null) return '—';
        return (
          <>
            <span data-testid="offer-cost">{cost} %</span>
            {cost === best && offers.length > 1 && (
              <>
                {' '}
                <StatusBadge tone="pass">{t('supplier.bestCost')}</StatusBadge>
              </>
            )}
          </>
        );
      },
    },
    {
      id: 'report',
      header: t('field.reportHash'),
      cell: (offer) => <code title={offer.reportHash}>{offer.reportHash.slice(0, 16)}…</code>,
    },
  ];
  return (
    <div className="compare-wrap">
      <table className="plain compare">
        <caption className="visually-hidden">{t('supplier.compare')}</caption>
        <thead>
          <tr>
            <td />
            {offers.map((offer) => (
              <th key={offer.id} scope="col">
                {offer.lender.legalName}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.header}</th>
              {offers.map((offer, index) => (
                <td
                  key={offer.id}
                  className={row.id === 'cost' && costs[index] === best ? 'best' : undefined}
                >
                  {row.cell(offer, index)}
                </td>
              ))}
            </tr>
          ))}
          {props.onAccept && (
            <tr>
              <td />
              {offers.map((offer) => (
                <td key={offer.id}>
                  {offer.status === 'OPEN' && (
                    <button
                      type="button"
                      onClick={() => props.onAccept?.(offer)}
                      aria-label={t('supplier.acceptLabel', { lender: offer.lender.legalName })}
                    >
                      {t('supplier.accept')}
                    </button>
                  )}
                </td>
              ))}
            </tr>
          )}
        </tbody>
      </table>
      <p className="help">{t('supplier.costHelp')}</p>
    </div>
  );
}

async function allLenders(): Promise<Lender[]> {
  const parties = await allPages(async (after) => pageOf((await request(partiesQuery, { after })).parties));
  return parties
    .filter((party) => party.roles.includes('LENDER'))
    .map((party) => ({ id: party.id, legalName: party.legalName }))
    .sort((a, b) => a.legalName.localeCompare(b.legalName));
}

function financeable(receivable: Held): boolean {
  const open = receivable.financing && !closedStatuses.includes(receivable.financing.status);
  return !receivable.onHold && !open && (parseDecimal(receivable.outstanding)?.units ?? 0n) > 0n;
}

function NewRequest({ receivableId }: { receivableId: string | null }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const held = useQuery(heldQuery, {});
  const [lenders, setLenders] = useState<Lender[] | null>(null);
  const [lendersError, setLendersError] = useState<Error | null>(null);
  const [chosenReceivable, setChosenReceivable] = useState<string>(receivableId ?? '');
  const [amount, setAmount] = useState<string | null>(null);
  const [chosenLenders, setChosenLenders] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);
  const [financingId, setFinancingId] = useState(randomUuid);
  const state = usePrepare();

  useEffect(() => {
    allLenders().then(setLenders, setLendersError);
  }, []);

  const receivables = (held.data?.receivables.edges.map((edge) => edge.node) ?? []).filter(
    (receivable) => financeable(receivable) || receivable.id === receivableId,
  );
  const receivable = receivables.find((candidate) => candidate.id === chosenReceivable) ?? null;
  const amountText = amount ?? receivable?.outstanding ?? '';
  const digits = receivable ? currencyDigits(receivable.currency) : 2;
  const amountError = receivable
    ? requestAmountProblem(amountText.trim(), receivable.outstanding, digits)
    : null;
  const lendersError2 = chosenLenders.length < 1 || chosenLenders.length > 10;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!receivable || amountError || lendersError2) return;
    await state.run(async () => {
      const answer = await request(requestMutation, {
        input: {
          financingId,
          receivableId: receivable.id,
          amount: amountText.trim(),
          lenderPartyIds: chosenLenders,
          idempotencyKey: `console-request-${randomUuid()}`,
        },
      });
      return answer.prepareFinancingRequest;
    });
  }

  const amountMessage =
    touched && amountError && receivable
      ? t(`supplier.problems.${amountError}`, {
          digits,
          currency: receivable.currency,
          outstanding: format.amount(receivable.outstanding, receivable.currency),
        })
      : null;

  return (
    <>
      <p>
        <a href={href('financing')}>← {t('supplier.back')}</a>
      </p>
      <h1>{t('supplier.newTitle')}</h1>
      {!held.data && <PageState error={held.error} reload={held.reload} />}
      {held.data && receivables.length === 0 && <p className="help">{t('supplier.noReceivable')}</p>}
      {held.data && receivables.length > 0 && (
        <section className="card" aria-labelledby="new-request-title">
          <h2 id="new-request-title">{t('supplier.whatToFinance')}</h2>
          <WriteStep
            state={state}
            onDone={() => {
              const created = financingId;
              setFinancingId(randomUuid());
              navigate('financing', created);
            }}
          >
            <form onSubmit={submit} noValidate>
              <Field
                id="request-receivable"
                label={t('supplier.chooseReceivable')}
                error={touched && !receivable ? t('supplier.problems.receivable') : null}
              >
                {(describedBy, invalid) => (
                  <select
                    id="request-receivable"
                    value={chosenReceivable}
                    onChange={(event) => {
                      setChosenReceivable(event.target.value);
                      setAmount(null);
                    }}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                  >
                    <option value="">—</option>
                    {receivables.map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {t('supplier.receivableOption', {
                          obligor: candidate.obligor.legalName,
                          outstanding: format.amount(candidate.outstanding, candidate.currency),
                          dueDate: format.date(candidate.dueDate),
                          tier: candidate.tier,
                        })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                id="request-amount"
                label={t('field.amount')}
                help={
                  receivable
                    ? t('supplier.amountHelp', {
                        outstanding: format.amount(receivable.outstanding, receivable.currency),
                      })
                    : undefined
                }
                error={amountMessage}
              >
                {(describedBy, invalid) => (
                  <input
                    id="request-amount"
                    inputMode="decimal"
                    autoComplete="off"
                    value={amountText}
                    onChange={(event) => setAmount(event.target.value)}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                  />
                )}
              </Field>
              <fieldset className="lenders" aria-describedby="request-lenders-help">
                <legend>{t('supplier.chooseLenders')}</legend>
                {lenders === null && !lendersError && <p className="help">…</p>}
                {lendersError && (
                  <p role="alert" className="error">
                    {lendersError.message}
                  </p>
                )}
                {lenders?.length === 0 && <p className="help">{t('supplier.noLenders')}</p>}
                {lenders?.map((lender) => (
                  <label key={lender.id} className="lender-choice">
                    <input
                      type="checkbox"
                      checked={chosenLenders.includes(lender.id)}
                      onChange={(event) =>
                        setChosenLenders((previous) =>
                          event.target.checked
                            ? [...previous, lender.id]
                            : previous.filter((chosen) => chosen !== lender.id),
                        )
                      }
                    />
                    {lender.legalName}
                  </label>
                ))}
                <p id="request-lenders-help" className="help">
                  {t('supplier.lendersHelp')}
                </p>
                {touched && lendersError2 && <p className="error">{t('supplier.problems.lenders')}</p>}
              </fieldset>
              <div className="actions">
                <button type="submit" disabled={state.busy}>
                  {t('supplier.prepare')}
                </button>
              </div>
            </form>
          </WriteStep>
        </section>
      )}
    </>
  );
}
