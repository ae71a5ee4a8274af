/**
 * Any object by its id, as `node(id)` serves it: the kind is read from the id's one owner (ids are
 * unique across kinds, see events/object-id.repository.ts), then the object is read through the same
 * visibility rule as its own query. An object the actor may not see is absent, never forbidden.
 */

import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import type { LedgerEvent } from '../events/event.js';
import { findEventsByIds } from '../events/event.repository.js';
import { kindsOfId } from '../events/object-id.repository.js';
import { type Actor, type Party, seesEverything } from '../parties/party.js';
import { findParties } from '../parties/party-directory.service.js';
import { findVisibleReceivable, type ReceivableView } from '../receivables/receivable-query.service.js';
import { findVisibleDocuments } from '../trade/document-chain.service.js';
import type { TradeDocument } from '../trade/trade-document.js';

export type LedgerObject =
  | { kind: 'party'; value: Party }
  | { kind: 'trade_document'; value: TradeDocument }
  | { kind: 'receivable'; value: ReceivableView }
  | { kind: 'event'; value: LedgerEvent };

function seesEvent(actor: Actor, event: LedgerEvent): boolean {
  return (
    seesEverything(actor) ||
    event.actorPartyId === actor.partyId ||
    event.counterpartyPartyId === actor.partyId
  );
}

/** The object with this id if the actor may see it, else null. */
export async function findVisibleObject(
  ledger: Ledger,
  actor: Actor,
  id: string,
): Promise<LedgerObject | null> {
  const [kind] = await inTransaction(ledger.db, (trx) => kindsOfId(trx, id));
  if (kind === 'party') {
    const [party] = await findParties(ledger, [id]);
    return party ? { kind, value: party } : null;
  }
  if (kind === 'trade_document') {
    const document = (await findVisibleDocuments(ledger, actor, [id])).get(id);
    return document ? { kind, value: document } : null;
  }
  if (kind === 'receivable') {
    const found = await findVisibleReceivable(ledger, actor, id);
    return found.ok ? { kind, value: found.value } : null;
  }
  if (kind === 'event') {
    const [event] = await inTransaction(ledger.db, (trx) => findEventsByIds(trx, [id]));
    return event && seesEvent(actor, event) ? { kind, value: event } : null;
  }
  return null;
}
