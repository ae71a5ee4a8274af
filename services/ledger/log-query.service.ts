/**
 * Reading the log for the API: checkpoints with their cosignatures, leaf positions, a party's
 * witnesses. GraphQL fields and loaders call these, never a repository. Checkpoints and cosignatures
 * are the log's public face (anyone may read them, as in certificate transparency); a leaf index
 * says where an event sits, nothing of what it states, and is asked only for events already shown.
 */

import type { Ledger } from '../context.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { comparePositions, type LogPosition, latestAnchored } from './pending-events.js';
import { findCheckpoint, leafIndexes, type StoredCheckpoint } from './proof.repository.js';
import type { Cosignature, Witness } from './witness.js';
import { listCosignatures, listWitnessesOfParty } from './witness.repository.js';
import { cosignaturesPerNoteMax, cosignedNote } from './witness.service.js';

export const witnessesListedMax = 100;

/**
 * The checkpoint of `treeSize`, or the latest one when null.
 *
 * Failure codes: checkpoint_not_found.
 */
export async function findCheckpointOfSize(
  ledger: Ledger,
  treeSize: number | null,
): Promise<Result<StoredCheckpoint>> {
  const found = await inTransaction(ledger.db, (trx) => findCheckpoint(trx, treeSize));
  return found ? ok(found) : fail('checkpoint_not_found', 'no such checkpoint', 'treeSize');
}

/**
 * The leaf index of each anchored event among `events`; pending ones are absent. Nothing past the
 * greatest anchored position is anchored, so those are answered from the latest checkpoint alone:
 * pollers waiting for their event never read the leaf rows the anchoring batch is writing.
 */
export function leafIndexesOf(ledger: Ledger, events: readonly LogPosition[]): Promise<Map<string, number>> {
  return inTransaction(ledger.db, async (trx) => {
    const { cursor } = await latestAnchored(trx);
    if (cursor === null) return new Map();
    const candidates = events.filter((event) => comparePositions(event, cursor) <= 0);
    return leafIndexes(
      trx,
      candidates.map((event) => event.id),
    );
  });
}

/** The cosignatures of a checkpoint, oldest first, as many as its note can hold. */
export function cosignaturesOf(ledger: Ledger, treeSize: number): Promise<Cosignature[]> {
  return inTransaction(ledger.db, (trx) => listCosignatures(trx, treeSize, cosignaturesPerNoteMax));
}

/** The checkpoint's note with its cosignature lines; the bare note when it has none. */
export async function cosignedNoteOf(ledger: Ledger, checkpoint: StoredCheckpoint): Promise<string> {
  return (await inTransaction(ledger.db, (trx) => cosignedNote(trx, checkpoint.treeSize))) ?? checkpoint.note;
}

/** The actor's party's own witnesses, oldest first. */
export function witnessesOf(ledger: Ledger, actor: Actor): Promise<Witness[]> {
  return inTransaction(ledger.db, (trx) => listWitnessesOfParty(trx, actor.partyId, witnessesListedMax));
}
