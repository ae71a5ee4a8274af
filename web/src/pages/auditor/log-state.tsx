/**
 * Log state: the latest checkpoint (tree size, root hash, when it was signed), its signature checked
 * here with the log key pinned at sign-in (not with whatever key the server names now), the witness
 * cosignatures it carries, each checked when it is one of the caller's own witnesses, whose keys the
 * caller registered; and those witnesses.
 */
import './auditor.css';
import { useTranslation } from 'react-i18next';
import { isDomainError } from '../../api/client';
import { graphql } from '../../api/graphql';
import { useQuery } from '../../api/use-query';
import { useFormat } from '../../components/money';
import { PageState } from '../../components/page-state';
import { formatNumber } from '../../format/format';
import { useSession } from '../../session/session';
import { checkCheckpoint, checkCosignature } from '../../verify/verify-bundle';

const logStateQuery = graphql(`
  query LogState {
    checkpoint {
      __typename
      ... on Checkpoint {
        treeSize
        rootHash
        createdAt
        cosignedNote
        cosignatures { witness witnessId cosignedAt signatureLine }
      }
      ... on DomainError { code message field }
    }
    witnesses { id name verifierKey createdAt }
  }
`);

export default function LogStatePage() {
  const { t, i18n } = useTranslation('auditor');
  const format = useFormat();
  const { logKey } = useSession();
  const { data, error, reload } = useQuery(logStateQuery, {});
  const checkpoint = data && !isDomainError(data.checkpoint) ? data.checkpoint : null;
  const problem = data && isDomainError(data.checkpoint) ? data.checkpoint.message : null;
  const check =
    checkpoint?.__typename === 'Checkpoint' ? checkCheckpoint(checkpoint.cosignedNote, logKey) : null;
  const witnessKeys = new Map((data?.witnesses ?? []).map((witness) => [witness.id, witness.verifierKey]));
  return (
    <>
      <h1>{t('log.title')}</h1>
      <p className="help">{t('log.intro')}</p>
      <section className="card" aria-labelledby="log-key-title">
        <h2 id="log-key-title">{t('verify.pinnedKey')}</h2>
        <p className="key-text">{logKey || t('verify.noKey')}</p>
      </section>
      {!data && <PageState error={error} reload={reload} />}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {checkpoint?.__typename === 'Checkpoint' && check && (
        <section className="card" aria-labelledby="checkpoint-title">
          <h2 id="checkpoint-title">{t('log.checkpoint')}</h2>
          {check.ok ? (
            check.treeSize === String(checkpoint.treeSize) ? (
              <p role="status" className="verdict pass">
                {t('log.signatureOk')}
              </p>
            ) : (
              <p role="alert" className="verdict fail">
                {t('log.sizeMismatch', { signed: check.treeSize, stated: checkpoint.treeSize })}
              </p>
            )
          ) : (
            <p role="alert" className="verdict fail">
              {t('log.signatureBad', { reason: check.reason })}
            </p>
          )}
          <dl className="facts">
            <dt>{t('log.treeSize')}</dt>
            <dd data-testid="tree-size">{formatNumber(checkpoint.treeSize, i18n.language)}</dd>
            {check.ok && (
              <>
                <dt>{t('log.origin')}</dt>
                <dd>{check.origin}</dd>
              </>
            )}
            <dt>{t('log.rootHash')}</dt>
            <dd className="hex">{checkpoint.rootHash}</dd>
            <dt>{t('log.createdAt')}</dt>
            <dd>{format.dateTime(checkpoint.createdAt)}</dd>
          </dl>
          <details>
            <summary>{t('log.note')}</summary>
            <pre className="statement">{checkpoint.cosignedNote}</pre>
          </details>
        </section>
      )}
      {checkpoint?.__typename === 'Checkpoint' && (
        <section className="card" aria-labelledby="cosignatures-title">
          <h2 id="cosignatures-title">{t('log.cosignatures')}</h2>
          {checkpoint.cosignatures.length === 0 ? (
            <p className="help">{t('log.noCosignatures')}</p>
          ) : (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">{t('log.witness')}</th>
                  <th scope="col">{t('log.cosignedAt')}</th>
                  <th scope="col">{t('log.checked')}</th>
                  <th scope="col">{t('log.signatureLine')}</th>
                </tr>
              </thead>
              <tbody>
                {checkpoint.cosignatures.map((cosignature) => {
                  const key = witnessKeys.get(cosignature.witnessId);
                  const verdict = key ? checkCosignature(checkpoint.cosignedNote, key) : null;
                  return (
                    <tr key={`${cosignature.witnessId}:${cosignature.signatureLine}`}>
                      <td>{cosignature.witness}</td>
                      <td>{format.dateTime(cosignature.cosignedAt)}</td>
                      <td className={verdict === null ? undefined : verdict.ok ? 'ok' : 'error'}>
                        {verdict === null
                          ? t('log.notYours')
                          : verdict.ok
                            ? t('log.cosignatureOk')
                            : t('log.cosignatureBad', { reason: verdict.reason })}
                      </td>
                      <td className="hex">{cosignature.signatureLine}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      )}
      {data && (
        <section className="card" aria-labelledby="witnesses-title">
          <h2 id="witnesses-title">{t('log.yourWitnesses')}</h2>
          {data.witnesses.length === 0 ? (
            <p className="help">{t('log.noWitnesses')}</p>
          ) : (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">{t('log.witnessName')}</th>
                  <th scope="col">{t('log.registeredAt')}</th>
                  <th scope="col">{t('log.verifierKey')}</th>
                </tr>
              </thead>
              <tbody>
                {data.witnesses.map((witness) => (
                  <tr key={witness.id}>
                    <td>{witness.name}</td>
                    <td>{format.dateTime(witness.createdAt)}</td>
                    <td className="hex">{witness.verifierKey}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
