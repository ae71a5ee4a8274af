/**
 * How the fact pipeline keeps fact chains (fact-chain.repository.ts): where a fact goes, the head it
 * names in refs[0], and its link once appended. Submit locks the chain's subject (FOR UPDATE on the
 * invoice row: a lock needs UPDATE rights, which the app has on documents but, rightly, not on the
 * insert-only links) before its checks, so concurrent facts about one invoice queue on CockroachDB
 * instead of restarting each other, and each check sees the state its predecessor left.
 */
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import type { LedgerEvent } from './event.js';
import type { FactLinks, FactSpec } from './fact.js';
import { findChainHead, insertChainLink } from './fact-chain.repository.js';

export interface ChainPlace {
  chainId: string;
  position: number;
  /** The head the fact names in refs[0] (lowercase hex); null for the first link. */
  headHash: string | null;
}

/**
 * Where the fact goes in its chain; null for a fact of no chain, or when its chain cannot be found
 * (the fact's check then says what is missing).
 */
export async function placeInChain(
  trx: Trx,
  spec: Pick<FactSpec<Record<string, unknown>>, 'chain'>,
  payload: Record<string, unknown>,
  options: { lock: boolean },
): Promise<ChainPlace | null> {
  if (!spec.chain) return null;
  const chainId = await spec.chain.of(trx, payload, options);
  if (chainId === null) return null;
  if (spec.chain.starts) return { chainId, position: 0, headHash: null };
  const head = await findChainHead(trx, chainId);
  if (!head) return null;
  return { chainId, position: head.position + 1, headHash: head.eventHash.toString('hex') };
}

/** The fact's links with its chain's head first in refs (and not again later). */
export function chainedLinks(
  spec: Pick<FactSpec<Record<string, unknown>>, 'kind' | 'chain'>,
  links: FactLinks,
  place: ChainPlace | null,
): FactLinks {
  // A fact that passed its checks names an invoice that exists, and every invoice starts a chain.
  assert(spec.chain === undefined || place !== null, `${spec.kind}: its chain has no head`);
  if (place?.headHash == null) return links;
  const head = place.headHash;
  return { counterparty: links.counterparty, refs: [head, ...links.refs.filter((ref) => ref !== head)] };
}

export async function appendToChain(trx: Trx, place: ChainPlace | null, event: LedgerEvent): Promise<void> {
  if (place === null) return;
  await insertChainLink(trx, {
    chainId: place.chainId,
    position: place.position,
    eventId: event.id,
    eventHash: event.eventHash,
  });
}
