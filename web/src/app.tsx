/** The console: sign-in until a session exists, then the shell with the party's screens. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from './api/client';
import { activeKeyOf, type Me, type Session, SessionProvider, signInQuery } from './session/session';
import { SignIn } from './session/sign-in';
import { currentApiKey, endSession, keepSession, pinnedLogKey, rememberedLanguage } from './session/storage';
import { Shell } from './shell';

export function App() {
  const { t, i18n } = useTranslation();
  const [party, setParty] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(currentApiKey() !== null);

  const signOut = useCallback(() => {
    endSession();
    setParty(null);
  }, []);

  const begin = useCallback(
    (me: Me) => {
      const language = rememberedLanguage(me.id);
      if (language) void i18n.changeLanguage(language);
      setParty(me);
    },
    [i18n],
  );

  // A reload in the same tab keeps the session: ask the ledger who the kept key belongs to.
  useEffect(() => {
    const apiKey = currentApiKey();
    if (apiKey === null) return;
    request(signInQuery, {}, apiKey).then(
      (answer) => {
        setRestoring(false);
        begin(answer.me);
      },
      () => {
        endSession();
        setRestoring(false);
      },
    );
  }, [begin]);

  const signIn = useCallback(
    async (apiKey: string): Promise<string | null> => {
      try {
        const answer = await request(signInQuery, {}, apiKey);
        // The log key is pinned now: a bundle verified later in this session is checked against
        // this key, whatever the server says afterwards.
        keepSession(apiKey, answer.logVerifierKey);
        begin(answer.me);
        return null;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NETWORK') return t('signIn.unreachable');
        return t('signIn.refused', { message: (error as Error).message });
      }
    },
    [begin, t],
  );

  if (restoring) return <p className="page-state">{t('state.loading')}</p>;
  if (party === null) return <SignIn onSignIn={signIn} />;
  const session: Session = {
    party,
    activeKey: activeKeyOf(party),
    logKey: pinnedLogKey() ?? '',
    signOut,
  };
  return (
    <SessionProvider session={session}>
      <Shell />
    </SessionProvider>
  );
}
