import type { Selectable } from 'kysely';
import type { TradeDocumentTable } from '../../schema/database.js';
import type { Db, Trx } from '../db/transaction.js';
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
  const row = await trx
    .insertInto('trade_document')
    .values({
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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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
