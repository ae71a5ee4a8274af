/**
 * The last step of every write: the prepared statement in readable form, then a signature made in
 * this page from the party's key file (or none, for a custodial party), then submitStatement. The
 * event hash is recomputed here, so what is shown is what is signed, whatever the server said.
 */
import { type ChangeEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isDomainError, request } from '../api/client';
import { graphql } from '../api/graphql';
import { useSession } from '../session/session';
import { type BrowserKey, parseKeyFile } from './key-file';
import { eventHashOf, signStatement } from './sign';

const submitMutation = graphql(`
  mutation SubmitStatement($statement: String!, $signature: HexBytes) {
    submitStatement(statement: $statement, signature: $signature) {
      __typename
      ... on SubmittedStatement { replayed event { id kind leafIndex } }
      ... on DomainError { code message field }
    }
  }
`);

export interface Prepared {
  statement: string;
  eventHash: string;
  kind: string;
}

export interface Submitted {
  eventId: string;
  replayed: boolean;
}

function flatten(value: unknown, prefix: string, into: [string, string][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (Array.isArray(value)) {
    for (const [index, inner] of value.entries()) flatten(inner, `${prefix}[${index + 1}]`, into);
  } else {
    into.push([prefix, value === null ? '—' : String(value)]);
  }
}

/** The statement's fields, one per row ("payload.lines[1].quantity"), in the order they were signed. */
export function statementFields(statement: string): [string, string][] {
  const rows: [string, string][] = [];
  try {
    flatten(JSON.parse(statement), '', rows);
  } catch {
    rows.push(['statement', statement]);
  }
  return rows;
}

export function StatementReview(props: {
  prepared: Prepared;
  onDone: (submitted: Submitted) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { activeKey } = useSession();
  const [key, setKey] = useState<BrowserKey | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selfSigned = activeKey !== null && !activeKey.custodial;
  const hash = eventHashOf(props.prepared.statement);
  const keyProblem =
    key && activeKey && key.keyId !== activeKey.keyId
      ? t('signing.keyMismatch', { keyId: key.keyId.slice(0, 16), expected: activeKey.keyId.slice(0, 16) })
      : null;

  async function loadKey(event: ChangeEvent<HTMLInputElement>) {
    setProblem(null);
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setKey(await parseKeyFile(await file.text()));
    } catch (error) {
      setKey(null);
      setProblem(`${file.name}: ${(error as Error).message}`);
    }
  }

  async function submit() {
    setBusy(true);
    setProblem(null);
    try {
      const signature =
        selfSigned && key ? await signStatement(props.prepared.statement, key.privateKey) : null;
      const answer = await request(submitMutation, { statement: props.prepared.statement, signature });
      const result = answer.submitStatement;
      if (isDomainError(result)) setProblem(result.message);
      else if (result.__typename === 'SubmittedStatement') {
        props.onDone({ eventId: result.event.id, replayed: result.replayed });
      }
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const ready = !selfSigned || (key !== null && keyProblem === null);
  return (
    <section className="card" aria-labelledby="review-title">
      <h3 id="review-title">{t('signing.review')}</h3>
      <p className="help">{t('signing.reviewHelp')}</p>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('signing.field')}</th>
            <th scope="col">{t('signing.value')}</th>
          </tr>
        </thead>
        <tbody>
          {statementFields(props.prepared.statement).map(([field, value]) => (
            <tr key={field}>
              <td>{field}</td>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('signing.raw')}</summary>
        <pre className="statement">{props.prepared.statement}</pre>
        <p className="help">
          {t('signing.eventHash')}: <code>{hash}</code>
        </p>
      </details>
      {selfSigned ? (
        <>
          <label htmlFor="key-file">{t('signing.keyFile')}</label>
          <input id="key-file" type="file" accept=".json,application/json" onChange={loadKey} />
          <p className="help">{t('signing.keyFileHelp')}</p>
          {key && !keyProblem && (
            <p className="ok">{t('signing.keyLoaded', { keyId: key.keyId.slice(0, 16) })}</p>
          )}
          {keyProblem && (
            <p role="alert" className="error">
              {keyProblem}
            </p>
          )}
        </>
      ) : (
        <p className="help">{t('signing.custodial')}</p>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={!ready || busy} onClick={submit}>
          {selfSigned ? t('signing.signAndSubmit') : t('signing.submit')}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('signing.cancel')}
        </button>
      </div>
    </section>
  );
}
