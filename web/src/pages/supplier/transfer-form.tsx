/** Split and pass: part of a held receivable to another supplier, reviewed and signed as a statement. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPages, pageOf } from '../../api/all-pages';
import { request } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { useFormat } from '../../components/money';
import { compareDecimal, scaleOf } from '../../format/decimal';
import { currencyDigits } from '../../format/format';
import { useSession } from '../../session/session';
import { prepareStatement } from '../../signing/prepare';
import { type Prepared, StatementReview } from '../../signing/statement-review';

const suppliersQuery = graphql(`
  query Suppliers($after: String) {
    parties(first: 100, after: $after) {
      edges { node { id legalName roles } }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

const prepareTransfer = graphql(`
  mutation PrepareTransfer($input: ReceivableTransferInput!) {
    prepareReceivableTransfer(input: $input) {
      __typename
      ... on PreparedStatement { statement eventHash kind }
      ... on DomainError { code message field }
    }
  }
`);

export function TransferForm(props: {
  receivable: { id: string; outstanding: string; currency: string; obligor: { id: string } };
  onClose: () => void;
  /** Called once the transfer is recorded, so the page can show the new numbers at once. */
  onRecorded: () => void;
}) {
  const { t } = useTranslation(['supplier', 'common']);
  const format = useFormat();
  const { party } = useSession();
  const { receivable } = props;
  const suppliers = useLoader(
    () =>
      allPages(async (after) => pageOf((await request(suppliersQuery, { after })).parties)).then((all) =>
        all
          .filter(
            (other) =>
              other.roles.includes('SUPPLIER') && other.id !== party.id && other.id !== receivable.obligor.id,
          )
          .sort((a, b) => a.legalName.localeCompare(b.legalName)),
      ),
    party.id,
  );
  const [toPartyId, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [key] = useState(() => `console-transfer-${crypto.randomUUID()}`);
  const digits = currencyDigits(receivable.currency);
  const valid =
    /^\d+(\.\d+)?$/.test(amount) &&
    scaleOf(amount) <= digits &&
    compareDecimal(amount, '0') > 0 &&
    compareDecimal(amount, receivable.outstanding) <= 0;
  const toName = suppliers.value?.find((other) => other.id === toPartyId)?.legalName ?? '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const input = { receivableId: receivable.id, toPartyId, amount, idempotencyKey: key };
    const outcome = await prepareStatement(
      async () => (await request(prepareTransfer, { input })).prepareReceivableTransfer,
    );
    setProblem(outcome.problem ?? null);
    if (outcome.prepared) setPrepared(outcome.prepared);
  }

  return (
    <section className="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('transfer.title')}</h2>
      <p className="help">{t('transfer.help')}</p>
      {done ? (
        <>
          <p role="status" className="ok">
            {done}
          </p>
          <button type="button" className="secondary" onClick={props.onClose}>
            {t('common:common.close')}
          </button>
        </>
      ) : prepared ? (
        <StatementReview
          prepared={prepared}
          onCancel={() => setPrepared(null)}
          onDone={(submitted) => {
            props.onRecorded();
            setDone(
              t('transfer.done', {
                amount: format.amount(amount, receivable.currency),
                name: toName,
                id: submitted.eventId,
              }),
            );
          }}
        />
      ) : (
        <form onSubmit={submit}>
          <label htmlFor="transfer-to">{t('transfer.to')}</label>
          <select id="transfer-to" value={toPartyId} onChange={(event) => setTo(event.target.value)} required>
            <option value="">{t('transfer.choose')}</option>
            {(suppliers.value ?? []).map((other) => (
              <option key={other.id} value={other.id}>
                {other.legalName}
              </option>
            ))}
          </select>
          <label htmlFor="transfer-amount">
            {t('transfer.amount')} ({receivable.currency})
          </label>
          <input
            id="transfer-amount"
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value.trim())}
            aria-invalid={amount !== '' && !valid}
            aria-describedby="transfer-amount-help"
          />
          <p id="transfer-amount-help" className={amount === '' || valid ? 'help' : 'error'}>
            {valid
              ? format.amount(amount, receivable.currency)
              : t('transfer.amountInvalid', {
                  max: format.amount(receivable.outstanding, receivable.currency),
                })}
          </p>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="submit" disabled={!valid || toPartyId === ''}>
              {t('transfer.prepare')}
            </button>
            <button type="button" className="secondary" onClick={props.onClose}>
              {t('common:signing.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
