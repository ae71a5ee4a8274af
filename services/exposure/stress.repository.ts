/**
 * The claim edges a stress test needs, read one level at a time: the claims on the parties of a
 * level held by parties not reached before, and what each such holder holds in all (A(X)). A claim
 * is the outstanding of a receivable neither settled nor cancelled. One round trip per level, at
 * most stressDepthMax of them, all in the caller's snapshot so the levels agree with each other.
 */
import { sql } from 'kysely';
import type { Db, Trx } from '../db/transaction.js';
import { receivableRows } from '../receivables/receivable-history.repository.js';
import type { ClaimEdge } from './stress.js';

export interface LevelEdges {
  edges: ClaimEdge[];
  /** A(X) for each holder in `edges`: its claims on every obligor in the currency. */
  heldMinor: Map<string, bigint>;
}

export async function readLevelEdges(
  db: Db | Trx,
  obligorPartyIds: readonly string[],
  visitedPartyIds: readonly string[],
  currency: string,
  asOf: Date | null = null,
): Promise<LevelEdges> {
  if (obligorPartyIds.length === 0) return { edges: [], heldMinor: new Map() };
  // A claim's statuses spelled as the partial claim indexes (0140, 0141) spell them, so the planner
  // can use them. SUM over INT8 is NUMERIC / DECIMAL on both databases: cast back so that a bigint
  // comes out.
  const result = await sql<{
    holder_party_id: string;
    obligor_party_id: string;
    claim_minor: bigint;
    financed_minor: bigint;
    held_minor: bigint;
  }>`
    WITH edge AS (
      SELECT holder_party_id, obligor_party_id,
        CAST(sum(outstanding_minor) AS INT8) AS claim_minor,
        CAST(sum(CASE WHEN financed_by IS NULL THEN 0 ELSE outstanding_minor END) AS INT8) AS financed_minor
      FROM ${receivableRows(asOf)} AS receivable
      WHERE obligor_party_id = ANY(${obligorPartyIds}::UUID[])
        AND NOT (holder_party_id = ANY(${visitedPartyIds}::UUID[]))
        AND currency = ${currency}
        AND status IN ('open', 'partially_settled', 'defaulted')
        AND outstanding_minor > 0
      GROUP BY holder_party_id, obligor_party_id
    ),
    held AS (
      SELECT holder_party_id, CAST(sum(outstanding_minor) AS INT8) AS held_minor
      FROM ${receivableRows(asOf)} AS receivable
      WHERE holder_party_id IN (SELECT holder_party_id FROM edge)
        AND currency = ${currency}
        AND status IN ('open', 'partially_settled', 'defaulted')
        AND outstanding_minor > 0
      GROUP BY holder_party_id
    )
    SELECT edge.holder_party_id, edge.obligor_party_id, edge.claim_minor, edge.financed_minor, held.held_minor
    FROM edge JOIN held ON held.holder_party_id = edge.holder_party_id
    ORDER BY edge.holder_party_id, edge.obligor_party_id`.execute(db);
  const heldMinor = new Map<string, bigint>();
  const edges = result.rows.map((row) => {
    heldMinor.set(row.holder_party_id, row.held_minor);
    return {
      holderPartyId: row.holder_party_id,
      obligorPartyId: row.obligor_party_id,
      claimMinor: row.claim_minor,
      financedMinor: row.financed_minor,
    };
  });
  return { edges, heldMinor };
}

/** Whether the lender financed, or was asked to finance, a receivable of the obligor. */
export async function financesObligor(
  db: Db | Trx,
  lenderPartyId: string,
  obligorPartyId: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('financing')
    .select('financing.id')
    .where('financing.obligor_party_id', '=', obligorPartyId)
    .where((eb) =>
      eb.or([
        eb('financing.lender_party_id', '=', lenderPartyId),
        eb.exists(
          eb
            .selectFrom('financing_lender')
            .select('financing_lender.financing_id')
            .whereRef('financing_lender.financing_id', '=', 'financing.id')
            .where('financing_lender.lender_party_id', '=', lenderPartyId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

export async function partyExists(db: Db | Trx, partyId: string): Promise<boolean> {
  const found = await db.selectFrom('party').select('id').where('id', '=', partyId).executeTakeFirst();
  return found !== undefined;
}
