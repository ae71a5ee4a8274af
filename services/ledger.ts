import type { Db } from './db/transaction.js';
import type { Custody } from './parties/custody.js';

/** What every service function needs besides its input and actor. */
export interface Ledger {
  db: Db;
  custody: Custody;
  /** The platform operator's party: it signs registry events (parties, keys, API keys). */
  platformPartyId: string;
}
