/**
 * The financing facts of an invoice's chain, replayed (tree-replay.ts): a request names a node of
 * the tree, and a disbursement splits the financed amount off that node to the lender exactly as a
 * transfer does. Offers, declines, acceptances and withdrawals move no amount; the replay holds
 * each to the request it names and to who may state it. Pure, like the rest of the replay.
 */
import type { Payload } from './chain-facts.js';
import type { Receivable } from './receivable.js';

/** What the replay keeps of one financing. */
export interface ReplayedFinancing {
  receivableId: string;
  holderPartyId: string;
  amount: string;
  lenderPartyIds: string[];
  /** The lender whose offer the holder accepted (the acceptance's counterparty). */
  acceptedLenderPartyId: string | null;
  open: boolean;
}

export interface FinancingFact {
  actor: string;
  counterparty: string | null;
}

type Step = { financings: Record<string, ReplayedFinancing>; tree: Receivable[] } | string;

function withFinancingId(tree: readonly Receivable[], id: string, financingId: string | null): Receivable[] {
  return tree.map((node) => (node.id === id ? { ...node, financingId } : node));
}

export function replayRequest(
  financings: Record<string, ReplayedFinancing>,
  tree: readonly Receivable[],
  fact: FinancingFact,
  payload: Payload<'financing.requested'>,
): Step {
  if (financings[payload.financingId]) return `financing ${payload.financingId} was requested before`;
  const node = tree.find((candidate) => candidate.id === payload.receivableId);
  if (!node) return `it finances ${payload.receivableId}, which is not in the tree`;
  if (node.holderPartyId !== fact.actor) return 'it is stated by a party that does not hold the receivable';
  const financing: ReplayedFinancing = {
    receivableId: node.id,
    holderPartyId: fact.actor,
    amount: payload.amount,
    lenderPartyIds: payload.lenderPartyIds,
    acceptedLenderPartyId: null,
    open: true,
  };
  return {
    financings: { ...financings, [payload.financingId]: financing },
    tree: withFinancingId(tree, node.id, payload.financingId),
  };
}

/** Offers, declines, acceptances and withdrawals: who states them, on which open request. */
export function replayAnswer(
  financings: Record<string, ReplayedFinancing>,
  tree: readonly Receivable[],
  kind: 'financing.withdrawn' | 'financing.offered' | 'financing.declined' | 'financing.offer_accepted',
  fact: FinancingFact,
  financingId: string,
): Step {
  const financing = financings[financingId];
  if (!financing) return `it names financing ${financingId}, which was never requested in this chain`;
  if (!financing.open) return `financing ${financingId} is closed`;
  const byHolder = kind === 'financing.withdrawn' || kind === 'financing.offer_accepted';
  if (byHolder && fact.actor !== financing.holderPartyId)
    return 'it is stated by a party other than the holder';
  if (!byHolder && !financing.lenderPartyIds.includes(fact.actor))
    return 'it is stated by a lender not asked';
  if (kind === 'financing.withdrawn') {
    return {
      financings: { ...financings, [financingId]: { ...financing, open: false } },
      tree: withFinancingId(tree, financing.receivableId, null),
    };
  }
  if (kind === 'financing.offer_accepted') {
    const lender = fact.counterparty;
    if (lender === null || !financing.lenderPartyIds.includes(lender))
      return 'it accepts an offer of a lender not asked';
    return {
      financings: { ...financings, [financingId]: { ...financing, acceptedLenderPartyId: lender } },
      tree: [...tree],
    };
  }
  return { financings, tree: [...tree] };
}

/** The financing the disbursement pays, checked; the split itself is a transfer's (tree-replay.ts). */
export function disbursedFinancing(
  financings: Record<string, ReplayedFinancing>,
  fact: FinancingFact,
  payload: Payload<'financing.disbursed'>,
): ReplayedFinancing | string {
  const financing = financings[payload.financingId];
  if (!financing) return `it names financing ${payload.financingId}, which was never requested in this chain`;
  if (!financing.open) return `financing ${payload.financingId} is closed`;
  if (financing.acceptedLenderPartyId !== fact.actor)
    return 'it is stated by a lender whose offer was not accepted';
  if (payload.receivableId !== financing.receivableId)
    return 'it pays against another receivable than was financed';
  if (payload.amount !== financing.amount) return 'it pays another amount than was financed';
  return financing;
}
