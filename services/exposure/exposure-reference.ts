/**
 * The exposure walk in memory, straight from the definitions: the reference the SQL is tested
 * against, and the baseline a benchmark compares it with. Takes receivables as stored and applies
 * the claim rule itself, so that a test checks the rule as well as the walk.
 */
import type { Receivable } from '../receivables/receivable.js';
import {
  byDepthThenParty,
  byLinkOrder,
  type ClaimAmounts,
  claimStatuses,
  type Exposure,
  type ExposureLink,
  type ExposureQuery,
  type ExposureRow,
  totalsByDepth,
} from './exposure.js';
import type { ClaimEdge } from './stress.js';

export type ClaimSourceRow = Pick<
  Receivable,
  | 'holderPartyId'
  | 'obligorPartyId'
  | 'currency'
  | 'status'
  | 'outstandingMinor'
  | 'dueDate'
  | 'onHold'
  | 'tier'
>;

interface Edge extends ClaimAmounts {
  near: string;
  far: string;
  tierMin: number;
  tierMax: number;
}

/** The claim rule: neither settled nor cancelled, something outstanding, in the currency. */
function isClaim(row: ClaimSourceRow, currency: string): boolean {
  if (row.currency !== currency || row.outstandingMinor <= 0n) return false;
  return (claimStatuses as readonly string[]).includes(row.status);
}

/**
 * What stress() reads, in memory: every claim edge of the currency summed per (holder, obligor), and
 * A(X), all X holds. A row flagged `financed` is a lender's part (receivable.financed_by set).
 */
export function referenceStressEdges(
  rows: readonly (ClaimSourceRow & { financed?: boolean })[],
  currency: string,
): { edges: ClaimEdge[]; heldMinor: Map<string, bigint> } {
  const edges = new Map<string, ClaimEdge>();
  const heldMinor = new Map<string, bigint>();
  for (const row of rows) {
    if (!isClaim(row, currency)) continue;
    const key = `${row.holderPartyId} ${row.obligorPartyId}`;
    const edge = edges.get(key) ?? {
      holderPartyId: row.holderPartyId,
      obligorPartyId: row.obligorPartyId,
      claimMinor: 0n,
      financedMinor: 0n,
    };
    edge.claimMinor += row.outstandingMinor;
    if (row.financed) edge.financedMinor += row.outstandingMinor;
    edges.set(key, edge);
    heldMinor.set(row.holderPartyId, (heldMinor.get(row.holderPartyId) ?? 0n) + row.outstandingMinor);
  }
  return { edges: [...edges.values()], heldMinor };
}

/** The claim graph of one currency, summed per (holder, obligor), oriented for the direction. */
function orientedEdges(
  rows: readonly ClaimSourceRow[],
  query: ExposureQuery,
  overdueCutoff: string,
): Map<string, Map<string, Edge>> {
  const byNear = new Map<string, Map<string, Edge>>();
  for (const row of rows) {
    if (!isClaim(row, query.currency)) continue;
    const upstream = query.direction === 'upstream';
    const near = upstream ? row.obligorPartyId : row.holderPartyId;
    const far = upstream ? row.holderPartyId : row.obligorPartyId;
    let fars = byNear.get(near);
    if (fars === undefined) {
      fars = new Map();
      byNear.set(near, fars);
    }
    let edge = fars.get(far);
    if (edge === undefined) {
      edge = {
        near,
        far,
        claimMinor: 0n,
        overdueMinor: 0n,
        defaultedMinor: 0n,
        onHoldMinor: 0n,
        tierMin: row.tier,
        tierMax: row.tier,
      };
      fars.set(far, edge);
    }
    const amount = row.outstandingMinor;
    edge.claimMinor += amount;
    if (row.status !== 'defaulted' && row.dueDate < overdueCutoff) edge.overdueMinor += amount;
    if (row.status === 'defaulted') edge.defaultedMinor += amount;
    if (row.onHold) edge.onHoldMinor += amount;
    edge.tierMin = Math.min(edge.tierMin, row.tier);
    edge.tierMax = Math.max(edge.tierMax, row.tier);
  }
  return byNear;
}

/** exposure() over receivables held in memory; the same rows, in the same order, as the SQL. */
export function referenceExposure(
  receivables: readonly ClaimSourceRow[],
  query: ExposureQuery,
  overdueCutoff: string,
  options: { links?: boolean } = {},
): Exposure {
  const edges = orientedEdges(receivables, query, overdueCutoff);
  const depthOf = new Map<string, number>([[query.partyId, 0]]);
  const rows: ExposureRow[] = [];
  const links: ExposureLink[] = [];
  let frontier = [query.partyId];
  for (let depth = 1; depth <= query.maxDepth && frontier.length > 0; depth++) {
    const reached = new Map<string, ExposureRow>();
    for (const near of frontier) {
      for (const edge of edges.get(near)?.values() ?? []) {
        const known = depthOf.get(edge.far);
        if (known !== undefined && known < depth) continue;
        let row = reached.get(edge.far);
        if (row === undefined) {
          row = {
            partyId: edge.far,
            depth,
            directClaimMinor: edges.get(query.partyId)?.get(edge.far)?.claimMinor ?? 0n,
            claimMinor: 0n,
            overdueMinor: 0n,
            defaultedMinor: 0n,
            onHoldMinor: 0n,
            tierMin: edge.tierMin,
            tierMax: edge.tierMax,
          };
          reached.set(edge.far, row);
          depthOf.set(edge.far, depth);
        }
        links.push({ depth, nearPartyId: near, farPartyId: edge.far, claimMinor: edge.claimMinor });
        row.claimMinor += edge.claimMinor;
        row.overdueMinor += edge.overdueMinor;
        row.defaultedMinor += edge.defaultedMinor;
        row.onHoldMinor += edge.onHoldMinor;
        row.tierMin = Math.min(row.tierMin, edge.tierMin);
        row.tierMax = Math.max(row.tierMax, edge.tierMax);
      }
    }
    rows.push(...reached.values());
    frontier = [...reached.keys()];
  }
  rows.sort(byDepthThenParty);
  return {
    ...query,
    asOf: query.asOf ?? null,
    overdueCutoff,
    rows,
    totals: totalsByDepth(rows),
    links: options.links ? links.sort(byLinkOrder) : null,
  };
}
