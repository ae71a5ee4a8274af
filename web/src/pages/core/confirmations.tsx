/**
 * The payables clerk's inbox: invoices issued to the core enterprise and not yet confirmed, each
 * beside its document chain and the checks the ledger ran on it; confirming goes through the
 * statement review (signed in the page when the enterprise holds its own key).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages, pageOf } from '../../api/all-pages';
import { request } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { type Column, DataTable } from '../../components/data-table';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { href, navigate } from '../../router';
import { useSession } from '../../session/session';
import { prepareStatement } from '../../signing/prepare';
import { type Prepared, StatementReview } from '../../signing/statement-review';
import { InvoiceChainView } from './invoice-chain';

const invoicesQuery = graphql(`
  query InvoicesToConfirm($after: String) {
    documents(kind: INVOICE, first: 100, after: $after) {
      edges { node { id documentNumber documentDate dueDate total currency status buyer { id } seller { id legalName } } }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

const prepareConfirmation = graphql(`
  mutation PrepareInvoiceConfirmation($input: InvoiceConfirmationInput!) {
    prepareInvoiceConfirmation(input: $input) {
      __typename
      ... on PreparedStatement { statement eventHash kind }
      ... on DomainError { code message field }
    }
  }
`);

type Invoice = {
  id: string;
  documentNumber: string;
  documentDate: string;
  dueDate: string | null;
  total: string | null;
  currency: string;
  status: string;
  buyer: { id: string };
  seller: { id: string; legalName: string };
};

export default function Confirmations({ path }: { path: string[] }) {
  const { t } = useTranslation(['core', 'common']);
  const format = useFormat();
  const { party } = useSession();
  const selectedId = path[0] ?? null;
  const invoices = useLoader(
    () =>
      allPages(async (after) => pageOf((await request(invoicesQuery, { after })).documents)).then((all) =>
        all.filter((invoice) => invoice.status === 'ISSUED' && invoice.buyer.id === party.id),
      ),
    party.id,
  );
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const rows: Invoice[] = invoices.value ?? [];
  const selected = rows.find((invoice) => invoice.id === selectedId) ?? null;

  const columns: Column<Invoice>[] = [
    {
      id: 'number',
      header: t('confirmations.number'),
      text: (row) => row.documentNumber,
      cell: (row) => (
        <a
          href={href('confirmations', row.id)}
          aria-label={`${t('confirmations.review')} ${row.documentNumber}`}
        >
          {row.documentNumber}
        </a>
      ),
    },
    {
      id: 'seller',
      header: t('confirmations.seller'),
      text: (row) => row.seller.legalName,
      width: 'minmax(0, 2fr)',
    },
    { id: 'issued', header: t('confirmations.issued'), text: (row) => format.date(row.documentDate) },
    { id: 'due', header: t('common:common.dueDate'), text: (row) => format.date(row.dueDate) },
    {
      id: 'total',
      header: t('common:common.amount'),
      text: (row) => format.amount(row.total, row.currency),
      numeric: true,
    },
  ];

  async function prepare(invoice: Invoice) {
    setProblem(null);
    setDone(null);
    // One key per invoice: confirming it twice is one confirmation, replayed.
    const input = { invoiceId: invoice.id, idempotencyKey: `console-confirm-${invoice.id}` };
    const outcome = await prepareStatement(
      async () => (await request(prepareConfirmation, { input })).prepareInvoiceConfirmation,
    );
    setProblem(outcome.problem ?? null);
    if (outcome.prepared) setPrepared(outcome.prepared);
  }

  return (
    <>
      <h1>{t('confirmations.title')}</h1>
      <p className="help">{t('confirmations.help')}</p>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {invoices.error ? (
        <PageState error={invoices.error} reload={invoices.reload} />
      ) : (
        <DataTable
          label={t('confirmations.list')}
          rows={rows}
          columns={columns}
          rowKey={(row) => row.id}
          selectedKey={selectedId}
          loading={invoices.loading}
          visibleRows={Math.min(Math.max(rows.length, 3), 6)}
        />
      )}
      {selected && (
        <section aria-labelledby="chain-title" className="chain">
          <h2 id="chain-title">{t('confirmations.chain', { number: selected.documentNumber })}</h2>
          <InvoiceChainView invoiceId={selected.id} />
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          {prepared ? (
            <StatementReview
              prepared={prepared}
              onCancel={() => setPrepared(null)}
              onDone={(submitted) => {
                setPrepared(null);
                setDone(
                  t('confirmations.confirmed', { number: selected.documentNumber, id: submitted.eventId }),
                );
                navigate('confirmations');
                invoices.reload();
              }}
            />
          ) : (
            <div className="actions">
              <button type="button" onClick={() => prepare(selected)}>
                {t('confirmations.confirm')}
              </button>
              <a href={href('confirmations')}>{t('confirmations.back')}</a>
            </div>
          )}
        </section>
      )}
    </>
  );
}
