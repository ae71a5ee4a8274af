/**
 * "Verify a bundle": the user drops a proof bundle file (or chooses it), and the page runs the offline
 * verifier of `npm run verify` on it, in the browser, against the log key pinned at sign-in. The
 * ledger is not asked anything: what the page shows follows from the file and the pinned key alone.
 */
import '../auditor/auditor.css';
import { type ChangeEvent, type DragEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BundleDownload } from '../../components/bundle-download';
import { useFormat } from '../../components/money';
import { useSession } from '../../session/session';
import { type ProvenReceivable, type Verification, verifyBundleText } from '../../verify/verify-bundle';

/** verifyBundleText in a worker; in this thread when no worker can start. */
function verifyOffThread(text: string, logKey: string): Promise<Verification> {
  return new Promise((resolve) => {
    let worker: Worker;
    const inThread = () => resolve(verifyBundleText(text, logKey));
    try {
      worker = new Worker(new URL('../../verify/verify-worker.ts', import.meta.url), { type: 'module' });
    } catch {
      inThread();
      return;
    }
    worker.onmessage = (event: MessageEvent<Verification>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      inThread();
    };
    worker.postMessage({ text, logKey });
  });
}

type Checked = { name: string; result: Verification } | { name: string; unreadable: string };

export default function VerifyPage() {
  const { t } = useTranslation('auditor');
  const { logKey } = useSession();
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const [reading, setReading] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);

  async function check(file: File | undefined) {
    if (!file) return;
    setChecked(null);
    setReading(file.name);
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setReading(null);
      setChecked({ name: file.name, unreadable: (error as Error).message });
      return;
    }
    setChecked({ name: file.name, result: await verifyOffThread(text, logKey) });
    setReading(null);
  }

  function dropped(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    void check(event.dataTransfer.files[0]);
  }

  function chosen(event: ChangeEvent<HTMLInputElement>) {
    void check(event.target.files?.[0]);
    // Choosing the same file again (after editing it) runs the checks again.
    event.target.value = '';
  }

  return (
    <>
      <h1>{t('verify.title')}</h1>
      <p className="help">{t('verify.intro')}</p>
      <section className="card" aria-labelledby="pinned-key-title">
        <h2 id="pinned-key-title">{t('verify.pinnedKey')}</h2>
        {logKey ? (
          <p className="key-text" data-testid="pinned-log-key">
            {logKey}
          </p>
        ) : (
          <p className="error">{t('verify.noKey')}</p>
        )}
        <p className="help">{t('verify.pinnedKeyHelp')}</p>
      </section>
      <section
        className={`drop-zone${dragging ? ' active' : ''}`}
        aria-label={t('verify.drop')}
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={dropped}
      >
        <p>{t('verify.drop')}</p>
        <p className="help">{t('verify.or')}</p>
        <label htmlFor={inputId}>{t('verify.choose')}</label>
        <input
          id={inputId}
          type="file"
          accept=".json,application/json"
          onChange={chosen}
          aria-describedby={`${inputId}-help`}
        />
        <p id={`${inputId}-help`} className="help">
          {t('verify.chooseHelp')}
        </p>
      </section>
      <FetchBundle />
      <div className="verify-result" aria-live="polite">
        {reading && <p className="page-state">{t('verify.reading', { name: reading })}</p>}
        {checked && <Result checked={checked} />}
      </div>
    </>
  );
}

/** Saving a receivable's bundle from the ledger, to check it here (or anywhere) afterwards. */
function FetchBundle() {
  const { t } = useTranslation('auditor');
  const [receivableId, setReceivableId] = useState('');
  const id = receivableId.trim();
  return (
    <details className="card fetch-bundle">
      <summary>{t('verify.fetchTitle')}</summary>
      <p className="help">{t('verify.fetchHelp')}</p>
      <label htmlFor="bundle-receivable">{t('verify.receivableId')}</label>
      <div className="actions">
        <input
          id="bundle-receivable"
          value={receivableId}
          onChange={(event) => setReceivableId(event.target.value)}
          spellCheck={false}
          autoComplete="off"
          size={40}
        />
        {/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) && (
          <BundleDownload receivableId={id} />
        )}
      </div>
    </details>
  );
}

function Result({ checked }: { checked: Checked }) {
  const { t } = useTranslation('auditor');
  if ('unreadable' in checked) {
    return (
      <p role="alert" className="verdict fail">
        {t('verify.unreadable', { name: checked.name, message: checked.unreadable })}
      </p>
    );
  }
  const { result } = checked;
  const verdict = result.valid ? (
    <p role="status" className="verdict pass">
      {t('verify.valid')}
    </p>
  ) : (
    <p role="alert" className="verdict fail">
      {t('verify.invalid', { reason: result.failed })}
    </p>
  );
  return (
    <>
      {verdict}
      {result.valid && result.proven && <Proven proven={result.proven} />}
      <section className="card" aria-labelledby="checks-title">
        <h2 id="checks-title">{t('verify.checksOf', { name: checked.name })}</h2>
        <p className="help">{t('verify.passedCount', { count: result.checks.length })}</p>
        <ol className="checklist">
          {result.checks.map((line, index) => (
            // Lines can repeat (one per event); their position is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is never reordered
            <li key={index} className="pass">
              <span className="mark" aria-hidden="true">
                ✓
              </span>
              <span>{line}</span>
            </li>
          ))}
          {!result.valid && (
            <li className="fail">
              <span className="mark" aria-hidden="true">
                ✗
              </span>
              <span>
                <span className="visually-hidden">{t('verify.failedCheck')}: </span>
                {result.failed}
              </span>
            </li>
          )}
        </ol>
      </section>
    </>
  );
}

function Proven({ proven }: { proven: ProvenReceivable }) {
  const { t } = useTranslation('auditor');
  const { t: common } = useTranslation();
  const format = useFormat();
  const money = (amount: string) => format.amount(amount, proven.currency);
  const today = new Date().toISOString().slice(0, 10);
  const pastDue = ['open', 'partially_settled'].includes(proven.status) && proven.dueDate < today;
  const statusKey = proven.status.toUpperCase();
  const status = common(`status.${statusKey}` as 'status.OPEN', { defaultValue: statusKey });
  const rows: Array<[string, string]> = [
    [t('verify.receivable'), proven.receivableId],
    [t('verify.tier'), String(proven.tier)],
    [t('verify.invoice'), proven.invoiceId],
    [t('verify.obligor'), proven.obligor],
    [t('verify.holder'), proven.holder],
    [t('verify.face'), money(proven.face)],
    [t('verify.transferred'), money(proven.transferred)],
    [t('verify.settled'), money(proven.settled)],
    [t('verify.credited'), money(proven.credited)],
    [t('verify.outstanding'), money(proven.outstanding)],
    [t('verify.dueDate'), format.date(proven.dueDate)],
    [
      t('verify.status'),
      [status, pastDue ? t('verify.overdue') : null, proven.onHold ? t('verify.onHold') : null]
        .filter(Boolean)
        .join(', '),
    ],
    [t('verify.facts'), t('verify.factsValue', { count: proven.chainLength })],
  ];
  return (
    <section className="card" aria-labelledby="proven-title">
      <h2 id="proven-title">{t('verify.proven')}</h2>
      <dl className="facts">
        {rows.map(([name, value]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <dt>{t('verify.custodial')}</dt>
        <dd>
          {proven.custodialFacts.length === 0 ? (
            t('verify.custodialNone')
          ) : (
            <ul>
              {proven.custodialFacts.map((fact) => (
                <li key={fact}>{fact}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <p className="help">{t('verify.custodialHelp')}</p>
    </section>
  );
}
