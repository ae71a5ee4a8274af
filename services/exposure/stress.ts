/**
 * Default stress with pass-through, as a pure function over claim edges of one currency. Rule:
 *
 *   level 1:   each holder h of claims on the defaulted obligor O loses floor(LGD x claim(h -> O))
 *   level k+1: a level-k party X that lost L(X) of the claims it holds, A(X) (every obligor, same
 *              currency), has the loss share s(X) = min(1, L(X) / A(X)); each creditor h of X in no
 *              earlier level loses floor(s(X) x claim(h -> X)), summed over the level-k parties it
 *              holds claims on.
 *
 * Shares stay exact rationals of bigints and each edge is floored once, so the answer does not
 * depend on the order edges arrive in. Breadth first: a party appears once, at its first level; the
 * obligor itself never.
 */
import { assert } from '../assert.js';
import { decimalParts, quoted } from '../money/decimal-text.js';
import { fail, ok, type Result } from '../result.js';

/** LGD has at most six decimals, as rates do. */
export const lossGivenDefaultScale = 6;
export const lossGivenDefaultDenominator = 10n ** BigInt(lossGivenDefaultScale);
/** How many levels of pass-through a stress test may follow. */
export const stressDepthMax = 8;

/** The claims `holderPartyId` holds on `obligorPartyId` in one currency, summed. */
export interface ClaimEdge {
  holderPartyId: string;
  obligorPartyId: string;
  claimMinor: bigint;
  /** The part of claimMinor the holder holds through financing (receivable.financed_by set). */
  financedMinor: bigint;
}

export interface StressInput {
  obligorPartyId: string;
  /** LGD in millionths: 0.4 is 400000n. */
  lossGivenDefaultMicros: bigint;
  maxDepth: number;
  /** At least the edges from each party reached into the level before it; more are ignored. */
  edges: readonly ClaimEdge[];
  /** A(X): every claim X holds in the currency, for each party reached. */
  heldMinor: ReadonlyMap<string, bigint>;
}

/** An exact non-negative rational, reduced. */
export interface Share {
  numerator: bigint;
  denominator: bigint;
}

export interface StressedParty {
  partyId: string;
  level: number;
  lossMinor: bigint;
  /** Its claims on the parties of the level before (or on the obligor at level 1). */
  exposedMinor: bigint;
  heldMinor: bigint;
  share: Share;
}

export interface StressedLender {
  lenderPartyId: string;
  level: number;
  /** Its financed claims on the parties of the level before, and what it loses on them. */
  financedExposedMinor: bigint;
  financedLossMinor: bigint;
}

export interface StressResult {
  parties: StressedParty[];
  lenders: StressedLender[];
  totalLossMinor: bigint;
}

/**
 * "0.4" -> 400000n millionths, between 0 and 1 inclusive, at most six decimals.
 *
 * Failure codes: invalid_input.
 */
export function parseLossGivenDefault(text: string, field = 'lossGivenDefault'): Result<bigint> {
  const parts = decimalParts(text);
  const refuse = (why: string) => fail('invalid_input', `${field}: ${quoted(text)} ${why}`, field);
  if (!parts) return refuse('is not a decimal string such as "0.4"');
  if (parts.negative) return refuse('is negative: a loss given default is at least 0');
  if (parts.fraction.length > lossGivenDefaultScale)
    return refuse(`has more than ${lossGivenDefaultScale} decimals`);
  const micros = BigInt(parts.whole + parts.fraction.padEnd(lossGivenDefaultScale, '0'));
  if (micros > lossGivenDefaultDenominator) return refuse('is above 1: a loss given default is at most 1');
  return ok(micros);
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** min(1, loss / held), reduced; 0/1 when nothing is held. */
export function shareOf(lossMinor: bigint, heldMinor: bigint): Share {
  if (heldMinor <= 0n || lossMinor <= 0n) return { numerator: 0n, denominator: 1n };
  if (lossMinor >= heldMinor) return { numerator: 1n, denominator: 1n };
  const divisor = gcd(lossMinor, heldMinor);
  return { numerator: lossMinor / divisor, denominator: heldMinor / divisor };
}

interface Accrual {
  lossMinor: bigint;
  exposedMinor: bigint;
  financedExposedMinor: bigint;
  financedLossMinor: bigint;
}

function accrue(into: Map<string, Accrual>, edge: ClaimEdge, share: Share): void {
  const found = into.get(edge.holderPartyId) ?? {
    lossMinor: 0n,
    exposedMinor: 0n,
    financedExposedMinor: 0n,
    financedLossMinor: 0n,
  };
  found.lossMinor += (share.numerator * edge.claimMinor) / share.denominator;
  found.exposedMinor += edge.claimMinor;
  found.financedExposedMinor += edge.financedMinor;
  found.financedLossMinor += (share.numerator * edge.financedMinor) / share.denominator;
  into.set(edge.holderPartyId, found);
}

/** Edges grouped by obligor, so each level reads only the claims on the level before. */
function creditorsByObligor(edges: readonly ClaimEdge[]): Map<string, ClaimEdge[]> {
  const byObligor = new Map<string, ClaimEdge[]>();
  for (const edge of edges) {
    assert(edge.claimMinor >= 0n && edge.financedMinor >= 0n, 'stress: claims are not negative');
    assert(edge.financedMinor <= edge.claimMinor, 'stress: the financed part is within the claim');
    const list = byObligor.get(edge.obligorPartyId) ?? [];
    list.push(edge);
    byObligor.set(edge.obligorPartyId, list);
  }
  return byObligor;
}

export function stress(input: StressInput): StressResult {
  assert(input.lossGivenDefaultMicros >= 0n, 'stress: LGD is at least 0');
  assert(input.lossGivenDefaultMicros <= lossGivenDefaultDenominator, 'stress: LGD is at most 1');
  assert(input.maxDepth >= 1 && input.maxDepth <= stressDepthMax, 'stress: depth within bounds');
  const byObligor = creditorsByObligor(input.edges);
  const visited = new Set([input.obligorPartyId]);
  const parties: StressedParty[] = [];
  const lenders: StressedLender[] = [];
  let frontier = new Map<string, Share>([
    [
      input.obligorPartyId,
      { numerator: input.lossGivenDefaultMicros, denominator: lossGivenDefaultDenominator },
    ],
  ]);
  for (let level = 1; level <= input.maxDepth && frontier.size > 0; level += 1) {
    const reached = new Map<string, Accrual>();
    for (const [obligorPartyId, share] of frontier) {
      for (const edge of byObligor.get(obligorPartyId) ?? []) {
        if (!visited.has(edge.holderPartyId) && edge.claimMinor > 0n) accrue(reached, edge, share);
      }
    }
    const next = new Map<string, Share>();
    for (const [partyId, accrual] of [...reached].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      visited.add(partyId);
      const heldMinor = input.heldMinor.get(partyId) ?? accrual.exposedMinor;
      const share = shareOf(accrual.lossMinor, heldMinor);
      next.set(partyId, share);
      parties.push({
        partyId,
        level,
        lossMinor: accrual.lossMinor,
        exposedMinor: accrual.exposedMinor,
        heldMinor,
        share,
      });
      if (accrual.financedExposedMinor > 0n) {
        lenders.push({
          lenderPartyId: partyId,
          level,
          financedExposedMinor: accrual.financedExposedMinor,
          financedLossMinor: accrual.financedLossMinor,
        });
      }
    }
    frontier = next;
  }
  const totalLossMinor = parties.reduce((sum, party) => sum + party.lossMinor, 0n);
  return { parties, lenders, totalLossMinor };
}
