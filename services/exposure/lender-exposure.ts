/**
 * A lender's concentration, as pure arithmetic over what it holds through financing. Per currency
 * (amounts in different currencies do not add): each obligor's and each ownership group's share of
 * the portfolio in basis points, and the Herfindahl index of obligor shares,
 *
 *   HHI = sum of share_i squared x 10,000 = (sum of x_i squared) x 10,000 / (sum of x_i) squared
 *
 * one rational rounded half-even once, so 0 (no concentration) to 10,000 (one obligor). Shares are
 * rounded half-even each on its own, so they need not sum to exactly 10,000.
 */
import { divideHalfEven } from '../money/decimal.js';

export const basisPointsWhole = 10_000n;

export interface ObligorHolding {
  obligorPartyId: string;
  groupTopPartyId: string;
  currency: string;
  outstandingMinor: bigint;
}

export interface Concentration {
  partyId: string;
  outstandingMinor: bigint;
  shareBasisPoints: bigint;
}

export interface CurrencyPortfolio {
  currency: string;
  totalMinor: bigint;
  /** Largest first, then by id. */
  obligors: Concentration[];
  groups: Concentration[];
  herfindahlBasisPoints: bigint;
}

export function basisPointsOf(part: bigint, whole: bigint): bigint {
  return whole === 0n ? 0n : divideHalfEven(part * basisPointsWhole, whole);
}

export function herfindahlBasisPoints(amounts: readonly bigint[]): bigint {
  const total = amounts.reduce((sum, amount) => sum + amount, 0n);
  if (total === 0n) return 0n;
  const squares = amounts.reduce((sum, amount) => sum + amount * amount, 0n);
  return divideHalfEven(squares * basisPointsWhole, total * total);
}

function ranked(sums: Map<string, bigint>, total: bigint): Concentration[] {
  return [...sums]
    .map(([partyId, outstandingMinor]) => ({
      partyId,
      outstandingMinor,
      shareBasisPoints: basisPointsOf(outstandingMinor, total),
    }))
    .sort((a, b) =>
      a.outstandingMinor !== b.outstandingMinor
        ? a.outstandingMinor > b.outstandingMinor
          ? -1
          : 1
        : a.partyId < b.partyId
          ? -1
          : 1,
    );
}

function addTo(sums: Map<string, bigint>, key: string, amount: bigint): void {
  sums.set(key, (sums.get(key) ?? 0n) + amount);
}

/** Holdings with nothing outstanding are left out: they neither count nor dilute. */
export function portfolios(holdings: readonly ObligorHolding[]): CurrencyPortfolio[] {
  const currencies = [...new Set(holdings.map((holding) => holding.currency))].sort();
  return currencies.map((currency) => {
    const byObligor = new Map<string, bigint>();
    const byGroup = new Map<string, bigint>();
    for (const holding of holdings) {
      if (holding.currency !== currency || holding.outstandingMinor <= 0n) continue;
      addTo(byObligor, holding.obligorPartyId, holding.outstandingMinor);
      addTo(byGroup, holding.groupTopPartyId, holding.outstandingMinor);
    }
    const totalMinor = [...byObligor.values()].reduce((sum, amount) => sum + amount, 0n);
    return {
      currency,
      totalMinor,
      obligors: ranked(byObligor, totalMinor),
      groups: ranked(byGroup, totalMinor),
      herfindahlBasisPoints: herfindahlBasisPoints([...byObligor.values()]),
    };
  });
}
