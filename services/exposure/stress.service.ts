/**
 * The stress test as a use case: who may run it, the inputs checked, the edges read level by level
 * in one snapshot, and the pure rule (stress.ts) applied to them.
 */
import type { Ledger } from '../context.js';
import { inSnapshot, type Trx } from '../db/transaction.js';
import { isCurrencyCode } from '../money/money.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { checkAsOf } from './exposure.js';
import {
  type ClaimEdge,
  parseLossGivenDefault,
  type StressResult,
  stress,
  stressDepthMax,
} from './stress.js';
import { financesObligor, partyExists, readLevelEdges } from './stress.repository.js';

export interface StressRequest {
  obligorPartyId: string;
  /** A decimal string, 0 to 1, at most six decimals. */
  lossGivenDefault: string;
  maxDepth: number;
  currency: string;
  /** The instant to answer for, from balance history; absent for now. */
  asOf?: Date | null;
}

export interface StressAnswer extends StressResult {
  obligorPartyId: string;
  lossGivenDefaultMicros: bigint;
  maxDepth: number;
  currency: string;
  asOf: Date | null;
}

/** Auditors, administrators, the obligor itself, and lenders that finance or are asked to finance it. */
async function mayStress(trx: Trx, actor: Actor, obligorPartyId: string): Promise<boolean> {
  if (seesEverything(actor) || actor.partyId === obligorPartyId) return true;
  return actor.roles.includes('lender') && (await financesObligor(trx, actor.partyId, obligorPartyId));
}

/** Breadth first from the obligor, one query per level, collecting what stress() reads. */
async function reachableEdges(
  trx: Trx,
  request: StressRequest,
  asOf: Date | null,
): Promise<{ edges: ClaimEdge[]; heldMinor: Map<string, bigint> }> {
  const edges: ClaimEdge[] = [];
  const heldMinor = new Map<string, bigint>();
  const visited = [request.obligorPartyId];
  let frontier = [request.obligorPartyId];
  for (let level = 1; level <= request.maxDepth && frontier.length > 0; level += 1) {
    const read = await readLevelEdges(trx, frontier, visited, request.currency, asOf);
    edges.push(...read.edges);
    for (const [partyId, held] of read.heldMinor) heldMinor.set(partyId, held);
    frontier = [...read.heldMinor.keys()];
    visited.push(...frontier);
  }
  return { edges, heldMinor };
}

/**
 * What the obligor's default would cost the parties holding claims on it, and on them, down to
 * maxDepth levels, in one currency.
 *
 * Failure codes: invalid_input (lossGivenDefault, maxDepth, currency, asOf), forbidden, party_not_found.
 */
export async function stressTest(
  ledger: Ledger,
  actor: Actor,
  request: StressRequest,
  now: Date = new Date(),
): Promise<Result<StressAnswer>> {
  const lossGivenDefaultMicros = parseLossGivenDefault(request.lossGivenDefault);
  if (!lossGivenDefaultMicros.ok) return lossGivenDefaultMicros;
  if (!Number.isInteger(request.maxDepth) || request.maxDepth < 1 || request.maxDepth > stressDepthMax) {
    return fail(
      'invalid_input',
      `maxDepth: ${request.maxDepth} is not between 1 and ${stressDepthMax}`,
      'maxDepth',
    );
  }
  if (!isCurrencyCode(request.currency)) {
    return fail('invalid_input', `currency: ${request.currency} is not a currency code`, 'currency');
  }
  const asOf = checkAsOf(request.asOf, now);
  if (!asOf.ok) return asOf;
  return inSnapshot(ledger.db, async (trx): Promise<Result<StressAnswer>> => {
    if (!(await mayStress(trx, actor, request.obligorPartyId))) {
      return fail(
        'forbidden',
        'a stress test is for the obligor, its lenders, auditors and administrators',
        'obligorId',
      );
    }
    if (!(await partyExists(trx, request.obligorPartyId))) {
      return fail('party_not_found', 'no party with that id', 'obligorId');
    }
    const { edges, heldMinor } = await reachableEdges(trx, request, asOf.value);
    const result = stress({
      obligorPartyId: request.obligorPartyId,
      lossGivenDefaultMicros: lossGivenDefaultMicros.value,
      maxDepth: request.maxDepth,
      edges,
      heldMinor,
    });
    return ok({
      ...result,
      ...request,
      asOf: asOf.value,
      lossGivenDefaultMicros: lossGivenDefaultMicros.value,
    });
  });
}
