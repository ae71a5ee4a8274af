/**
 * Fact chains: the facts about one subject (an invoice and its receivable tree) in the order they
 * were recorded, each naming the one before it in refs[0], so that leaving one out of a proof
 * bundle breaks the chain. Links are insert-only; (chain_id, position) is the primary key, so two
 * writers that both read the same head cannot both append after it: one gets a unique violation or
 * a serialization failure and runs again, reading the new head.
 */
import type { Db, Trx } from '../db/transaction.js';

export interface ChainLink {
  chainId: string;
  position: number;
  eventId: string;
  eventHash: Buffer;
}

/** The last link of a chain. */
export async function findChainHead(trx: Trx, chainId: string): Promise<ChainLink | undefined> {
  const row = await trx
    .selectFrom('fact_chain_link')
    .selectAll()
    .where('chain_id', '=', chainId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { chainId, position: Number(row.position), eventId: row.event_id, eventHash: row.event_hash };
}

export async function insertChainLink(trx: Trx, link: ChainLink): Promise<void> {
  await trx
    .insertInto('fact_chain_link')
    .values({
      chain_id: link.chainId,
      position: BigInt(link.position),
      event_id: link.eventId,
      event_hash: link.eventHash,
    })
    .execute();
}

/** Every link of a chain, first first. */
export async function findChainLinks(db: Db | Trx, chainId: string): Promise<ChainLink[]> {
  const rows = await db
    .selectFrom('fact_chain_link')
    .selectAll()
    .where('chain_id', '=', chainId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    chainId,
    position: Number(row.position),
    eventId: row.event_id,
    eventHash: row.event_hash,
  }));
}
