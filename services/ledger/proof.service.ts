/**
 * Proofs from the log: inclusion of an event and consistency between two checkpoints. Every proof is
 * built from O(log n) stored nodes read in one query. (The proof bundle behind a receivable, which
 * knows receivables and trade documents, is services/verify/bundle.service.ts.)
 */

import type { Ledger } from '../context.js';
import { toHex } from '../crypto/index.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { isUuid } from '../input-rules.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { fetchNodes } from './node-store.js';
import {
  type EventEvidence,
  findCheckpoint,
  findEvidence,
  type StoredCheckpoint,
} from './proof.repository.js';
import type { ProofFile } from './proof-file.js';
import {
  addressesOf,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofNodes,
  inclusionProofNodes,
} from './proofs.js';

async function latest(trx: Trx): Promise<Result<StoredCheckpoint>> {
  const checkpoint = await findCheckpoint(trx, null);
  return checkpoint ? ok(checkpoint) : fail('event_not_anchored', 'the log has no checkpoint yet');
}

/** Inclusion paths of several leaves in one tree, from one node query. */
export async function inclusionPaths(
  trx: Trx,
  leafIndexes: readonly number[],
  treeSize: number,
): Promise<Buffer[][]> {
  const elements = leafIndexes.map((leafIndex) => inclusionProofNodes(leafIndex, treeSize));
  const fetched = await fetchNodes(trx, addressesOf(elements.flat()));
  return leafIndexes.map((leafIndex) => buildInclusionProof(leafIndex, treeSize, fetched));
}

function mayReadEvent(actor: Actor, evidence: EventEvidence): boolean {
  return (
    seesEverything(actor) ||
    evidence.actorPartyId === actor.partyId ||
    evidence.counterpartyPartyId === actor.partyId
  );
}

/**
 * The proof file of docs/design.md for one event, against the latest checkpoint.
 *
 * Failure codes: invalid_input, event_not_found (absent or not the caller's), event_not_anchored.
 */
export function inclusionProof(ledger: Ledger, actor: Actor, eventId: string): Promise<Result<ProofFile>> {
  if (!isUuid(eventId))
    return Promise.resolve(fail('invalid_input', 'eventId must be a lowercase UUID', 'eventId'));
  return inTransaction(ledger.db, async (trx): Promise<Result<ProofFile>> => {
    const [evidence] = await findEvidence(trx, [eventId]);
    if (!evidence || !mayReadEvent(actor, evidence))
      return fail('event_not_found', `no event ${eventId}`, 'eventId');
    const checkpoint = await latest(trx);
    if (!checkpoint.ok) return checkpoint;
    const { treeSize, note } = checkpoint.value;
    if (evidence.leafIndex === null || evidence.leafIndex >= treeSize) {
      return fail('event_not_anchored', 'the event is not in the latest checkpoint yet', 'eventId');
    }
    const [path = []] = await inclusionPaths(trx, [evidence.leafIndex], treeSize);
    return ok({
      eventHash: toHex(evidence.eventHash),
      leafIndex: evidence.leafIndex,
      treeSize,
      inclusionPath: path.map(toHex),
      checkpoint: note,
      statement: evidence.statement.toString('utf8'),
    });
  });
}

export interface ConsistencyProof {
  fromSize: number;
  toSize: number;
  consistencyPath: string[];
  fromCheckpoint: string;
  toCheckpoint: string;
}

/**
 * The RFC 9162 consistency proof between two checkpoints of the log, with both signed notes.
 *
 * Failure codes: invalid_input (sizes out of order or zero), checkpoint_not_found.
 */
export function consistencyProof(
  ledger: Ledger,
  fromSize: number,
  toSize: number,
): Promise<Result<ConsistencyProof>> {
  if (!Number.isSafeInteger(fromSize) || fromSize < 1 || !Number.isSafeInteger(toSize) || toSize < fromSize) {
    return Promise.resolve(fail('invalid_input', 'need 1 <= fromSize <= toSize', 'fromSize'));
  }
  return inTransaction(ledger.db, async (trx): Promise<Result<ConsistencyProof>> => {
    const [from, to] = await Promise.all([findCheckpoint(trx, fromSize), findCheckpoint(trx, toSize)]);
    if (!from) return fail('checkpoint_not_found', `no checkpoint of size ${fromSize}`, 'fromSize');
    if (!to) return fail('checkpoint_not_found', `no checkpoint of size ${toSize}`, 'toSize');
    let path: Buffer[] = [];
    if (fromSize < toSize) {
      const fetched = await fetchNodes(trx, addressesOf(consistencyProofNodes(fromSize, toSize)));
      path = buildConsistencyProof(fromSize, toSize, fetched);
    }
    return ok({
      fromSize,
      toSize,
      consistencyPath: path.map(toHex),
      fromCheckpoint: from.note,
      toCheckpoint: to.note,
    });
  });
}
