import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/language-switch';

export function SignIn({ onSignIn }: { onSignIn: (apiKey: string) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [apiKey, setApiKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(await onSignIn(apiKey.trim()));
    setBusy(false);
  }

  return (
    <main className="sign-in">
      <header className="sign-in-header">
        <h1>{t('app.name')}</h1>
        <LanguageSwitch />
      </header>
      <p className="tagline">{t('app.tagline')}</p>
      <form onSubmit={submit} className="card">
        <h2>{t('signIn.title')}</h2>
        <label htmlFor="api-key">{t('signIn.apiKey')}</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          aria-describedby="api-key-help"
          required
        />
        <p id="api-key-help" className="help">
          {t('signIn.apiKeyHelp')}
        </p>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy || apiKey.trim() === ''}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
