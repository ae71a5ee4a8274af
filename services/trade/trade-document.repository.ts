import { type Selectable, sql } from 'kysely';
import type { TradeDocumentTable } from '../../schema/database.js';
import { activeBuffer, bufferRow } from '../db/insert-buffer.js';
import type { Db, Trx } from '../db/transaction.js';
import type { PageRequest } from '../paging.js';
import type { TradeDocument, TradeDocumentKind, TradeDocumentStatus } from './trade-document.js';

function toDocument(row: Selectable<TradeDocumentTable>): TradeDocument {
  return {
    id: row.id,
    kind: row.kind,
    eventId: row.event_id,
    buyerPartyId: row.buyer_party_id,
    sellerPartyId: row.seller_party_id,
    currency: row.currency,
    documentNumber: row.document_number,
    documentDate: row.document_date,
    dueDate: row.due_date,
    totalMinor: row.total_minor,
    status: row.status,
    body: row.body as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

export async function insertDocument(
  trx: Trx,
  document: Omit<TradeDocument, 'createdAt'>,
  refDocumentIds: readonly string[],
): Promise<TradeDocument> {
  const values = {
    id: document.id,
    kind: document.kind,
    event_id: document.eventId,
    buyer_party_id: document.buyerPartyId,
    seller_party_id: document.sellerPartyId,
    currency: document.currency,
    document_number: document.documentNumber,
    document_date: document.documentDate,
    due_date: document.dueDate,
    total_minor: document.totalMinor,
    status: document.status,
    body: JSON.stringify(document.body),
  };
  const buffer = refDocumentIds.length === 0 ? activeBuffer(trx) : undefined;
  if (buffer) {
    // created_at as its column default computes it: the transaction's timestamp to the millisecond.
    const row = { ...values, created_at: buffer.now };
    bufferRow(buffer, 'trade_document', row);
    return toDocument({ ...row, body: JSON.parse(values.body) });
  }
  const row = await trx.insertInto('trade_document').values(values).returningAll().executeTakeFirstOrThrow();
  if (refDocumentIds.length > 0) {
    await trx
      .insertInto('trade_document_ref')
      .values(
        refDocumentIds.map((refDocumentId) => ({ document_id: document.id, ref_document_id: refDocumentId })),
      )
      .execute();
  }
  return toDocument(row);
}

export async function findDocumentsByIds(db: Db | Trx, ids: readonly string[]): Promise<TradeDocument[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('trade_document').selectAll().where('id', 'in', ids).execute();
  return rows.map(toDocument);
}

export async function findDocument(db: Db | Trx, id: string): Promise<TradeDocument | undefined> {
  const [document] = await findDocumentsByIds(db, [id]);
  return document;
}

/** An invoice's id, its row taken FOR UPDATE when `lock` (the subject of the invoice's fact chain). */
export async function findInvoiceRow(
  trx: Trx,
  id: string,
  options: { lock: boolean },
): Promise<{ id: string } | undefined> {
  let query = trx
    .selectFrom('trade_document')
    .select('id')
    .where('id', '=', id)
    .where('kind', '=', 'invoice');
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Documents that name `id` among their refs, optionally of one kind. */
export async function findReferencingDocuments(
  db: Db | Trx,
  id: string,
  kind?: TradeDocumentKind,
): Promise<TradeDocument[]> {
  let query = db
    .selectFrom('trade_document')
    .innerJoin('trade_document_ref', 'trade_document_ref.document_id', 'trade_document.id')
    .selectAll('trade_document')
    .where('trade_document_ref.ref_document_id', '=', id)
    .orderBy('trade_document.created_at')
    .orderBy('trade_document.id');
  if (kind) query = query.where('trade_document.kind', '=', kind);
  return (await query.execute()).map(toDocument);
}

export async function findRefIds(db: Db | Trx, documentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('trade_document_ref')
    .select('ref_document_id')
    .where('document_id', '=', documentId)
    .orderBy('ref_document_id')
    .execute();
  return rows.map((row) => row.ref_document_id);
}

/** The refs of each of `documentIds`, all in one query, each list in ref id order. */
export async function findRefIdsOfEach(
  db: Db | Trx,
  documentIds: readonly string[],
): Promise<Map<string, string[]>> {
  const refs = new Map<string, string[]>(documentIds.map((id) => [id, []]));
  if (documentIds.length === 0) return refs;
  const rows = await db
    .selectFrom('trade_document_ref')
    .select(['document_id', 'ref_document_id'])
    .where('document_id', 'in', [...new Set(documentIds)])
    .orderBy('document_id')
    .orderBy('ref_document_id')
    .execute();
  for (const row of rows) refs.get(row.document_id)?.push(row.ref_document_id);
  return refs;
}

export async function setDocumentStatus(trx: Trx, id: string, status: TradeDocumentStatus): Promise<void> {
  await trx.updateTable('trade_document').set({ status }).where('id', '=', id).execute();
}

/** The event hash (hex) behind each document, for refs. */
export async function eventHashesOfDocuments(
  db: Db | Trx,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('trade_document')
    .innerJoin('event', 'event.id', 'trade_document.event_id')
    .select(['trade_document.id', 'event.event_hash'])
    .where('trade_document.id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.event_hash.toString('hex')]));
}

/** Distinct documents of `kind` that name any of `ids` among their refs, oldest first. */
export async function findDocumentsReferencingAny(
  db: Db | Trx,
  ids: readonly string[],
  kind: TradeDocumentKind,
): Promise<TradeDocument[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('trade_document')
    .selectAll()
    .where('kind', '=', kind)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('trade_document_ref')
          .select('trade_document_ref.document_id')
          .whereRef('trade_document_ref.document_id', '=', 'trade_document.id')
          .where('trade_document_ref.ref_document_id', 'in', ids),
      ),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toDocument);
}

/** The seller's invoice with this tax invoice number, whatever its status. */
export async function findInvoiceByTaxNumber(
  db: Db | Trx,
  sellerPartyId: string,
  taxInvoiceNumber: string,
): Promise<TradeDocument | undefined> {
  const row = await db
    .selectFrom('trade_document')
    .selectAll()
    .where('kind', '=', 'invoice')
    .where('seller_party_id', '=', sellerPartyId)
    .where('document_number', '=', taxInvoiceNumber)
    .executeTakeFirst();
  return row && toDocument(row);
}

export interface DocumentCursor {
  createdAt: Date;
  id: string;
}

export interface DocumentQuery {
  /** Only documents this party is buyer or seller of; null for all. */
  partyId: string | null;
  kind: TradeDocumentKind | null;
  /** Only documents whose buyer or seller is this party (the other side when partyId is set). */
  counterpartyId: string | null;
}

function documentsMatching(db: Db | Trx, filter: DocumentQuery) {
  let query = db.selectFrom('trade_document');
  const { partyId, counterpartyId } = filter;
  if (partyId !== null) {
    query = query.where((eb) =>
      eb.or([eb('buyer_party_id', '=', partyId), eb('seller_party_id', '=', partyId)]),
    );
  }
  if (counterpartyId !== null) {
    query = query.where((eb) =>
      eb.or([eb('buyer_party_id', '=', counterpartyId), eb('seller_party_id', '=', counterpartyId)]),
    );
  }
  return filter.kind === null ? query : query.where('kind', '=', filter.kind);
}

export interface DocumentTotal {
  currency: string;
  count: number;
  /** The sum of the totals stated (a shipment or goods receipt states none). */
  totalMinor: bigint;
}

/** Per currency, how many documents listDocumentsPage pages through and the sum of their totals. */
export async function totalDocuments(db: Db | Trx, filter: DocumentQuery): Promise<DocumentTotal[]> {
  const rows = await documentsMatching(db, filter)
    .select([
      'currency',
      // SUM over INT8 is NUMERIC (PostgreSQL) or DECIMAL (CockroachDB): cast back to a bigint.
      sql<bigint>`count(*)::INT8`.as('count'),
      sql<bigint>`coalesce(sum(total_minor)::INT8, 0)`.as('total'),
    ])
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return rows.map((row) => ({ currency: row.currency, count: Number(row.count), totalMinor: row.total }));
}

/**
 * Keyset page in (created_at, id) order, read through the trade_document_created index. created_at is
 * stored at millisecond precision (its default, migrations 0086-0087), the precision a JavaScript Date
 * carries through a cursor, so comparing a row with a cursor is exact and the order is the column's.
 */
export async function listDocumentsPage(
  db: Db | Trx,
  filter: DocumentQuery,
  page: PageRequest<DocumentCursor>,
): Promise<TradeDocument[]> {
  const direction = page.inverted ? 'desc' : 'asc';
  let query = documentsMatching(db, filter)
    .selectAll()
    .orderBy('created_at', direction)
    .orderBy('id', direction)
    .limit(page.limit);
  const { after, before } = page;
  if (after !== null) {
    query = query.where(
      sql<boolean>`(created_at, id) > (${after.createdAt}::TIMESTAMPTZ, ${after.id}::UUID)`,
    );
  }
  if (before !== null) {
    query = query.where(
      sql<boolean>`(created_at, id) < (${before.createdAt}::TIMESTAMPTZ, ${before.id}::UUID)`,
    );
  }
  return (await query.execute()).map(toDocument);
}
