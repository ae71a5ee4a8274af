import { useTranslation } from 'react-i18next';

/** Loading and failure, in the space the content will take. */
export function PageState({ error, reload }: { error: Error | null; reload?: () => void }) {
  const { t } = useTranslation();
  if (!error) return <p className="page-state">{t('state.loading')}</p>;
  return (
    <div className="page-state" role="alert">
      <p className="error">{t('state.failed', { message: error.message })}</p>
      {reload && (
        <button type="button" className="secondary" onClick={reload}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}
