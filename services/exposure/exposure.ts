/**
 * Exposure through the claim graph, as types and pure rules. A claim is a receivable neither settled
 * nor cancelled with something outstanding; its amount is that outstanding. Claims give the graph an
 * edge holder -> obligor per currency. A part split off and passed to a deeper supplier keeps the
 * original obligor, so it is that supplier's claim on the obligor; its tier is its number of splits
 * (transfer hops, a financing's part counting one) from the obligor's confirmed receivable.
 *
 * UPSTREAM of a party: who is exposed to it. Depth 1 holds claims on it; depth k+1 holds claims on a
 * depth-k party and was not reached before. DOWNSTREAM: what it is exposed to, the same walk from
 * holder to obligor. Breadth first, so each party appears once, at its shortest depth; the party
 * itself never.
 */
import type { ReceivableStatus } from '../../schema/database.js';
import { isCurrencyCode } from '../money/money.js';
import { fail, ok, type Result } from '../result.js';

export const exposureDirections = ['upstream', 'downstream'] as const;
export type ExposureDirection = (typeof exposureDirections)[number];

/** The deepest walk a query may ask for: each level is one more scan of the claims. */
export const exposureDepthMax = 8;

/** Stored statuses a claim may have: the complement of settled and cancelled (the schema's CHECK). */
export const claimStatuses = ['open', 'partially_settled', 'defaulted'] as const satisfies ReceivableStatus[];

/** A claim amount broken down by what threatens it; the parts may overlap (on hold and overdue). */
export interface ClaimAmounts {
  claimMinor: bigint;
  overdueMinor: bigint;
  defaultedMinor: bigint;
  onHoldMinor: bigint;
}

/** One party reached by the walk. */
export interface ExposureRow extends ClaimAmounts {
  partyId: string;
  depth: number;
  /**
   * UPSTREAM: this party's claims on the party asked about; DOWNSTREAM: the asked party's claims on
   * this one. Zero when the party is only reached through others.
   */
  directClaimMinor: bigint;
  /**
   * claimMinor (and its breakdown) is what links this party to the parties of the previous depth:
   * UPSTREAM its claims on them, DOWNSTREAM their claims on it. At depth 1 it equals the direct claim.
   * tierMin and tierMax are the shallowest and deepest tiers of those claims.
   */
  tierMin: number;
  tierMax: number;
}

export interface DepthTotals extends ClaimAmounts {
  depth: number;
  partyCount: number;
  directClaimMinor: bigint;
}

/**
 * The claims that join one party of depth - 1 (`near`; at depth 1, the party asked about) to one of
 * depth (`far`): UPSTREAM far's claims on near, DOWNSTREAM near's claims on far. A party's links sum
 * to its claimMinor, so they draw the walk edge by edge.
 */
export interface ExposureLink {
  depth: number;
  nearPartyId: string;
  farPartyId: string;
  claimMinor: bigint;
}

/** Links by depth, then far party, then near party: the order of their cursors. */
export function byLinkOrder(a: ExposureLink, b: ExposureLink): number {
  if (a.depth !== b.depth) return a.depth - b.depth;
  if (a.farPartyId !== b.farPartyId) return a.farPartyId < b.farPartyId ? -1 : 1;
  return a.nearPartyId < b.nearPartyId ? -1 : a.nearPartyId > b.nearPartyId ? 1 : 0;
}

export interface Exposure {
  partyId: string;
  direction: ExposureDirection;
  maxDepth: number;
  currency: string;
  /** The instant answered for; null for now. */
  asOf: Date | null;
  /** Due dates before this day count as overdue (overdueCutoff of the day asked, with the policy). */
  overdueCutoff: string;
  rows: ExposureRow[];
  totals: DepthTotals[];
  /** The walk edge by edge, read only when asked for (it is a second read); null otherwise. */
  links: ExposureLink[] | null;
}

export interface ExposureQuery {
  partyId: string;
  direction: ExposureDirection;
  maxDepth: number;
  currency: string;
  /** The instant to answer for, from balance history; absent for now. */
  asOf?: Date | null;
}

/** Failure codes: invalid_input (direction, maxDepth outside 1..exposureDepthMax, currency). */
export function checkExposureQuery(query: ExposureQuery): Result<ExposureQuery> {
  if (!(exposureDirections as readonly string[]).includes(query.direction)) {
    return fail('invalid_input', 'direction is UPSTREAM or DOWNSTREAM', 'direction');
  }
  if (!Number.isInteger(query.maxDepth) || query.maxDepth < 1 || query.maxDepth > exposureDepthMax) {
    return fail('invalid_input', `maxDepth is a whole number from 1 to ${exposureDepthMax}`, 'maxDepth');
  }
  if (!isCurrencyCode(query.currency)) {
    return fail('invalid_input', 'currency is an ISO 4217 code', 'currency');
  }
  return ok(query);
}

/**
 * An `asOf` the ledger can answer: an instant not after `now` (the future is not recorded yet).
 * Failure codes: invalid_input.
 */
export function checkAsOf(asOf: Date | null | undefined, now: Date): Result<Date | null> {
  if (asOf === undefined || asOf === null) return ok(null);
  if (Number.isNaN(asOf.getTime())) return fail('invalid_input', 'asOf is not a valid instant', 'asOf');
  if (asOf.getTime() > now.getTime()) {
    return fail(
      'invalid_input',
      `asOf ${asOf.toISOString()} is after the server's time ${now.toISOString()}: the ledger answers for the past and now only`,
      'asOf',
    );
  }
  return ok(asOf);
}

/** Rows in the one order every answer lists them: by depth, then party id. */
export function byDepthThenParty(a: ExposureRow, b: ExposureRow): number {
  if (a.depth !== b.depth) return a.depth - b.depth;
  return a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0;
}

/** Sums per depth, from 1 to the deepest depth reached. */
export function totalsByDepth(rows: readonly ExposureRow[]): DepthTotals[] {
  const totals: DepthTotals[] = [];
  for (const row of rows) {
    let total = totals[row.depth - 1];
    if (total === undefined) {
      total = {
        depth: row.depth,
        partyCount: 0,
        directClaimMinor: 0n,
        claimMinor: 0n,
        overdueMinor: 0n,
        defaultedMinor: 0n,
        onHoldMinor: 0n,
      };
      totals[row.depth - 1] = total;
    }
    total.partyCount += 1;
    total.directClaimMinor += row.directClaimMinor;
    total.claimMinor += row.claimMinor;
    total.overdueMinor += row.overdueMinor;
    total.defaultedMinor += row.defaultedMinor;
    total.onHoldMinor += row.onHoldMinor;
  }
  return totals.filter((total) => total !== undefined);
}
