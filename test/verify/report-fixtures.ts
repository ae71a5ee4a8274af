/**
 * Plain objects for the pure report rules (report-lineage.ts, report-document-rules.ts): trade
 * documents, their events and receivables as the subject loader would hand them over, built without
 * a database so that mutation testing can rerun them for every mutant.
 */
import type { LedgerEvent } from '../../services/events/event.js';
import type { Receivable } from '../../services/receivables/receivable.js';
import type { ChainDocument } from '../../services/trade/document-chain.service.js';
import type { TradeDocument } from '../../services/trade/trade-document.js';
import type { ReportEvent } from '../../services/verify/report-events.repository.js';
import type { ReportSubject } from '../../services/verify/report-subject.js';

export const buyer = 'party-buyer';
export const seller = 'party-seller';

export function tradeDocument(
  fields: Pick<TradeDocument, 'id' | 'kind' | 'documentDate'> & Partial<TradeDocument>,
): TradeDocument {
  return {
    eventId: `event-${fields.id}`,
    buyerPartyId: buyer,
    sellerPartyId: seller,
    currency: 'EUR',
    documentNumber: `no-${fields.id}`,
    dueDate: null,
    totalMinor: null,
    status: 'recorded',
    body: { lines: [] },
    createdAt: new Date('2025-03-01T00:00:00Z'),
    ...fields,
  };
}

/** A document with the event that recorded it (id `event-<document id>`). */
export function chainDocument(document: TradeDocument): ChainDocument {
  const event: LedgerEvent = {
    id: document.eventId,
    kind: `${document.kind}.recorded`,
    actorPartyId: document.kind === 'goods_receipt' ? document.buyerPartyId : document.sellerPartyId,
    counterpartyPartyId: null,
    keyId: 'key',
    custodial: false,
    idempotencyKey: document.eventId,
    statement: Buffer.alloc(0),
    eventHash: Buffer.alloc(32),
    signature: Buffer.alloc(64),
    payload: null,
    occurredAt: document.createdAt,
    recordedAt: document.createdAt,
  };
  return { document, event };
}

export function reportEvent(
  fields: Pick<ReportEvent, 'eventId' | 'kind' | 'actorPartyId'> & Partial<ReportEvent>,
): ReportEvent {
  return {
    statement: Buffer.alloc(0),
    eventHash: Buffer.alloc(32),
    signature: Buffer.alloc(64),
    keyId: 'key',
    custodial: false,
    occurredAt: new Date('2025-03-10T12:00:00Z'),
    recordedAt: new Date('2025-03-10T12:00:00Z'),
    key: null,
    leafIndex: null,
    ...fields,
  };
}

/** A balanced receivable: everything outstanding unless the amounts are given. */
export function receivable(fields: Pick<Receivable, 'id' | 'faceMinor'> & Partial<Receivable>): Receivable {
  return {
    invoiceId: 'invoice-1',
    parentId: null,
    rootId: fields.id,
    tier: 0,
    obligorPartyId: buyer,
    holderPartyId: seller,
    currency: 'EUR',
    transferredMinor: 0n,
    settledMinor: 0n,
    creditedMinor: 0n,
    outstandingMinor: fields.faceMinor,
    dueDate: '2025-06-01',
    status: 'open',
    onHold: false,
    financingId: null,
    createdEventId: `event-${fields.id}`,
    createdAt: new Date('2025-03-10T12:00:00Z'),
    ...fields,
  };
}

/** What lineageCheck reads of a subject: the receivable, the tree and the events behind them. */
export function lineageSubject(part: Receivable, tree: Receivable[], events: ReportEvent[]): ReportSubject {
  return {
    receivable: part,
    invoice: tradeDocument({ id: 'invoice-1', kind: 'invoice', documentDate: '2025-03-05' }),
    tree,
    chain: null,
    links: [],
    behindEventIds: events.map((event) => event.eventId),
    events: new Map(events.map((event) => [event.eventId, event])),
    checkpoint: null,
  };
}
