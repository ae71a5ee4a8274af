/**
 * Reading trade documents: an invoice with its whole chain, each document with the signed event it
 * was projected from, and keyset pages of the documents a party is party to. A party sees documents
 * it is buyer or seller of; auditors and platform administrators see all; to anyone else a document
 * does not exist.
 */
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import type { LedgerEvent } from '../events/event.js';
import { findEventsByIds } from '../events/event.repository.js';
import { isUuid } from '../input-rules.js';
import type { PageRequest } from '../paging.js';
import { type Actor, seesEverything } from '../parties/party.js';
import { fail, ok, type Result } from '../result.js';
import { isPartyTo, type TradeDocument, type TradeDocumentKind } from './trade-document.js';
import {
  type DocumentCursor,
  type DocumentQuery,
  type DocumentTotal,
  findDocument,
  findDocumentsByIds,
  findReferencingDocuments,
  findRefIds,
  findRefIdsOfEach,
  listDocumentsPage,
  totalDocuments,
} from './trade-document.repository.js';

export type { DocumentCursor, DocumentTotal };

/** A document with the event that states it: id, hash, signature and signing key are its evidence. */
export interface ChainDocument {
  document: TradeDocument;
  event: LedgerEvent;
}

export interface InvoiceChain {
  invoice: ChainDocument;
  purchaseOrder: ChainDocument;
  /** The shipments the invoice's goods receipts name, oldest first. */
  shipments: ChainDocument[];
  /** In the order the invoice names them. */
  goodsReceipts: ChainDocument[];
  /** Documents that name the invoice among their refs (credit notes), oldest first. */
  referencingDocuments: ChainDocument[];
}

export interface DocumentFilter {
  kind?: TradeDocumentKind;
  /** Only documents with this party on the other side (for auditors: on either side). */
  counterpartyId?: string;
}

const documentKinds: readonly TradeDocumentKind[] = [
  'purchase_order',
  'shipment',
  'goods_receipt',
  'invoice',
  'credit_note',
];

const byAge = (a: TradeDocument, b: TradeDocument) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Pairs each document with its event, in one query for all of them. */
async function withEvents(trx: Trx, groups: readonly TradeDocument[][]): Promise<ChainDocument[][]> {
  const eventIds = groups.flat().map((document) => document.eventId);
  const events = new Map((await findEventsByIds(trx, eventIds)).map((event) => [event.id, event]));
  return groups.map((documents) =>
    documents.map((document) => {
      const event = events.get(document.eventId);
      assert(event !== undefined, `trade document ${document.id} has no event`);
      return { document, event };
    }),
  );
}

/** The chain of an invoice, without authorization: for callers that decided who may see it. */
export async function chainOf(trx: Trx, invoice: TradeDocument): Promise<InvoiceChain> {
  const refs = await findDocumentsByIds(trx, await findRefIds(trx, invoice.id));
  const purchaseOrder = refs.find((document) => document.kind === 'purchase_order');
  assert(purchaseOrder !== undefined, `invoice ${invoice.id} names no purchase order`);
  const receiptIds = invoice.body.goodsReceiptIds;
  assert(Array.isArray(receiptIds), `invoice ${invoice.id} names no goods receipts`);
  const receipts = receiptIds.map((id) => refs.find((document) => document.id === id));
  assert(
    receipts.every((receipt) => receipt !== undefined),
    `invoice ${invoice.id} names a receipt it has no ref to`,
  );
  const shipmentIds = new Set(
    [
      ...(
        await findRefIdsOfEach(
          trx,
          receipts.map((receipt) => receipt.id),
        )
      ).values(),
    ].flat(),
  );
  const shipments = (await findDocumentsByIds(trx, [...shipmentIds]))
    .filter((document) => document.kind === 'shipment')
    .sort(byAge);
  const referencing = await findReferencingDocuments(trx, invoice.id);
  const [heads = [], shipmentEntries = [], receiptEntries = [], referencingEntries = []] = await withEvents(
    trx,
    [[invoice, purchaseOrder], shipments, receipts, referencing],
  );
  const [invoiceEntry, orderEntry] = heads;
  assert(invoiceEntry !== undefined && orderEntry !== undefined, 'withEvents keeps every document');
  return {
    invoice: invoiceEntry,
    purchaseOrder: orderEntry,
    shipments: shipmentEntries,
    goodsReceipts: receiptEntries,
    referencingDocuments: referencingEntries,
  };
}

/**
 * An invoice with its purchase order, the shipments its receipts name, its goods receipts and the
 * documents that reference it, each with its signed event. Visible to the invoice's buyer and seller,
 * auditors and platform administrators.
 *
 * Failure codes, in precedence order: invalid_input (invoiceId is not a UUID), invoice_not_found (no
 * such invoice, or the actor may not see it: existence is not revealed).
 */
export async function invoiceWithChain(
  ledger: Ledger,
  actor: Actor,
  invoiceId: string,
): Promise<Result<InvoiceChain>> {
  if (!isUuid(invoiceId)) return fail('invalid_input', 'invoiceId must be a lowercase UUID', 'invoiceId');
  const chain = await inTransaction(ledger.db, async (trx) => {
    const invoice = await findDocument(trx, invoiceId);
    if (invoice?.kind !== 'invoice') return null;
    if (!seesEverything(actor) && !isPartyTo(invoice, actor.partyId)) return null;
    return chainOf(trx, invoice);
  });
  return chain ? ok(chain) : fail('invoice_not_found', `no invoice ${invoiceId}`, 'invoiceId');
}

/**
 * The documents among `ids` that the actor may read in full: those it is buyer or seller of, every
 * one for auditors and administrators. Others are left out, as if they did not exist.
 */
export async function findVisibleDocuments(
  ledger: Ledger,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, TradeDocument>> {
  const documents = await inTransaction(ledger.db, (trx) => findDocumentsByIds(trx, ids));
  const visible = documents.filter((document) => seesEverything(actor) || isPartyTo(document, actor.partyId));
  return new Map(visible.map((document) => [document.id, document]));
}

/**
 * A keyset page, in (createdAt, id) order, of the trade documents the actor is buyer or seller of
 * (every document for auditors and platform administrators).
 *
 * Failure codes: invalid_input (an unknown kind, a counterpartyId that is not a UUID).
 */
export async function listDocuments(
  ledger: Ledger,
  actor: Actor,
  filter: DocumentFilter,
  page: PageRequest<DocumentCursor>,
): Promise<Result<TradeDocument[]>> {
  const query = documentQuery(actor, filter);
  if (!query.ok) return query;
  assert(page.limit >= 0, 'listDocuments: negative page size');
  return ok(await inTransaction(ledger.db, (trx) => listDocumentsPage(trx, query.value, page)));
}

/**
 * Per currency, how many documents listDocuments pages through with this filter and the sum of their
 * totals.
 *
 * Failure codes: as listDocuments.
 */
export async function totalListedDocuments(
  ledger: Ledger,
  actor: Actor,
  filter: DocumentFilter,
): Promise<Result<DocumentTotal[]>> {
  const query = documentQuery(actor, filter);
  if (!query.ok) return query;
  return ok(await inTransaction(ledger.db, (trx) => totalDocuments(trx, query.value)));
}

function documentQuery(actor: Actor, filter: DocumentFilter): Result<DocumentQuery> {
  const { kind, counterpartyId } = filter;
  if (kind !== undefined && !documentKinds.includes(kind)) {
    return fail('invalid_input', `kind must be one of ${documentKinds.join(', ')}`, 'kind');
  }
  if (counterpartyId !== undefined && !isUuid(counterpartyId)) {
    return fail('invalid_input', 'counterpartyId must be a lowercase UUID', 'counterpartyId');
  }
  return ok({
    partyId: seesEverything(actor) ? null : actor.partyId,
    kind: kind ?? null,
    counterpartyId: counterpartyId ?? null,
  });
}
