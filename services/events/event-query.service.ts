/** Reading events: a party sees the events it is actor or counterparty of; auditors and admins see all. */

import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import { type Actor, seesEverything } from '../parties/party.js';
import type { LedgerEvent } from './event.js';
import { countEvents, type EventCursor, listEvents } from './event.repository.js';

/** How many events listVisibleEvents pages through. */
export function countVisibleEvents(ledger: Ledger, actor: Actor): Promise<number> {
  const viewer = seesEverything(actor) ? null : actor.partyId;
  return inTransaction(ledger.db, (trx) => countEvents(trx, viewer));
}

export function listVisibleEvents(
  ledger: Ledger,
  actor: Actor,
  page: PageRequest<EventCursor>,
): Promise<LedgerEvent[]> {
  const viewer = seesEverything(actor) ? null : actor.partyId;
  return inTransaction(ledger.db, (trx) => listEvents(trx, viewer, page));
}
