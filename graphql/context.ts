import type { Ledger } from '../services/context.js';
import type { LogSigner } from '../services/ledger/log-signer.js';
import type { Actor, Party } from '../services/parties/party.js';

/** Per request: the ledger and, once the bearer key checked out, who is calling. */
export interface Context {
  ledger: Ledger;
  logSigner: LogSigner;
  actor: Actor | null;
  party: Party | null;
}

/** The caller; authScopes ran before any resolver that asks, so a missing actor is a bug. */
export function actorOf(context: Context): Actor {
  if (!context.actor) throw new Error('resolver reached without an authenticated actor');
  return context.actor;
}
