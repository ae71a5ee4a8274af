/**
 * The exposure walk in SQL, one statement: a breadth first walk written out as one CTE per level,
 * each excluding the parties of the levels before it (which also stops cycles). Runs unchanged on
 * PostgreSQL and CockroachDB: no recursion, sums cast to INT8.
 *
 * Claim rows come from claimRows() alone, over the receivables as they stand now or, for `asOf`, as
 * receivable_history says they stood then.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';
import { receivableRows } from '../receivables/receivable-history.repository.js';
import { byLinkOrder, type ExposureLink, type ExposureQuery, type ExposureRow } from './exposure.js';

/**
 * Every claim in one currency, now or at `asOf`: holder, obligor, amount and its breakdown, tier.
 * The status list is the partial indexes' predicate word for word (0140, 0141; covering since 0151,
 * 0153), so that the planner can use them; it is "neither settled nor cancelled" under the schema's
 * status CHECK.
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

/**
 * Level `depth` of the walk: the claims from the parties of the level before to parties in no earlier
 * level, summed per party reached. The frontier goes to the index as an array (= ANY), so each level
 * reads only its frontier's claims; the earlier levels are excluded by a hashed NOT IN.
 */
function levelSelect(claims: RawBuilder<unknown>, depth: number, partyId: string): RawBuilder<unknown> {
  const frontier =
    depth === 1
      ? sql`ARRAY[CAST(${partyId} AS UUID)]`
      : sql`ARRAY(SELECT party_id FROM ${sql.ref(`level${depth - 1}`)})`;
  const earlier = Array.from(
    { length: depth - 1 },
    (_, index) => sql`SELECT party_id FROM ${sql.ref(`level${index + 1}`)}`,
  );
  const notEarlier =
    earlier.length === 0 ? sql`` : sql`AND step.far NOT IN (${sql.join(earlier, sql` UNION ALL `)})`;
  return sql`SELECT step.far AS party_id,
      CAST(sum(step.claim_minor) AS INT8) AS claim_minor,
      CAST(sum(step.overdue_minor) AS INT8) AS overdue_minor,
      CAST(sum(step.defaulted_minor) AS INT8) AS defaulted_minor,
      CAST(sum(step.on_hold_minor) AS INT8) AS on_hold_minor,
      CAST(min(step.tier) AS INT8) AS tier_min,
      CAST(max(step.tier) AS INT8) AS tier_max
    FROM ${claims} AS step
    WHERE step.near = ANY(${frontier})
      AND step.far <> CAST(${partyId} AS UUID)
      ${notEarlier}
    GROUP BY step.far`;
}

/**
 * The parties the walk reaches, by depth then id, with their links to the previous depth. One
 * statement of maxDepth (at most exposureDepthMax) level CTEs, written out rather than recursive:
 * each level is one grouped read of its frontier's claims, which gives the links of the level at
 * once, and no visited array is searched row by row. A party with a claim on the party asked about
 * (UPSTREAM; DOWNSTREAM the other way) is at depth 1, so the direct claim is the depth-1 link and
 * zero deeper.
 */
export async function readExposureRows(
  db: Db | Trx,
  query: ExposureQuery,
  overdueCutoff: string,
): Promise<ExposureRow[]> {
  const claims = oriented(query, overdueCutoff);
  const depths = Array.from({ length: query.maxDepth }, (_, index) => index + 1);
  const levels = depths.map(
    (depth) => sql`${sql.ref(`level${depth}`)} AS (${levelSelect(claims, depth, query.partyId)})`,
  );
  const rows = depths.map(
    (depth) => sql`SELECT CAST(${depth} AS INT8) AS depth, level.* FROM ${sql.ref(`level${depth}`)} AS level`,
  );
  const result = await sql<Row>`
    WITH ${sql.join(levels)}
    SELECT reached.party_id, reached.depth,
      CASE WHEN reached.depth = 1 THEN reached.claim_minor ELSE CAST(0 AS INT8) END AS direct_claim_minor,
      reached.claim_minor, reached.overdue_minor, reached.defaulted_minor, reached.on_hold_minor,
      reached.tier_min, reached.tier_max
    FROM (${sql.join(rows, sql` UNION ALL `)}) AS reached
    ORDER BY reached.depth, reached.party_id
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

/**
 * The walk's links, depth by depth: the claims from each party of the depth before (the party asked
 * about, at depth 1) to each party the walk reached at this depth, summed per pair. Read on the same
 * snapshot as the rows, so that each party's links sum to its claim; one grouped read per depth,
 * through the same indexes as the walk (near = ANY).
 */
export async function readExposureLinks(
  db: Db | Trx,
  query: ExposureQuery,
  overdueCutoff: string,
  rows: readonly ExposureRow[],
): Promise<ExposureLink[]> {
  const claims = oriented(query, overdueCutoff);
  const links: ExposureLink[] = [];
  let near = [query.partyId];
  for (let depth = 1; depth <= query.maxDepth; depth++) {
    const far = rows.filter((row) => row.depth === depth).map((row) => row.partyId);
    if (far.length === 0) break;
    const result = await sql<{ near: string; far: string; claim_minor: bigint }>`
      SELECT step.near, step.far, CAST(sum(step.claim_minor) AS INT8) AS claim_minor
      FROM ${claims} AS step
      WHERE step.near = ANY(${near}::UUID[]) AND step.far = ANY(${far}::UUID[])
      GROUP BY step.near, step.far`.execute(db);
    for (const row of result.rows) {
      links.push({ depth, nearPartyId: row.near, farPartyId: row.far, claimMinor: row.claim_minor });
    }
    near = far;
  }
  return links.sort(byLinkOrder);
}
