/** An invoice's document chain: order, shipments, goods receipts, invoice, who signed each, and the checks. */
import { useTranslation } from 'react-i18next';
import { isDomainError, request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';
import { useLoader } from '../../api/use-loader';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { type ChainDoc, chainChecks } from './invoice-checks';

const chainQuery = graphql(`
  query InvoiceChain($id: UUID!) {
    invoice(id: $id) {
      __typename
      ... on DomainError { code message }
      ... on InvoiceChain {
        purchaseOrder { ...ChainDocumentFields }
        shipments { ...ChainDocumentFields }
        goodsReceipts { ...ChainDocumentFields }
        invoice { ...ChainDocumentFields }
      }
    }
  }
  fragment ChainDocumentFields on ChainDocument {
    document {
      id kind documentNumber documentDate dueDate currency total
      buyer { id legalName } seller { id legalName }
      lines { lineNumber itemCode description quantity unit unitPrice }
    }
    event { id actor { id legalName } custodial keyId leafIndex recordedAt }
  }
`);

type Answer = ResultOf<typeof chainQuery>['invoice'];
type Chained = Extract<Answer, { __typename: 'InvoiceChain' }>;
type Linked = Chained['invoice'];

function asChainDoc(linked: Linked): ChainDoc {
  const { document, event } = linked;
  return {
    kind: document.kind,
    documentNumber: document.documentNumber,
    documentDate: document.documentDate,
    dueDate: document.dueDate,
    currency: document.currency,
    total: document.total,
    buyerId: document.buyer.id,
    sellerId: document.seller.id,
    signerId: event.actor.id,
    lines: document.lines,
  };
}

function DocumentCard({ linked }: { linked: Linked }) {
  const { t } = useTranslation(['core', 'common']);
  const format = useFormat();
  const { document, event } = linked;
  return (
    <article
      className="card"
      aria-label={`${t(`common:documentKind.${document.kind}`)} ${document.documentNumber}`}
    >
      <h3>
        {t(`common:documentKind.${document.kind}`)} {document.documentNumber}
      </h3>
      <p className="help">
        {format.date(document.documentDate)}
        {document.dueDate ? ` → ${format.date(document.dueDate)}` : ''} ·{' '}
        {t('confirmations.signedBy', { name: event.actor.legalName })} (
        {event.custodial ? t('confirmations.custodialKey') : t('confirmations.ownKey')},{' '}
        {event.keyId.slice(0, 12)}) ·{' '}
        {event.leafIndex === null
          ? t('confirmations.pending')
          : t('confirmations.leaf', { index: event.leafIndex })}
      </p>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('confirmations.item')}</th>
            <th scope="col">{t('confirmations.description')}</th>
            <th scope="col" className="num">
              {t('confirmations.quantity')}
            </th>
            {document.lines.some((line) => line.unitPrice) && (
              <th scope="col" className="num">
                {t('confirmations.unitPrice')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {document.lines.map((line) => (
            <tr key={`${line.lineNumber ?? ''}-${line.itemCode}`}>
              <td>{line.itemCode}</td>
              <td>{line.description ?? ''}</td>
              <td className="num">
                {line.quantity} {line.unit ?? ''}
              </td>
              {document.lines.some((other) => other.unitPrice) && (
                <td className="num">
                  {line.unitPrice ? format.amount(line.unitPrice, document.currency) : ''}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {document.total && (
        <p className="num">
          <strong>
            {t('common:common.total')}: {format.amount(document.total, document.currency)}
          </strong>
        </p>
      )}
    </article>
  );
}

export function InvoiceChainView({ invoiceId }: { invoiceId: string }) {
  const { t } = useTranslation(['core', 'common']);
  const chain = useLoader(async () => {
    const answer = (await request(chainQuery, { id: invoiceId })).invoice;
    if (isDomainError(answer)) throw new Error(answer.message);
    return answer as Chained;
  }, invoiceId);
  if (!chain.value) return <PageState error={chain.error} reload={chain.reload} />;
  const linked = chain.value;
  const checks = chainChecks({
    purchaseOrder: asChainDoc(linked.purchaseOrder),
    shipments: linked.shipments.map(asChainDoc),
    goodsReceipts: linked.goodsReceipts.map(asChainDoc),
    invoice: asChainDoc(linked.invoice),
  });
  return (
    <div className="split">
      <div>
        {[linked.purchaseOrder, ...linked.shipments, ...linked.goodsReceipts, linked.invoice].map(
          (document) => (
            <DocumentCard key={document.document.id} linked={document} />
          ),
        )}
      </div>
      <section className="card" aria-labelledby="checks-title">
        <h3 id="checks-title">{t('confirmations.checks')}</h3>
        <ul className="checklist">
          {checks.map((check) => (
            <li key={check.id}>
              <span className={`badge ${check.pass ? 'pass' : 'fail'}`}>
                {check.pass ? t('check.pass') : t('check.fail')}
              </span>{' '}
              {t(`check.${check.id}`, check.detail)}
              {check.detail.items && check.detail.items !== '—' ? ` (${t('check.items', check.detail)})` : ''}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
