/**
 * Who is signed in: the party behind the session's API key, its roles and signing key, and the log
 * key pinned when the session began. Every screen reads it through useSession().
 */
import { createContext, type ReactNode, useContext } from 'react';
import type { ResultOf } from '../api/graphql';
import { graphql } from '../api/graphql';

export const signInQuery = graphql(`
  query SignIn {
    me {
      id
      legalName
      roles
      keys { keyId custodial status }
    }
    logVerifierKey
  }
`);

export type Me = ResultOf<typeof signInQuery>['me'];

export interface Session {
  party: Me;
  /** The key id the party signs with now, and whether the platform holds it. */
  activeKey: { keyId: string; custodial: boolean } | null;
  logKey: string;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a signed-in page');
  return session;
}

export function activeKeyOf(party: Me): Session['activeKey'] {
  const key = party.keys.find((candidate) => candidate.status === 'ACTIVE');
  return key ? { keyId: key.keyId, custodial: key.custodial } : null;
}
