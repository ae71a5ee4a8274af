/**
 * The proof bundle behind a receivable, as docs/design.md's "Verification report and proof bundles" asks:
 * it binds to the receivable it names (the event that created it is in it), carries every fact of
 * the invoice's chain (the whole receivable tree, outgoing transfers and payments included) and the
 * log's signed chain head at the checkpoint, so that an omitted fact is detectable offline; the
 * trade documents before the invoice; and the registry events that bind every signer key to its
 * party. Statements follow the one visibility rule: a requester who is not buyer or seller of the
 * trade gets the trade documents (order, shipment, receipt, invoice) as hash, signature and
 * inclusion proof only, never their lines and prices.
 */

import type { Ledger } from '../context.js';
import { toHex } from '../crypto/index.js';
import { inTransaction } from '../db/transaction.js';
import { findChainLinks } from '../events/fact-chain.repository.js';
import type { LogSigner } from '../ledger/log-signer.js';
import { type EventEvidence, findCheckpoint, findEvidence } from '../ledger/proof.repository.js';
import { inclusionPaths } from '../ledger/proof.service.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { findInvoiceTree } from '../receivables/receivable.repository.js';
import { findVisibleReceivable } from '../receivables/receivable-query.service.js';
import { fail, ok, type Result } from '../result.js';
import { chainOf } from '../trade/document-chain.service.js';
import { isPartyTo } from '../trade/trade-document.js';
import { findDocument } from '../trade/trade-document.repository.js';
import { type BundleEvent, bundleFormat, type ProofBundle } from './bundle-file.js';
import { signChainHead } from './chain-head.js';
import { registrationsBehind } from './key-registrations.js';

const notAnchored = (what: string) =>
  fail('event_not_anchored', `${what} is not in the latest checkpoint yet; ask again in a second`);

const anchoredIn = (event: EventEvidence | undefined, treeSize: number) =>
  event !== undefined && event.leafIndex !== null && event.leafIndex < treeSize;

/**
 * The links of the chain that the checkpoint holds: the longest anchored prefix. A later link that
 * is anchored while an earlier one is not yet (a late committer) means no honest head can be stated
 * at this checkpoint: event_not_anchored, retryable.
 */
function anchoredPrefix(
  links: readonly { eventId: string }[],
  evidence: ReadonlyMap<string, EventEvidence>,
  treeSize: number,
): Result<number> {
  const anchored = links.map((link) => anchoredIn(evidence.get(link.eventId), treeSize));
  const length = anchored.indexOf(false) === -1 ? anchored.length : anchored.indexOf(false);
  if (length === 0 || anchored.slice(length).some(Boolean)) return notAnchored('a fact of this invoice');
  return ok(length);
}

function bundleEvent(event: EventEvidence, withheld: boolean, path: readonly Buffer[]): BundleEvent {
  return {
    eventId: event.eventId,
    kind: event.kind,
    statement: withheld ? null : event.statement.toString('utf8'),
    ...(withheld ? { actor: event.actorPartyId } : {}),
    eventHash: toHex(event.eventHash),
    signature: toHex(event.signature),
    signerPublicKey: toHex(event.publicKey),
    keyId: event.keyId,
    custodial: event.custodial,
    leafIndex: event.leafIndex ?? 0,
    inclusionPath: path.map(toHex),
  };
}

/**
 * Builds the bundle against the latest checkpoint.
 *
 * Failure codes: receivable_not_found (absent or not visible), event_not_anchored (retryable: a fact
 * of the invoice or a registry event is not in the latest checkpoint yet).
 */
export async function proofBundle(
  ledger: Ledger,
  logSigner: LogSigner,
  actor: Actor,
  receivableId: string,
): Promise<Result<ProofBundle>> {
  const visible = await findVisibleReceivable(ledger, actor, receivableId);
  if (!visible.ok) return visible;
  const invoiceId = visible.value.invoiceId;
  return inTransaction(ledger.db, async (trx): Promise<Result<ProofBundle>> => {
    const checkpoint = await findCheckpoint(trx, null);
    const invoice = await findDocument(trx, invoiceId);
    if (!checkpoint || !invoice) return notAnchored('the receivable');
    const { treeSize } = checkpoint;
    const documents = await chainOf(trx, invoice);
    const documentEventIds = [
      documents.purchaseOrder,
      ...documents.shipments,
      ...documents.goodsReceipts,
    ].map((entry) => entry.event.id);
    const links = await findChainLinks(trx, invoiceId);
    const evidence = new Map(
      (await findEvidence(trx, [...documentEventIds, ...links.map((link) => link.eventId)])).map((event) => [
        event.eventId,
        event,
      ]),
    );
    const length = anchoredPrefix(links, evidence, treeSize);
    if (!length.ok) return length;
    const chain = links.slice(0, length.value);
    if (!chain.some((link) => link.eventId === visible.value.createdEventId))
      return notAnchored('the receivable');
    if (!documentEventIds.every((id) => anchoredIn(evidence.get(id), treeSize)))
      return notAnchored('a trade document');
    const readsDocuments = seesEverything(actor) || isPartyTo(invoice, actor.partyId);
    const withheld = new Set(readsDocuments ? [] : [...documentEventIds, invoice.eventId]);
    const behind = [...documentEventIds, ...chain.map((link) => link.eventId)].flatMap(
      (id) => evidence.get(id) ?? [],
    );
    const named = (await findInvoiceTree(trx, invoiceId)).flatMap((node) => [
      node.holderPartyId,
      node.obligorPartyId,
    ]);
    const registry = await findEvidence(
      trx,
      await registrationsBehind(trx, ledger.platformPartyId, behind, named),
    );
    if (!registry.every((event) => anchoredIn(event, treeSize))) return notAnchored('a key registration');
    const known = new Set(behind.map((event) => event.eventId));
    const events = [...registry.filter((event) => !known.has(event.eventId)), ...behind].sort(
      (a, b) => (a.leafIndex ?? 0) - (b.leafIndex ?? 0),
    );
    const paths = await inclusionPaths(
      trx,
      events.map((event) => event.leafIndex ?? 0),
      treeSize,
    );
    const head = chain[chain.length - 1];
    if (!head) return notAnchored('the receivable');
    const chainHead = signChainHead(
      {
        origin: logSigner.origin,
        treeSize,
        rootHash: toHex(checkpoint.rootHash),
        chainId: invoiceId,
        length: chain.length,
        headEventHash: toHex(head.eventHash),
      },
      logSigner.privateKey,
    );
    return ok({
      format: bundleFormat,
      receivableId,
      treeSize,
      checkpoint: checkpoint.note,
      chainHead,
      events: events.map((event, position) =>
        bundleEvent(event, withheld.has(event.eventId), paths[position] ?? []),
      ),
    });
  });
}
