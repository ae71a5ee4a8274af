/**
 * "Download proof bundle": asks the ledger for the proof bundle of a receivable and saves its JSON as
 * a file, the one `npm run verify` and the console's "Verify a bundle" page check offline. Any
 * screen that shows a receivable can place it; the ledger decides who may have the bundle.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isDomainError, request } from '../api/client';
import { graphql } from '../api/graphql';
import { download } from './export';

export const proofBundleQuery = graphql(`
  query ProofBundleFile($receivableId: UUID!) {
    proofBundle(receivableId: $receivableId) {
      __typename
      ... on ProofBundle { json eventCount treeSize }
      ... on DomainError { code message field }
    }
  }
`);

export function bundleFileName(receivableId: string): string {
  return `proof-bundle-${receivableId}.json`;
}

export function BundleDownload({ receivableId }: { receivableId: string }) {
  const { t } = useTranslation('auditor');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function save() {
    setBusy(true);
    setSaved(null);
    setProblem(null);
    try {
      const answer = (await request(proofBundleQuery, { receivableId })).proofBundle;
      if (isDomainError(answer)) setProblem(t('download.failed', { message: answer.message }));
      else if (answer.__typename === 'ProofBundle') {
        const name = bundleFileName(receivableId);
        download(name, answer.json, 'application/json');
        setSaved(t('download.saved', { name, count: answer.eventCount }));
      }
    } catch (error) {
      setProblem(t('download.failed', { message: (error as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="bundle-download">
      <button type="button" className="secondary" onClick={save} disabled={busy}>
        {busy ? t('download.busy') : t('download.button')}
      </button>
      <span aria-live="polite" className="help">
        {saved}
      </span>
      {problem && (
        <span role="alert" className="error">
          {problem}
        </span>
      )}
    </span>
  );
}
