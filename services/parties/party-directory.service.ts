/**
 * Reading parties for the API. The directory (names, registration ids, roles, public keys) is open
 * to every authenticated caller: counterparties must find each other, and a verifier needs the keys.
 * A party's API keys are shown only to whoever manages the party. GraphQL fields and loaders call
 * these, never a repository.
 */

import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import { listApiKeysOfParty } from './api-key.repository.js';
import { type Actor, type ApiKey, mayManage, type Party, type PartyKey } from './party.js';
import { countParties, findPartiesByIds, listParties } from './party.repository.js';
import { listKeysOfParties } from './party-key.repository.js';

export function findParties(ledger: Ledger, ids: readonly string[]): Promise<Party[]> {
  return inTransaction(ledger.db, (trx) => findPartiesByIds(trx, ids));
}

/** A keyset page of the directory, in id order. */
export function listPartyDirectory(ledger: Ledger, page: PageRequest<string>): Promise<Party[]> {
  return inTransaction(ledger.db, (trx) => listParties(trx, page));
}

/** How many parties the directory lists. */
export function countPartyDirectory(ledger: Ledger): Promise<number> {
  return inTransaction(ledger.db, (trx) => countParties(trx));
}

/** Every key of each party, oldest first. */
export function findKeysOfParties(ledger: Ledger, partyIds: readonly string[]): Promise<PartyKey[]> {
  return inTransaction(ledger.db, (trx) => listKeysOfParties(trx, partyIds));
}

/** The party's API keys (never their secrets), or null unless the actor manages the party. */
export async function findApiKeysOfParty(
  ledger: Ledger,
  actor: Actor | null,
  partyId: string,
): Promise<ApiKey[] | null> {
  if (!actor || !mayManage(actor, partyId)) return null;
  return inTransaction(ledger.db, (trx) => listApiKeysOfParty(trx, partyId));
}
