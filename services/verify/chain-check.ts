/**
 * Completeness and meaning of a proof bundle. The log's signed chain head says how long the
 * invoice's fact chain was at the checkpoint and which fact ends it; every fact names the one
 * before it in refs[0]. Walking back from the head through the bundle finds every fact, or names
 * the one left out. Replaying the facts (receivables/tree-replay.ts) then gives the receivable's
 * state in business terms, and shows that the bundle's receivable is one the chain created.
 * Pure: no database, no network; runs after every event's hash, signature and inclusion checked.
 */
import { z } from 'zod';
import type { Checkpoint } from '../ledger/checkpoint.js';
import { formatAmount } from '../money/money.js';
import { type ChainFact, replayChain } from '../receivables/tree-replay.js';
import type { BundleEvent, ProofBundle } from './bundle-file.js';
import { openChainHead } from './chain-head.js';
import { eventLabel } from './key-binding.js';

export interface ProvenReceivable {
  receivableId: string;
  invoiceId: string;
  /** Party id, with its registered legal name when the bundle holds its registration. */
  obligor: string;
  holder: string;
  tier: number;
  currency: string;
  face: string;
  transferred: string;
  settled: string;
  credited: string;
  outstanding: string;
  dueDate: string;
  status: string;
  onHold: boolean;
  /** Facts of the chain, in order, signed by the platform with a key it holds for the party. */
  custodialFacts: string[];
  chainLength: number;
}

export type ChainOutcome = { failed: string } | { proven: ProvenReceivable };

const envelopeSchema = z.object({
  kind: z.string(),
  actor: z.string(),
  counterparty: z.string().nullable(),
  refs: z.array(z.string()),
  payload: z.record(z.string(), z.unknown()),
});
type Envelope = z.infer<typeof envelopeSchema>;

function envelopeOf(event: BundleEvent): Envelope | null {
  if (event.statement === null) return null;
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(event.statement));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Link {
  event: BundleEvent;
  position: number;
  envelope: Envelope | null;
}

/** The chain from its first fact to the head, or the sentence naming what is missing. */
function walkChain(
  bundle: ProofBundle,
  head: { chainId: string; length: number; headEventHash: string },
): Link[] | string {
  const positions = new Map(bundle.events.map((event, position) => [event.eventHash, position]));
  const links: Link[] = [];
  let wanted = head.headEventHash;
  for (let index = head.length - 1; index >= 0; index--) {
    const name = `link ${index + 1} of ${head.length} of the chain of invoice ${head.chainId} (event ${wanted.slice(0, 8)}…)`;
    const position = positions.get(wanted);
    const event = position === undefined ? undefined : bundle.events[position];
    if (position === undefined || event === undefined)
      return `${name} is not in the bundle: a fact was left out`;
    const envelope = envelopeOf(event);
    if (index > 0) {
      if (envelope === null) return `${name}, ${eventLabel(event, position)}, carries no readable statement`;
      const previous = envelope.refs[0];
      if (previous === undefined)
        return `${name}, ${eventLabel(event, position)}, names no earlier fact in refs[0]`;
      wanted = previous;
    } else if (
      envelope !== null &&
      (envelope.kind !== 'invoice.issued' || envelope.payload.documentId !== head.chainId)
    ) {
      return `${name}, ${eventLabel(event, position)}, is not the issue of invoice ${head.chainId}`;
    }
    links.unshift({ event, position, envelope });
  }
  return links;
}

/** partyId -> "Legal Name (partyId)" from the registrations the bundle holds. */
function partyNames(bundle: ProofBundle): Map<string, string> {
  const names = new Map<string, string>();
  for (const event of bundle.events) {
    const envelope = envelopeOf(event);
    if (envelope?.kind !== 'party.registered') continue;
    const { partyId, legalName } = envelope.payload;
    if (typeof partyId === 'string' && typeof legalName === 'string')
      names.set(partyId, `${legalName} (${partyId})`);
  }
  return names;
}

export function chainOutcome(
  bundle: ProofBundle,
  checkpoint: Checkpoint,
  logPublicKey: Buffer,
  checks: string[],
): ChainOutcome {
  const head = openChainHead(bundle.chainHead, logPublicKey);
  if (typeof head === 'string') return { failed: `chain head: ${head}` };
  if (head.origin !== checkpoint.origin || BigInt(head.treeSize) !== checkpoint.treeSize) {
    return { failed: `chain head: it is for ${head.origin} at size ${head.treeSize}, not this checkpoint` };
  }
  if (head.rootHash !== checkpoint.rootHash.toString('hex')) {
    return { failed: "chain head: its root hash is not the checkpoint's" };
  }
  checks.push(
    `chain head: signed by the log key for this checkpoint: invoice ${head.chainId} had ${head.length} facts`,
  );
  const links = walkChain(bundle, head);
  if (typeof links === 'string') return { failed: `chain: ${links}` };
  checks.push(`chain: all ${head.length} facts are in the bundle, each naming the one before it`);
  const facts: ChainFact[] = [];
  // The first link is the invoice's issue (it names it by documentId); every later one names it.
  for (const [index, link] of links.entries()) {
    if (link.envelope === null) continue;
    const stated = link.envelope.payload.invoiceId;
    if (index > 0 && typeof stated === 'string' && stated !== head.chainId) {
      return {
        failed: `chain: ${eventLabel(link.event, link.position)} names invoice ${stated}, not ${head.chainId}`,
      };
    }
    facts.push({ eventId: link.event.eventId, ...link.envelope });
  }
  const replay = replayChain(facts);
  if (!replay.ok) {
    const fact = links.find((link) => link.event.eventId === facts[replay.position]?.eventId);
    const label = fact ? eventLabel(fact.event, fact.position) : `fact ${replay.position}`;
    return { failed: `chain: ${label} does not follow from the facts before it: ${replay.reason}` };
  }
  const node = replay.state.tree.find((candidate) => candidate.id === bundle.receivableId);
  if (!node) {
    return {
      failed: `receivable: ${bundle.receivableId} is not created by any fact of the chain of invoice ${head.chainId}`,
    };
  }
  checks.push(`receivable: ${bundle.receivableId} is created by a fact of the chain`);
  const names = partyNames(bundle);
  const amount = (minor: bigint) => formatAmount(minor, node.currency);
  return {
    proven: {
      receivableId: node.id,
      invoiceId: head.chainId,
      obligor: names.get(node.obligorPartyId) ?? node.obligorPartyId,
      holder: names.get(node.holderPartyId) ?? node.holderPartyId,
      tier: node.tier,
      currency: node.currency,
      face: amount(node.faceMinor),
      transferred: amount(node.transferredMinor),
      settled: amount(node.settledMinor),
      credited: amount(node.creditedMinor),
      outstanding: amount(node.outstandingMinor),
      dueDate: node.dueDate,
      status: node.status,
      onHold: node.onHold,
      custodialFacts: links
        .filter((link) => link.event.custodial)
        .map((link) => eventLabel(link.event, link.position)),
      chainLength: head.length,
    },
  };
}
