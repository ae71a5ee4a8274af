import type { Ledger } from '../services/ledger.js';
import type { Actor, Party } from '../services/parties/party.js';

/** Per request: the ledger and, once the bearer key checked out, who is calling. */
export interface Context {
  ledger: Ledger;
  actor: Actor | null;
  party: Party | null;
}
