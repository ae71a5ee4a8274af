/**
 * What the core enterprise owes: every open receivable on its confirmed invoices (whoever holds it
 * now), totalled by the week it falls due, and a payment recorded against one invoice.
 */
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages, pageOf } from '../../api/all-pages';
import { request } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { compareDecimal, sumDecimals } from '../../format/decimal';
import { useSession } from '../../session/session';
import { prepareStatement } from '../../signing/prepare';
import { type Prepared, StatementReview } from '../../signing/statement-review';
import { type DueWeek, dueWeeks } from './due-weeks';

const owedQuery = graphql(`
  query Payables($after: String) {
    receivables(side: OBLIGOR, statuses: [OPEN, OVERDUE, PARTIALLY_SETTLED], orderBy: { field: DUE_DATE }, first: 100, after: $after) {
      edges { node { id invoiceId tier dueDate currency outstanding status holder { legalName } invoice { documentNumber } } }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

const preparePayment = graphql(`
  mutation PreparePayment($input: PaymentInput!) {
    preparePayment(input: $input) {
      __typename
      ... on PreparedStatement { statement eventHash kind }
      ... on DomainError { code message field }
    }
  }
`);

type Row = {
  id: string;
  invoiceId: string;
  tier: number;
  dueDate: string;
  currency: string;
  outstanding: string;
  status: string;
  holder: { legalName: string };
  invoiceNumber: string;
};

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export default function Payables() {
  const { t } = useTranslation(['core', 'common']);
  const format = useFormat();
  const { party } = useSession();
  const owed = useLoader(async () => {
    const rows = await allPages(async (after) => pageOf((await request(owedQuery, { after })).receivables));
    return rows.map((row) => ({
      ...row,
      invoiceNumber: row.invoice?.documentNumber ?? row.invoiceId.slice(0, 8),
    }));
  }, party.id);
  const rows: Row[] = owed.value ?? [];
  const weeks = useMemo(() => dueWeeks(rows), [rows]);
  const [paying, setPaying] = useState<string | null>(null);

  const weekColumns: Column<DueWeek>[] = [
    { id: 'week', header: t('payables.week'), text: (week) => format.date(week.weekOf) },
    { id: 'currency', header: t('common:common.currency'), text: (week) => week.currency },
    { id: 'invoices', header: t('payables.invoices'), text: (week) => String(week.invoices), numeric: true },
    {
      id: 'owed',
      header: t('payables.owed'),
      text: (week) => format.amount(week.owed, week.currency),
      numeric: true,
    },
  ];
  const columns: Column<Row>[] = [
    { id: 'invoice', header: t('payables.invoice'), text: (row) => row.invoiceNumber },
    {
      id: 'holder',
      header: t('payables.holder'),
      text: (row) => row.holder.legalName,
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
      text: (row) => t(`common:status.${row.status as 'OPEN'}`),
    },
    {
      id: 'outstanding',
      header: t('payables.outstanding'),
      text: (row) => format.amount(row.outstanding, row.currency),
      numeric: true,
    },
    {
      id: 'pay',
      header: t('payables.pay'),
      text: () => '',
      exported: false,
      cell: (row) => (
        <button type="button" className="secondary" onClick={() => setPaying(row.invoiceId)}>
          {t('payables.pay')} {row.invoiceNumber}
        </button>
      ),
    },
  ];

  return (
    <>
      <h1>{t('payables.title')}</h1>
      <p className="help">{t('payables.help')}</p>
      {owed.error && <PageState error={owed.error} reload={owed.reload} />}
      <h2>{t('payables.byWeek')}</h2>
      <DataTable
        label={t('payables.byWeek')}
        rows={weeks}
        columns={weekColumns}
        rowKey={(week) => `${week.weekOf}-${week.currency}`}
        loading={owed.loading}
        exportName="payables-by-week"
        visibleRows={5}
      />
      {paying && (
        <PaymentForm
          invoiceId={paying}
          rows={rows.filter((row) => row.invoiceId === paying)}
          onClose={() => {
            setPaying(null);
            owed.reload();
          }}
        />
      )}
      <h2>{t('payables.list')}</h2>
      <DataTable
        label={t('payables.list')}
        rows={rows}
        columns={columns}
        rowKey={(row) => row.id}
        loading={owed.loading}
        exportName="payables"
      />
    </>
  );
}

function PaymentForm({ invoiceId, rows, onClose }: { invoiceId: string; rows: Row[]; onClose: () => void }) {
  const { t } = useTranslation(['core', 'common']);
  const format = useFormat();
  const currency = rows[0]?.currency ?? 'CNY';
  const number = rows[0]?.invoiceNumber ?? invoiceId;
  const max = sumDecimals(rows.map((row) => row.outstanding));
  const [amount, setAmount] = useState(max);
  const [paidOn, setPaidOn] = useState(today());
  const [problem, setProblem] = useState<string | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [key] = useState(() => `console-payment-${crypto.randomUUID()}`);
  const valid =
    /^\d+(\.\d+)?$/.test(amount) && compareDecimal(amount, '0') > 0 && compareDecimal(amount, max) <= 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const input = { invoiceId, amount, paidOn, idempotencyKey: key };
    const outcome = await prepareStatement(
      async () => (await request(preparePayment, { input })).preparePayment,
    );
    setProblem(outcome.problem ?? null);
    if (outcome.prepared) setPrepared(outcome.prepared);
  }

  return (
    <section className="card" aria-labelledby="pay-title">
      <h2 id="pay-title">{t('payables.payTitle', { number })}</h2>
      <p className="help">{t('payables.payHelp')}</p>
      {done ? (
        <>
          <p role="status" className="ok">
            {done}
          </p>
          <button type="button" className="secondary" onClick={onClose}>
            {t('common:common.close')}
          </button>
        </>
      ) : prepared ? (
        <StatementReview
          prepared={prepared}
          onCancel={() => setPrepared(null)}
          onDone={(submitted) => setDone(t('payables.paid', { id: submitted.eventId }))}
        />
      ) : (
        <form onSubmit={submit}>
          <label htmlFor="pay-amount">
            {t('payables.payAmount')} ({currency})
          </label>
          <input
            id="pay-amount"
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value.trim())}
            aria-invalid={!valid}
            aria-describedby="pay-amount-help"
          />
          <p id="pay-amount-help" className={valid ? 'help' : 'error'}>
            {valid ? format.amount(amount, currency) : t('payables.amountInvalid', { max })}
          </p>
          <label htmlFor="paid-on">{t('payables.paidOn')}</label>
          <input
            id="paid-on"
            type="date"
            value={paidOn}
            onChange={(event) => setPaidOn(event.target.value)}
          />
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={!valid}>
              {t('payables.payPrepare')}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {t('common:common.close')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
