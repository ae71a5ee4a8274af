/**
 * The synthetic supply chain as rows, generated deterministically from a seed: core enterprises,
 * suppliers on tiers 1 to 5 each selling to one buyer a tier up (chosen Zipf-like, so a few buyers
 * have most suppliers), lenders; then receivable trees: an invoice's confirmed receivable (tier 0),
 * parts split off to the holder's own suppliers one tier deeper, parts financed by lenders, and
 * payments settling trees in full or in part. The ledger's rules hold row by row: outstanding = face
 * − transferred − settled − credited; a child keeps its parent's obligor, currency, due date and
 * invoice; tiers stay within seedTierMax; allocations sum to their payment.
 */
import { withLeiCheck } from '../../services/parties/registration-id.js';
import { idMaker, mulberry32, zipf } from './random.js';

/** The deepest receivable tier (and supplier tier) the seed writes: within the ledger's tierMax. */
export const seedTierMax = 5;

export interface SeedPlan {
  parties: number;
  receivables: number;
  seed: number;
  /** The day the chain is seen from (YYYY-MM-DD): due dates and timestamps are placed around it. */
  today: string;
  /** Distinguishes the ids of runs into one database (--force); '' for the first. */
  namespace: string;
  /** Receivables per batch, each batch written in one transaction. */
  batchReceivables: number;
}

export interface SeedParty {
  id: string;
  legalName: string;
  registrationId: string;
  role: 'core_enterprise' | 'supplier' | 'lender';
  /** 0 for a core enterprise, 1..5 for a supplier, -1 for a lender. */
  tier: number;
}

export interface SeedLayout {
  parties: SeedParty[];
  cores: string[];
  lenders: string[];
  /** suppliersByTier[t]: the suppliers of tier t (index 0 is empty). */
  suppliersByTier: string[][];
}

export interface SeedEvent {
  id: string;
  kind: string;
  at: Date;
}

export interface SeedReceivable {
  id: string;
  invoiceId: string;
  parentId: string | null;
  rootId: string;
  tier: number;
  obligorPartyId: string;
  holderPartyId: string;
  currency: string;
  faceMinor: bigint;
  transferredMinor: bigint;
  settledMinor: bigint;
  dueDate: string;
  status: 'open' | 'partially_settled' | 'settled' | 'defaulted';
  onHold: boolean;
  financedBy: string | null;
  createdEventId: string;
  createdAt: Date;
}

export interface SeedDocument {
  id: string;
  eventId: string;
  buyerPartyId: string;
  sellerPartyId: string;
  currency: string;
  documentNumber: string;
  documentDate: string;
  dueDate: string;
  totalMinor: bigint;
  createdAt: Date;
}

export interface SeedPayment {
  id: string;
  invoiceId: string;
  eventId: string;
  payerPartyId: string;
  currency: string;
  amountMinor: bigint;
  paidOn: string;
  createdAt: Date;
  allocations: Array<{ receivableId: string; holderPartyId: string; amountMinor: bigint }>;
}

export interface SeedFinancing {
  id: string;
  parent: SeedReceivable;
  child: SeedReceivable;
  lenderPartyId: string;
  requestedEventId: string;
  offerId: string;
  offerEventId: string;
  disbursedEventId: string;
  createdAt: Date;
  advanceDate: string;
  days: number;
  rateMicros: bigint;
  discountMinor: bigint;
}

export interface SeedBatch {
  events: SeedEvent[];
  documents: SeedDocument[];
  receivables: SeedReceivable[];
  payments: SeedPayment[];
  financings: SeedFinancing[];
  /** Per root with a financed part: the root's face and the principal financed on it. */
  financedRoots: Array<{ rootId: string; faceMinor: bigint; financedMinor: bigint }>;
}

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function count(total: number, share: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.ceil(total * share)));
}

/** An LEI with its check digits, unique per (seed, index): LOU-like prefix, "00", the index. */
function registrationId(prefix: string, index: number): string {
  return withLeiCheck(`${prefix}00${index.toString(36).toUpperCase().padStart(12, '0')}`);
}

export interface SeedChain {
  layout: SeedLayout;
  /** The receivables, batch by batch; once per chain (it draws from the chain's generator). */
  batches(): Generator<SeedBatch>;
}

export function supplyChain(plan: SeedPlan): SeedChain {
  const random = mulberry32(plan.seed);
  const newId = idMaker(`tradeproof-seed/${plan.seed}/${plan.namespace}`);
  const lou = `S${(plan.seed % 46_656).toString(36).toUpperCase().padStart(3, '0')}`;
  const cores = count(plan.parties, 1 / 2000, 3, 10);
  const lenders = count(plan.parties, 1 / 1000, 2, 10);
  const supplierTotal = Math.max(seedTierMax, plan.parties - cores - lenders);
  // Deeper tiers hold more suppliers, as real chains fan out: weights 1..5 of 15.
  const perTier = [0, 1, 2, 3, 4, 5].map((weight) => Math.floor((supplierTotal * weight) / 15));
  perTier[seedTierMax] = (perTier[seedTierMax] ?? 0) + supplierTotal - perTier.reduce((a, b) => a + b, 0);
  const parties: SeedParty[] = [];
  const namespaceTag = plan.namespace === '' ? '' : ` ${plan.namespace}`;
  const add = (role: SeedParty['role'], tier: number, label: string) => {
    const party: SeedParty = {
      id: newId(),
      legalName: `Seed ${label} ${parties.length + 1}${namespaceTag}`,
      registrationId: registrationId(lou, parties.length + Number(plan.namespace || 0)),
      role,
      tier,
    };
    parties.push(party);
    return party.id;
  };
  const layout: SeedLayout = {
    parties,
    cores: Array.from({ length: cores }, () => add('core_enterprise', 0, 'core enterprise')),
    lenders: Array.from({ length: lenders }, () => add('lender', -1, 'lender')),
    suppliersByTier: [[]],
  };
  const buyerOf = new Map<string, string>();
  const suppliersOf = new Map<string, string[]>();
  const tierOf = new Map<string, number>(layout.cores.map((id) => [id, 0]));
  for (let tier = 1; tier <= seedTierMax; tier++) {
    const buyers = tier === 1 ? layout.cores : (layout.suppliersByTier[tier - 1] ?? []);
    const chooseBuyer = zipf(buyers.length);
    const tierIds: string[] = [];
    for (let index = 0; index < (perTier[tier] ?? 0); index++) {
      const id = add('supplier', tier, `tier-${tier} supplier`);
      const buyer = buyers[chooseBuyer(random)] as string;
      buyerOf.set(id, buyer);
      tierOf.set(id, tier);
      const list = suppliersOf.get(buyer) ?? [];
      list.push(id);
      suppliersOf.set(buyer, list);
      tierIds.push(id);
    }
    layout.suppliersByTier.push(tierIds);
  }
  const chooseLender = zipf(layout.lenders.length, 0.8);
  const todayMs = Date.parse(`${plan.today}T00:00:00Z`);
  let invoiceNumber = 0;

  /** One invoice's receivable tree, at most `budget` receivables; its events, payment, financings. */
  function tree(budget: number, into: SeedBatch): number {
    // The obligor: a core enterprise half the time, else a supplier of tiers 1..4 (owing its own supplier).
    const draw = random.next();
    const obligorTier = draw < 0.5 ? 0 : draw < 0.7 ? 1 : draw < 0.85 ? 2 : draw < 0.95 ? 3 : 4;
    const seller = random.pick(layout.suppliersByTier[obligorTier + 1] ?? []);
    const obligor = buyerOf.get(seller) as string;
    const currency = random.next() < 0.9 ? 'CNY' : 'USD';
    const createdMs = todayMs - (1 + random.int(200)) * dayMs + random.int(dayMs);
    const dueDate = isoDay(createdMs + (30 + random.int(170)) * dayMs);
    const event = (kind: string, atMs: number) => {
      const id = newId();
      into.events.push({ id, kind, at: new Date(atMs) });
      return id;
    };
    const rootEvent = event('seed.invoice_confirmed', createdMs);
    const invoiceId = newId();
    const faceMinor = BigInt(Math.floor(10 ** (5 + 4 * random.next() ** 2)));
    invoiceNumber += 1;
    into.documents.push({
      id: invoiceId,
      eventId: rootEvent,
      buyerPartyId: obligor,
      sellerPartyId: seller,
      currency,
      documentNumber: `SEED-${plan.seed}${plan.namespace === '' ? '' : `-${plan.namespace}`}-${invoiceNumber}`,
      documentDate: isoDay(createdMs),
      dueDate,
      totalMinor: faceMinor,
      createdAt: new Date(createdMs),
    });
    const rootId = newId();
    const root: SeedReceivable = {
      id: rootId,
      invoiceId,
      parentId: null,
      rootId,
      tier: 0,
      obligorPartyId: obligor,
      holderPartyId: seller,
      currency,
      faceMinor,
      transferredMinor: 0n,
      settledMinor: 0n,
      dueDate,
      status: 'open',
      onHold: false,
      financedBy: null,
      createdEventId: rootEvent,
      createdAt: new Date(createdMs),
    };
    const parts = [root];
    let financedMinor = 0n;
    const outstanding = (part: SeedReceivable) => part.faceMinor - part.transferredMinor - part.settledMinor;
    const childOf = (
      parent: SeedReceivable,
      holder: string,
      amount: bigint,
      kind: string,
      financedBy: string | null,
    ) => {
      const atMs = Math.min(todayMs - 60_000, parent.createdAt.getTime() + random.int(10 * dayMs));
      parent.transferredMinor += amount;
      const child: SeedReceivable = {
        ...parent,
        id: newId(),
        parentId: parent.id,
        tier: parent.tier + 1,
        holderPartyId: holder,
        faceMinor: amount,
        transferredMinor: 0n,
        settledMinor: 0n,
        financedBy,
        createdEventId: event(kind, atMs),
        createdAt: new Date(Math.max(atMs, parent.createdAt.getTime())),
      };
      parts.push(child);
      return child;
    };
    // Breadth first: each supplier's part may be split to its own suppliers, then partly financed.
    for (let index = 0; index < parts.length && parts.length < budget; index++) {
      const part = parts[index] as SeedReceivable;
      const holderTier = tierOf.get(part.holderPartyId) ?? -1;
      if (holderTier < 1 || part.tier >= seedTierMax) continue;
      const below = suppliersOf.get(part.holderPartyId) ?? [];
      if (below.length > 0 && holderTier < seedTierMax && random.next() < 0.7) {
        const splits = 1 + random.int(3);
        for (let split = 0; split < splits && parts.length < budget; split++) {
          const amount = (outstanding(part) * BigInt(5 + random.int(30))) / 100n;
          if (amount < 1n) break;
          childOf(part, random.pick(below), amount, 'seed.receivable_split', null);
        }
      }
      if (parts.length < budget && random.next() < 0.06 && outstanding(part) >= 100n) {
        const amount = (outstanding(part) * BigInt(50 + random.int(40))) / 100n;
        const lender = layout.lenders[chooseLender(random)] as string;
        const financingId = newId();
        const requestedMs = part.createdAt.getTime() + random.int(dayMs);
        const requestedEventId = event('seed.financing_requested', requestedMs);
        const offerEventId = event('seed.financing_offered', requestedMs + 3_600_000);
        const child = childOf(part, lender, amount, 'seed.financing_disbursed', financingId);
        const advanceMs = Math.min(child.createdAt.getTime(), Date.parse(`${dueDate}T00:00:00Z`));
        const days = Math.max(0, Math.round((Date.parse(`${dueDate}T00:00:00Z`) - advanceMs) / dayMs));
        const rateMicros = 30_000n + BigInt(random.int(40_000));
        into.financings.push({
          id: financingId,
          parent: part,
          child,
          lenderPartyId: lender,
          requestedEventId,
          offerId: newId(),
          offerEventId,
          disbursedEventId: child.createdEventId,
          createdAt: new Date(requestedMs),
          advanceDate: isoDay(advanceMs),
          days,
          rateMicros,
          discountMinor: (amount * rateMicros * BigInt(days)) / (360n * 1_000_000n),
        });
        financedMinor += amount;
      }
    }
    // The tree's fate: settled or defaulted once due, paid in part, or still open; a few parts on hold.
    const due = dueDate < plan.today;
    const fate = random.next();
    const owed = parts.filter((part) => outstanding(part) > 0n);
    if (fate < 0.15 && due) {
      payment(into, owed, (part) => outstanding(part), 'settled', parts);
    } else if (fate < 0.3) {
      payment(into, owed, (part) => outstanding(part) / 2n, 'partially_settled', parts);
    } else if (fate < 0.33 && due) {
      for (const part of owed) part.status = 'defaulted';
    }
    for (const part of parts) if (random.next() < 0.02 && part.status !== 'settled') part.onHold = true;
    into.receivables.push(...parts);
    if (financedMinor > 0n) into.financedRoots.push({ rootId, faceMinor, financedMinor });
    return parts.length;

    function payment(
      batch: SeedBatch,
      owedParts: SeedReceivable[],
      amountOf: (part: SeedReceivable) => bigint,
      status: 'settled' | 'partially_settled',
      allParts: SeedReceivable[],
    ) {
      const paidMs = Math.min(todayMs - dayMs, Date.parse(`${dueDate}T00:00:00Z`));
      const allocations = owedParts
        .map((part) => ({ part, amountMinor: amountOf(part) }))
        .filter((allocation) => allocation.amountMinor > 0n);
      if (allocations.length === 0) return;
      for (const { part, amountMinor } of allocations) {
        part.settledMinor += amountMinor;
        part.status = outstanding(part) === 0n ? 'settled' : status;
      }
      // A tree paid in full is settled in every part, the ones split away to nothing included.
      if (status === 'settled') for (const part of allParts) part.status = 'settled';
      batch.payments.push({
        id: newId(),
        invoiceId,
        eventId: event('seed.payment', Math.max(paidMs, createdMs)),
        payerPartyId: obligor,
        currency,
        amountMinor: allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n),
        paidOn: isoDay(Math.max(paidMs, createdMs)),
        createdAt: new Date(Math.max(paidMs, createdMs)),
        allocations: allocations.map(({ part, amountMinor }) => ({
          receivableId: part.id,
          holderPartyId: part.holderPartyId,
          amountMinor,
        })),
      });
    }
  }

  function* batches(): Generator<SeedBatch> {
    let written = 0;
    while (written < plan.receivables) {
      const batch: SeedBatch = {
        events: [],
        documents: [],
        receivables: [],
        payments: [],
        financings: [],
        financedRoots: [],
      };
      while (batch.receivables.length < plan.batchReceivables && written < plan.receivables) {
        written += tree(plan.receivables - written, batch);
      }
      yield batch;
    }
  }

  return { layout, batches };
}
