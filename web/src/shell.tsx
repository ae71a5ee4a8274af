/** The signed-in frame: who you are, the screens your roles use, the language, sign out. */
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './components/language-switch';
import { screensFor } from './pages/registry';
import { href, useRoute } from './router';
import { useSession } from './session/session';
import { rememberLanguage } from './session/storage';

export function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const path = useRoute();
  const screens = screensFor(session.party.roles);
  const listed = screens.filter((screen) => !screen.hidden);
  const current = screens.find((screen) => screen.path === path[0]) ?? listed[0];
  const Page = current?.page;
  return (
    <div className="shell">
      <header className="top-bar">
        <span className="brand">{t('app.name')}</span>
        <span className="who">
          <span>{t('signIn.signedInAs', { name: session.party.legalName })}</span>
          <span className="roles">{session.party.roles.map((role) => t(`roles.${role}`)).join(' · ')}</span>
        </span>
        <LanguageSwitch onChange={(language) => rememberLanguage(session.party.id, language)} />
        <button type="button" className="secondary" onClick={session.signOut}>
          {t('signIn.signOut')}
        </button>
      </header>
      <nav aria-label={t('nav.label')} className="side-nav">
        <ul>
          {listed.map((screen) => (
            <li key={screen.path}>
              <a href={href(screen.path)} aria-current={screen === current ? 'page' : undefined}>
                {t(`nav.${screen.label}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <Suspense fallback={<p className="page-state">{t('state.loading')}</p>}>
          {Page && current && <Page path={path[0] === current.path ? path.slice(1) : []} />}
        </Suspense>
      </main>
    </div>
  );
}
