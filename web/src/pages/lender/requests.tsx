/**
 * The lender's financing requests: those addressed to it, each opening to the receivable and its
 * verification report as a checklist; from there an offer (recording the report's hash) or a decline,
 * and after acceptance the disbursement. Every write: prepare -> review -> submit.
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isDomainError, request } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { useQuery } from '../../api/use-query';
import { BundleDownload } from '../../components/bundle-download';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { currencyDigits } from '../../format/format';
import { href } from '../../router';
import { useSession } from '../../session/session';
import {
  type FinancingDetail,
  type FinancingRow,
  financingQuery,
  isOpen,
  loadFinancings,
  type Offer,
  statusTone,
} from '../financing/queries';
import { ReportChecklist, reportQuery } from '../financing/report-checklist';
import {
  daysBetween,
  feeProblem,
  fractionToPercent,
  randomUuid,
  rateProblem,
  todayUtc,
} from '../financing/terms';
import { Field, Notice, StatusBadge, usePrepare, WriteStep } from '../financing/write';
import '../financing/financing.css';

const offerMutation = graphql(`
  mutation PrepareFinancingOffer($input: FinancingOfferInput!) {
    prepareFinancingOffer(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

const declineMutation = graphql(`
  mutation PrepareFinancingDecline($input: FinancingDeclineInput!) {
    prepareFinancingDecline(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

const disbursementMutation = graphql(`
  mutation PrepareDisbursement($input: DisbursementInput!) {
    prepareDisbursement(input: $input) {
      __typename
      ... on PreparedStatement { kind statement eventHash }
      ... on DomainError { code message field }
    }
  }
`);

export default function RequestsPage({ path }: { path: string[] }) {
  const id = path[0];
  return id ? <RequestDetail key={id} id={id} /> : <RequestList />;
}

function RequestList() {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const query = useLoader(() => loadFinancings('LENDER'), 'LENDER');
  const [filter, setFilter] = useState('');
  const all = query.value ?? [];
  const statuses = [...new Set(all.map((row) => row.status))];
  const rows = filter ? all.filter((row) => row.status === filter) : all;
  const columns: Column<FinancingRow>[] = [
    { id: 'holder', header: t('field.holder'), text: (row) => row.holder.legalName, width: '1.7fr' },
    { id: 'obligor', header: t('field.obligor'), text: (row) => row.obligor.legalName, width: '1.7fr' },
    {
      id: 'amount',
      header: t('field.amount'),
      text: (row) => format.amount(row.amount, row.currency),
      numeric: true,
      width: '1.3fr',
    },
    {
      id: 'due',
      header: t('field.dueDate'),
      text: (row) => format.date(row.receivable?.dueDate),
      width: '1.2fr',
    },
    {
      id: 'status',
      header: t('field.status'),
      text: (row) => t(`status.${row.status}`),
      cell: (row) => <StatusBadge tone={statusTone(row.status)}>{t(`status.${row.status}`)}</StatusBadge>,
    },
    {
      id: 'expires',
      header: t('field.expiresAt'),
      text: (row) => format.dateTime(row.expiresAt),
      width: '1.4fr',
    },
    {
      id: 'open',
      header: t('requests.open'),
      text: () => '',
      exported: false,
      cell: (row) => (
        <a
          href={href('requests', row.id)}
          aria-label={t('requests.openLabel', {
            holder: row.holder.legalName,
            amount: format.amount(row.amount, row.currency),
          })}
        >
          {t('requests.open')}
        </a>
      ),
      width: '0.7fr',
    },
  ];
  return (
    <>
      <h1>{t('requests.title')}</h1>
      <p className="help">{t('requests.intro')}</p>
      {query.error && <PageState error={query.error} reload={query.reload} />}
      <div className="toolbar">
        <label htmlFor="requests-status">{t('field.status')}</label>
        <select id="requests-status" value={filter} onChange={(event) => setFilter(event.target.value)}>
          <option value="">{t('requests.allStatuses')}</option>
          {statuses.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        label={t('requests.list')}
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
  const { party } = useSession();
  const query = useQuery(financingQuery, { id });
  const [notice, setNotice] = useState<string | null>(null);
  const financing = query.data?.financing;
  const detail =
    financing && !isDomainError(financing) && financing.__typename === 'Financing' ? financing : null;
  const receivableId = detail?.receivable?.id ?? null;
  const report = useQuery(reportQuery, { receivableId: receivableId ?? '' }, { skip: receivableId === null });
  const reportValue = report.data?.verificationReport;
  const reportDone = reportValue && reportValue.__typename === 'VerificationReport' ? reportValue : null;

  if (!query.data) return <PageState error={query.error} reload={query.reload} />;
  if (!detail) {
    return (
      <>
        <h1>{t('requests.title')}</h1>
        <p role="alert" className="error">
          {financing && isDomainError(financing) ? financing.message : ''}
        </p>
        <a href={href('requests')}>{t('requests.back')}</a>
      </>
    );
  }
  const myOffer = detail.offers.find((offer) => offer.lender.id === party.id) ?? null;
  const myDecline = detail.declines.find((decline) => decline.lender.id === party.id) ?? null;
  const canAnswer = isOpen(detail.status) && !myOffer && !myDecline;
  const canDisburse = detail.status === 'ACCEPTED' && detail.lender?.id === party.id;
  const done = (message: string) => {
    setNotice(message);
    query.reload();
  };

  return (
    <>
      <p>
        <a href={href('requests')}>← {t('requests.back')}</a>
      </p>
      <h1>
        {t('requests.title')}: {detail.holder.legalName}
      </h1>
      <Notice text={notice} />
      <section className="card" aria-labelledby="receivable-title">
        <h2 id="receivable-title">{t('requests.receivable')}</h2>
        <dl className="fields">
          <dt>{t('field.status')}</dt>
          <dd>
            <StatusBadge tone={statusTone(detail.status)}>{t(`status.${detail.status}`)}</StatusBadge>
          </dd>
          <dt>{t('field.holder')}</dt>
          <dd>{detail.holder.legalName}</dd>
          <dt>{t('field.obligor')}</dt>
          <dd>{detail.obligor.legalName}</dd>
          <dt>{t('field.amount')}</dt>
          <dd data-testid="financing-amount">{format.amount(detail.amount, detail.currency)}</dd>
          <dt>{t('field.expiresAt')}</dt>
          <dd>{format.dateTime(detail.expiresAt)}</dd>
          {detail.receivable && (
            <>
              <dt>{t('field.face')}</dt>
              <dd>{format.amount(detail.receivable.face, detail.currency)}</dd>
              <dt>{t('field.outstanding')}</dt>
              <dd>{format.amount(detail.receivable.outstanding, detail.currency)}</dd>
              <dt>{t('field.tier')}</dt>
              <dd>{detail.receivable.tier}</dd>
              <dt>{t('field.dueDate')}</dt>
              <dd>{format.date(detail.receivable.dueDate)}</dd>
              <dt>{t('field.receivable')}</dt>
              <dd>
                <code>{detail.receivable.id}</code> <BundleDownload receivableId={detail.receivable.id} />
              </dd>
            </>
          )}
          {detail.paymentReference && (
            <>
              <dt>{t('field.paymentReference')}</dt>
              <dd>{detail.paymentReference}</dd>
            </>
          )}
          {detail.childReceivable && (
            <>
              <dt>{t('field.childReceivable')}</dt>
              <dd>
                {format.amount(detail.childReceivable.outstanding, detail.currency)} ·{' '}
                <code>{detail.childReceivable.id}</code>
              </dd>
            </>
          )}
        </dl>
        {!detail.receivable && <p className="help">{t('requests.notVisible')}</p>}
      </section>

      {detail.receivable && (
        <section className="card report-card" aria-labelledby="report-title">
          <h2 id="report-title">{t('report.title')}</h2>
          <p className="help">{t('report.help')}</p>
          {reportDone ? (
            <ReportChecklist report={reportDone} currency={detail.currency} />
          ) : reportValue && isDomainError(reportValue) ? (
            <p role="alert" className="error">
              {reportValue.message}
            </p>
          ) : (
            <PageState error={report.error} reload={report.reload} />
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={report.reload} disabled={report.loading}>
              {t('report.refresh')}
            </button>
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="answer-title">
        <h2 id="answer-title">{t('requests.yourAnswer')}</h2>
        {myOffer && <OfferTerms offer={myOffer} currency={detail.currency} />}
        {myDecline && <p>{t('requests.yourDecline', { reason: myDecline.reason })}</p>}
        {canAnswer && (
          <div className="split">
            <OfferForm
              detail={detail}
              reportHash={reportDone?.hash ?? null}
              onDone={(eventId) => done(t('offer.recorded', { id: eventId }))}
            />
            <DeclineForm detail={detail} onDone={(eventId) => done(t('decline.recorded', { id: eventId }))} />
          </div>
        )}
        {canDisburse && (
          <DisburseForm detail={detail} onDone={(eventId) => done(t('disburse.recorded', { id: eventId }))} />
        )}
        {!canAnswer && !canDisburse && !isOpen(detail.status) && (
          <p className="help">{t('requests.closed', { status: t(`status.${detail.status}`) })}</p>
        )}
      </section>
    </>
  );
}

export function OfferTerms({ offer, currency }: { offer: Offer; currency: string }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  return (
    <>
      <h3>{t('requests.yourOffer')}</h3>
      <dl className="fields" data-testid="my-offer">
        <dt>{t('field.status')}</dt>
        <dd>{t(`offerStatus.${offer.status}`)}</dd>
        <dt>{t('field.rate')}</dt>
        <dd>
          {fractionToPercent(offer.rate)} % ({offer.rate})
        </dd>
        <dt>{t('field.dayCount')}</dt>
        <dd>{t(`dayCountShort.${offer.dayCount}`)}</dd>
        <dt>{t('field.fee')}</dt>
        <dd>{format.amount(offer.fee, currency)}</dd>
        <dt>{t('field.advanceDate')}</dt>
        <dd>{format.date(offer.advanceDate)}</dd>
        <dt>{t('field.days')}</dt>
        <dd>{offer.days}</dd>
        <dt>{t('field.discount')}</dt>
        <dd>{format.amount(offer.discount, currency)}</dd>
        <dt>{t('field.advance')}</dt>
        <dd>{format.amount(offer.advance, currency)}</dd>
        <dt>{t('field.reportHash')}</dt>
        <dd>
          <code>{offer.reportHash}</code>
        </dd>
      </dl>
    </>
  );
}

function OfferForm(props: {
  detail: FinancingDetail;
  reportHash: string | null;
  onDone: (eventId: string) => void;
}) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const { detail } = props;
  const state = usePrepare();
  const today = todayUtc();
  const dueDate = detail.receivable?.dueDate ?? today;
  const digits = currencyDigits(detail.currency);
  const [rate, setRate] = useState('');
  const [dayCount, setDayCount] = useState<'ACT_360' | 'ACT_365F'>('ACT_360');
  const [fee, setFee] = useState('0.00');
  const [advanceDate, setAdvanceDate] = useState(today);
  const [touched, setTouched] = useState(false);
  const rateError = rateProblem(rate);
  const feeError = feeProblem(fee, digits);
  const dateError = !/^\d{4}-\d{2}-\d{2}$/.test(advanceDate) || advanceDate < today || advanceDate >= dueDate;
  const percent = rateError ? null : fractionToPercent(rate.trim());

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (rateError || feeError || dateError || !props.reportHash) return;
    const reportHash = props.reportHash;
    await state.run(async () => {
      const answer = await request(offerMutation, {
        input: {
          financingId: detail.id,
          offerId: randomUuid(),
          rate: rate.trim(),
          dayCount,
          fee: fee.trim(),
          advanceDate,
          reportHash,
          idempotencyKey: `console-offer-${randomUuid()}`,
        },
      });
      return answer.prepareFinancingOffer;
    });
  }

  return (
    <div>
      <h3>{t('offer.title')}</h3>
      <WriteStep state={state} onDone={(submitted) => props.onDone(submitted.eventId)}>
        <form onSubmit={submit} noValidate>
          <Field
            id="offer-rate"
            label={t('field.rate')}
            help={percent !== null && rate.trim() ? t('offer.ratePreview', { percent }) : t('offer.rateHelp')}
            error={touched && rateError ? t(`offer.problems.${rateError}`) : null}
          >
            {(describedBy, invalid) => (
              <input
                id="offer-rate"
                inputMode="decimal"
                autoComplete="off"
                placeholder="0.045"
                value={rate}
                onChange={(event) => setRate(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          <Field id="offer-day-count" label={t('field.dayCount')}>
            {() => (
              <select
                id="offer-day-count"
                value={dayCount}
                onChange={(event) => setDayCount(event.target.value as 'ACT_360' | 'ACT_365F')}
              >
                <option value="ACT_360">{t('dayCount.ACT_360')}</option>
                <option value="ACT_365F">{t('dayCount.ACT_365F')}</option>
              </select>
            )}
          </Field>
          <Field
            id="offer-fee"
            label={t('field.fee')}
            help={t('offer.feeHelp', { currency: detail.currency })}
            error={
              touched && feeError
                ? feeError === 'format'
                  ? t('offer.problems.feeFormat')
                  : t('offer.problems.feeDecimals', { digits, currency: detail.currency })
                : null
            }
          >
            {(describedBy, invalid) => (
              <input
                id="offer-fee"
                inputMode="decimal"
                autoComplete="off"
                value={fee}
                onChange={(event) => setFee(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          <Field
            id="offer-advance-date"
            label={t('field.advanceDate')}
            help={t('offer.advanceDateHelp', { dueDate: format.date(dueDate) })}
            error={touched && dateError ? t('offer.problems.date') : null}
          >
            {(describedBy, invalid) => (
              <input
                id="offer-advance-date"
                type="date"
                min={today}
                max={isoDayBefore(dueDate)}
                value={advanceDate}
                onChange={(event) => setAdvanceDate(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          {!dateError && (
            <p className="help">
              {t('field.days')}: {daysBetween(advanceDate, dueDate)}
            </p>
          )}
          <p className="help">
            {props.reportHash ? (
              <>
                {t('offer.reportNote')}
                <code>{props.reportHash}</code>
              </>
            ) : (
              t('offer.needReport')
            )}
          </p>
          <div className="actions">
            <button type="submit" disabled={state.busy || !props.reportHash}>
              {t('offer.prepare')}
            </button>
          </div>
        </form>
      </WriteStep>
    </div>
  );
}

function isoDayBefore(date: string): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time) ? date : new Date(time - 86_400_000).toISOString().slice(0, 10);
}

function DeclineForm(props: { detail: FinancingDetail; onDone: (eventId: string) => void }) {
  const { t } = useTranslation('financing');
  const state = usePrepare();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (missing) return;
    await state.run(async () => {
      const answer = await request(declineMutation, {
        input: {
          financingId: props.detail.id,
          reason: reason.trim(),
          idempotencyKey: `console-decline-${randomUuid()}`,
        },
      });
      return answer.prepareFinancingDecline;
    });
  }

  return (
    <div>
      <h3>{t('decline.title')}</h3>
      <WriteStep state={state} onDone={(submitted) => props.onDone(submitted.eventId)}>
        <form onSubmit={submit} noValidate>
          <Field
            id="decline-reason"
            label={t('field.reason')}
            help={t('decline.reasonHelp')}
            error={touched && missing ? t('decline.required') : null}
          >
            {(describedBy, invalid) => (
              <textarea
                id="decline-reason"
                rows={3}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" className="secondary" disabled={state.busy}>
              {t('decline.prepare')}
            </button>
          </div>
        </form>
      </WriteStep>
    </div>
  );
}

function DisburseForm(props: { detail: FinancingDetail; onDone: (eventId: string) => void }) {
  const { t } = useTranslation('financing');
  const format = useFormat();
  const { detail } = props;
  const state = usePrepare();
  const [reference, setReference] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = reference.trim() === '';
  const amount = format.amount(detail.amount, detail.currency);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (missing) return;
    await state.run(async () => {
      const answer = await request(disbursementMutation, {
        input: {
          financingId: detail.id,
          amount: detail.amount,
          paymentReference: reference.trim(),
          idempotencyKey: `console-disburse-${randomUuid()}`,
        },
      });
      return answer.prepareDisbursement;
    });
  }

  return (
    <div>
      <h3>{t('disburse.title')}</h3>
      <p className="help">{t('disburse.help', { amount })}</p>
      <WriteStep state={state} onDone={(submitted) => props.onDone(submitted.eventId)}>
        <form onSubmit={submit} noValidate>
          <p>{t('disburse.amountNote', { amount })}</p>
          <Field
            id="disburse-reference"
            label={t('field.paymentReference')}
            help={t('disburse.referenceHelp')}
            error={touched && missing ? t('disburse.required') : null}
          >
            {(describedBy, invalid) => (
              <input
                id="disburse-reference"
                autoComplete="off"
                value={reference}
                onChange={(event) => setReference(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" disabled={state.busy}>
              {t('disburse.prepare')}
            </button>
          </div>
        </form>
      </WriteStep>
    </div>
  );
}
