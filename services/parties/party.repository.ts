import type { Selectable } from 'kysely';
import type { PartyTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { Party } from './party.js';

function toParty(row: Selectable<PartyTable>): Party {
  return {
    id: row.id,
    legalName: row.legal_name,
    registrationScheme: row.registration_scheme,
    registrationId: row.registration_id,
    roles: row.roles,
    parentPartyId: row.parent_party_id,
    createdAt: row.created_at,
  };
}

export async function insertParty(trx: Trx, party: Omit<Party, 'createdAt'>): Promise<Party> {
  const row = await trx
    .insertInto('party')
    .values({
      id: party.id,
      legal_name: party.legalName,
      registration_scheme: party.registrationScheme,
      registration_id: party.registrationId,
      roles: party.roles,
      parent_party_id: party.parentPartyId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toParty(row);
}

const primed = new WeakMap<Db | Trx, ReadonlyMap<string, Party>>();

/**
 * Tells `trx` the parties it will look up, read once inside it for a batch of facts (no fact changes
 * a party row, so they stand for the whole transaction).
 */
export function primeParties(trx: Trx, parties: readonly Party[]): void {
  primed.set(trx, new Map(parties.map((party) => [party.id, party])));
}

/**
 * Reads, in one query, the parties of `ids` that `trx` was not told of yet, and tells it: a fact's
 * check and its event append then look them up without a round trip each.
 */
export async function primePartiesOf(trx: Trx, ids: readonly string[]): Promise<void> {
  const known = primed.get(trx);
  const missing = ids.filter((id) => !known?.has(id));
  if (missing.length === 0) return;
  const rows = await trx.selectFrom('party').selectAll().where('id', 'in', missing).execute();
  primed.set(trx, new Map([...(known ?? []), ...rows.map((row) => [row.id, toParty(row)] as const)]));
}

export async function findPartiesByIds(db: Db | Trx, ids: readonly string[]): Promise<Party[]> {
  if (ids.length === 0) return [];
  const known = primed.get(db);
  if (known && ids.every((id) => known.has(id))) return ids.flatMap((id) => known.get(id) ?? []);
  const rows = await db.selectFrom('party').selectAll().where('id', 'in', ids).execute();
  return rows.map(toParty);
}

export async function findPartyById(db: Db | Trx, id: string): Promise<Party | undefined> {
  const [party] = await findPartiesByIds(db, [id]);
  return party;
}

export async function registrationIdTaken(trx: Trx, registrationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('party')
    .select('id')
    .where('registration_id', '=', registrationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Keyset page of parties in id order. */
export async function countParties(db: Db | Trx): Promise<number> {
  const row = await db
    .selectFrom('party')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listParties(db: Db | Trx, page: PageRequest<string>): Promise<Party[]> {
  let query = db
    .selectFrom('party')
    .selectAll()
    .orderBy('id', page.inverted ? 'desc' : 'asc')
    .limit(page.limit);
  if (page.after !== null) query = query.where('id', '>', page.after);
  if (page.before !== null) query = query.where('id', '<', page.before);
  return (await query.execute()).map(toParty);
}
