/**
 * The exposure walk in SQL, one statement: a recursive CTE whose rows are the levels of a breadth
 * first walk, each carrying its frontier and every party seen before it (the visited guard, an array
 * of party ids, which also stops cycles), then the links of each reached party to the level before.
 * Runs unchanged on PostgreSQL and CockroachDB: no SEARCH or CYCLE clause, sums cast to INT8.
 *
 * Claim rows come from claimRows() alone, over the receivables as they stand now or, for `asOf`, as
 * receivable_history says they stood then.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';
import { receivableRows } from '../receivables/receivable-history.repository.js';
import type { ExposureQuery, ExposureRow } from './exposure.js';

/**
 * Every claim in one currency, now or at `asOf`: holder, obligor, amount and its breakdown, tier.
 * The status list is the partial indexes' predicate word for word (0140, 0141), so that the planner
 * can use them; it is "neither settled nor cancelled" under the schema's status CHECK.
 */
export function claimRows(currency: string, overdueCutoff: string, asOf: Date | null): RawBuilder<unknown> {
  return sql`(
    SELECT receivable.holder_party_id, receivable.obligor_party_id, receivable.tier,
      receivable.outstanding_minor AS claim_minor,
      CASE WHEN receivable.status <> 'defaulted' AND receivable.due_date < ${overdueCutoff}::DATE
        THEN receivable.outstanding_minor ELSE 0 END AS overdue_minor,
      CASE WHEN receivable.status = 'defaulted' THEN receivable.outstanding_minor ELSE 0 END AS defaulted_minor,
      CASE WHEN receivable.on_hold THEN receivable.outstanding_minor ELSE 0 END AS on_hold_minor
    FROM ${receivableRows(asOf)} AS receivable
    WHERE receivable.status IN ('open', 'partially_settled', 'defaulted')
      AND receivable.currency = ${currency}
      AND receivable.outstanding_minor > 0
  )`;
}

/** The claims seen from the walk's side: `near` toward the party asked about, `far` away from it. */
function oriented(query: ExposureQuery, overdueCutoff: string): RawBuilder<unknown> {
  const [near, far] =
    query.direction === 'upstream'
      ? [sql.ref('claim.obligor_party_id'), sql.ref('claim.holder_party_id')]
      : [sql.ref('claim.holder_party_id'), sql.ref('claim.obligor_party_id')];
  return sql`(
    SELECT ${near} AS near, ${far} AS far, claim.tier, claim.claim_minor, claim.overdue_minor,
      claim.defaulted_minor, claim.on_hold_minor
    FROM ${claimRows(query.currency, overdueCutoff, query.asOf ?? null)} AS claim
  )`;
}

interface Row {
  party_id: string;
  depth: bigint;
  direct_claim_minor: bigint;
  claim_minor: bigint;
  overdue_minor: bigint;
  defaulted_minor: bigint;
  on_hold_minor: bigint;
  tier_min: bigint;
  tier_max: bigint;
}

/** The parties the walk reaches, by depth then id, with their links to the previous depth. */
export async function readExposureRows(
  db: Db | Trx,
  query: ExposureQuery,
  overdueCutoff: string,
): Promise<ExposureRow[]> {
  const claims = oriented(query, overdueCutoff);
  const result = await sql<Row>`
    WITH RECURSIVE level (depth, frontier, seen) AS (
      SELECT CAST(0 AS INT8), ARRAY[CAST(${query.partyId} AS UUID)], CAST(ARRAY[] AS UUID[])
      UNION ALL
      SELECT level.depth + 1,
        ARRAY(
          SELECT DISTINCT step.far FROM ${claims} AS step
          WHERE step.near = ANY(level.frontier)
            AND NOT (step.far = ANY(level.seen || level.frontier))
        ),
        level.seen || level.frontier
      FROM level
      WHERE level.depth < ${query.maxDepth} AND cardinality(level.frontier) > 0
    ),
    reached AS (
      SELECT level.depth, unnest(level.frontier) AS party_id FROM level
    ),
    link AS (
      SELECT here.party_id, here.depth,
        CAST(sum(edge.claim_minor) AS INT8) AS claim_minor,
        CAST(sum(edge.overdue_minor) AS INT8) AS overdue_minor,
        CAST(sum(edge.defaulted_minor) AS INT8) AS defaulted_minor,
        CAST(sum(edge.on_hold_minor) AS INT8) AS on_hold_minor,
        CAST(min(edge.tier) AS INT8) AS tier_min,
        CAST(max(edge.tier) AS INT8) AS tier_max
      FROM reached AS here
      JOIN reached AS previous ON previous.depth = here.depth - 1
      JOIN ${claims} AS edge ON edge.far = here.party_id AND edge.near = previous.party_id
      WHERE here.depth >= 1
      GROUP BY here.party_id, here.depth
    ),
    direct AS (
      SELECT edge.far AS party_id, CAST(sum(edge.claim_minor) AS INT8) AS claim_minor
      FROM ${claims} AS edge
      WHERE edge.near = CAST(${query.partyId} AS UUID)
      GROUP BY edge.far
    )
    SELECT link.party_id, link.depth, COALESCE(direct.claim_minor, CAST(0 AS INT8)) AS direct_claim_minor,
      link.claim_minor, link.overdue_minor, link.defaulted_minor, link.on_hold_minor,
      link.tier_min, link.tier_max
    FROM link LEFT JOIN direct ON direct.party_id = link.party_id
    ORDER BY link.depth, link.party_id
  `.execute(db);
  return result.rows.map((row) => ({
    partyId: row.party_id,
    depth: Number(row.depth),
    directClaimMinor: row.direct_claim_minor,
    claimMinor: row.claim_minor,
    overdueMinor: row.overdue_minor,
    defaultedMinor: row.defaulted_minor,
    onHoldMinor: row.on_hold_minor,
    tierMin: Number(row.tier_min),
    tierMax: Number(row.tier_max),
  }));
}
