/**
 * Proofs from the log: inclusion of an event, consistency between two checkpoints, and the proof
 * bundle behind a receivable. Every proof is built from O(log n) stored nodes read in one query.
 */
import { toHex } from '../crypto/index.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { isUuid } from '../events/envelope.js';
import type { Ledger } from '../ledger.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { findReceivable } from '../receivables/receivable.repository.js';
import { findAncestors } from '../receivables/receivable-query.repository.js';
import { findVisibleReceivable } from '../receivables/receivable-query.service.js';
import { fail, ok, type Result } from '../result.js';
import { chainOf } from '../trade/document-chain.service.js';
import { findDocument } from '../trade/trade-document.repository.js';
import { fetchNodes } from './node-store.js';
import {
  type EventEvidence,
  findCheckpoint,
  findEvidence,
  findKeyRegistrations,
  findPlatformRegistration,
  type StoredCheckpoint,
} from './proof.repository.js';
import { type BundleEvent, bundleFormat, type ProofBundle, type ProofFile } from './proof-file.js';
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
async function inclusionPaths(
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
 * The proof file of DESIGN.md for one event, against the latest checkpoint.
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

/** Every event behind a receivable: its invoice's document chain, payments, and its lineage. */
async function eventsBehind(trx: Trx, receivableId: string): Promise<string[]> {
  const receivable = await findReceivable(trx, receivableId);
  if (!receivable) return [];
  const invoice = await findDocument(trx, receivable.invoiceId);
  const ids = new Set<string>();
  if (invoice) {
    const chain = await chainOf(trx, invoice);
    for (const entry of [
      chain.purchaseOrder,
      ...chain.shipments,
      ...chain.goodsReceipts,
      chain.invoice,
      ...chain.referencingDocuments,
    ]) {
      ids.add(entry.event.id);
    }
  }
  for (const node of [...(await findAncestors(trx, receivableId)), receivable]) ids.add(node.createdEventId);
  const payments = await trx
    .selectFrom('payment')
    .select('event_id')
    .where('invoice_id', '=', receivable.invoiceId)
    .execute();
  for (const payment of payments) ids.add(payment.event_id);
  return [...ids];
}

/**
 * The registry events that bind the signing keys of `evidence` to their parties: for each key, the
 * `party.registered` or `party_key.added` that registered it, then the same for the keys that signed
 * those and for the keys each addition replaced (the verifier checks who authorized a replacement),
 * up to the platform's own registration (always included: it binds the platform key).
 */
async function registrationsBehind(
  trx: Trx,
  platformPartyId: string,
  evidence: readonly EventEvidence[],
): Promise<string[]> {
  const ids = new Set<string>();
  const platform = await findPlatformRegistration(trx, platformPartyId);
  if (platform) ids.add(platform.eventId);
  const seen = new Set<string>();
  let wanted = evidence.map((event) => ({ keyId: event.keyId, partyId: event.actorPartyId }));
  while (wanted.length > 0) {
    for (const key of wanted) seen.add(key.keyId);
    const found = await findKeyRegistrations(trx, platformPartyId, wanted);
    for (const registration of found) ids.add(registration.eventId);
    const next = found.flatMap((row) => [
      { keyId: row.signerKeyId, partyId: row.actorPartyId },
      ...(row.replaced ? [row.replaced] : []),
    ]);
    wanted = [...new Map(next.map((key) => [key.keyId, key])).values()].filter((key) => !seen.has(key.keyId));
  }
  return [...ids];
}

/**
 * One self-contained JSON with every event behind a receivable (statement, signature, signer key,
 * inclusion proof) and the checkpoint they are proven against: what a lender keeps. The registry
 * events that bind each signing key to its party, down to the platform's self-registration, are
 * bundle events too, so the verifier can tell the actor's key from any other. Events are in log order.
 *
 * Failure codes: receivable_not_found (absent or not visible), event_not_anchored (wait a second).
 */
export async function proofBundle(
  ledger: Ledger,
  actor: Actor,
  receivableId: string,
): Promise<Result<ProofBundle>> {
  const visible = await findVisibleReceivable(ledger, actor, receivableId);
  if (!visible.ok) return visible;
  return inTransaction(ledger.db, async (trx): Promise<Result<ProofBundle>> => {
    const behind = await findEvidence(trx, await eventsBehind(trx, receivableId));
    const known = new Set(behind.map((event) => event.eventId));
    const registryIds = await registrationsBehind(trx, ledger.platformPartyId, behind);
    const registry = await findEvidence(
      trx,
      registryIds.filter((id) => !known.has(id)),
    );
    const checkpoint = await latest(trx);
    if (!checkpoint.ok) return checkpoint;
    const { treeSize, note } = checkpoint.value;
    const evidence = [...registry, ...behind];
    const pending = evidence.find((event) => event.leafIndex === null || event.leafIndex >= treeSize);
    if (pending)
      return fail('event_not_anchored', `event ${pending.eventId} (${pending.kind}) is not anchored yet`);
    evidence.sort((a, b) => (a.leafIndex ?? 0) - (b.leafIndex ?? 0));
    const paths = await inclusionPaths(
      trx,
      evidence.map((event) => event.leafIndex ?? 0),
      treeSize,
    );
    const events: BundleEvent[] = evidence.map((event, index) => ({
      eventId: event.eventId,
      kind: event.kind,
      statement: event.statement.toString('utf8'),
      eventHash: toHex(event.eventHash),
      signature: toHex(event.signature),
      signerPublicKey: toHex(event.publicKey),
      keyId: event.keyId,
      custodial: event.custodial,
      leafIndex: event.leafIndex ?? 0,
      inclusionPath: (paths[index] ?? []).map(toHex),
    }));
    return ok({ format: bundleFormat, receivableId, treeSize, checkpoint: note, events });
  });
}
