/** Trade documents: the types, the invoice chain and document list queries, and their prepare… mutations. */

import { formatAmount } from '../services/money/money.js';
import {
  type ChainDocument,
  type DocumentCursor,
  type DocumentTotal,
  type InvoiceChain,
  invoiceWithChain,
  listDocuments,
  totalListedDocuments,
} from '../services/trade/document-chain.service.js';
import type { TradeDocument } from '../services/trade/trade-document.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { EventRef } from './event.js';
import { NodeRef } from './node.js';
import { countedConnection, instantIdCursor, totalCountDescription } from './paging.js';
import { PartyRef } from './party.js';

const DocumentKindEnum = builder.enumType('TradeDocumentKind', {
  values: screamingValues(['purchase_order', 'shipment', 'goods_receipt', 'invoice', 'credit_note'] as const),
});
const DocumentStatusEnum = builder.enumType('TradeDocumentStatus', {
  values: screamingValues(['recorded', 'issued', 'confirmed', 'cancellation_pending', 'cancelled'] as const),
});

interface LineBody {
  lineNumber?: number;
  itemCode: string;
  description?: string;
  quantity?: string;
  quantityAccepted?: string;
  unit?: string;
  unitPrice?: string;
}

const DocumentLineRef = builder.objectRef<LineBody>('TradeDocumentLine').implement({
  description: 'A line as stated: ordered, shipped, accepted or invoiced quantity of one item.',
  fields: (t) => ({
    lineNumber: t.int({ nullable: true, resolve: (line) => line.lineNumber ?? null }),
    itemCode: t.exposeString('itemCode'),
    description: t.string({ nullable: true, resolve: (line) => line.description ?? null }),
    quantity: t.field({
      type: 'Decimal',
      description: 'Ordered, shipped or invoiced quantity; accepted quantity on a goods receipt.',
      resolve: (line) => line.quantity ?? line.quantityAccepted ?? '0',
    }),
    unit: t.string({ nullable: true, resolve: (line) => line.unit ?? null }),
    unitPrice: t.field({ type: 'Decimal', nullable: true, resolve: (line) => line.unitPrice ?? null }),
  }),
});

export const TradeDocumentRef = builder.objectRef<TradeDocument>('TradeDocument').implement({
  description:
    'A purchase order, shipment, goods receipt, invoice or credit note, as its signed event states it. Only its buyer, seller, auditors and administrators see one.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: DocumentKindEnum, resolve: (document) => document.kind }),
    status: t.field({ type: DocumentStatusEnum, resolve: (document) => document.status }),
    buyer: t.field({ type: PartyRef, resolve: (document) => document.buyerPartyId }),
    seller: t.field({ type: PartyRef, resolve: (document) => document.sellerPartyId }),
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    documentNumber: t.exposeString('documentNumber', {
      description: 'Order number, waybill number, tax invoice number or credit note number.',
    }),
    documentDate: t.expose('documentDate', {
      type: 'Date',
      description: 'Order, shipping, receipt or issue date.',
    }),
    dueDate: t.expose('dueDate', { type: 'Date', nullable: true }),
    total: t.field({
      type: 'Decimal',
      nullable: true,
      resolve: (document) =>
        document.totalMinor === null ? null : formatAmount(document.totalMinor, document.currency),
    }),
    lines: t.field({
      type: [DocumentLineRef],
      resolve: (document) => (Array.isArray(document.body.lines) ? (document.body.lines as LineBody[]) : []),
    }),
  }),
});

const ChainDocumentRef = builder.objectRef<ChainDocument>('ChainDocument').implement({
  description: 'A document with the signed event behind it: its evidence.',
  fields: (t) => ({
    document: t.field({ type: TradeDocumentRef, resolve: (entry) => entry.document }),
    event: t.field({ type: EventRef, resolve: (entry) => entry.event }),
  }),
});

const InvoiceChainRef = builder.objectRef<InvoiceChain>('InvoiceChain').implement({
  description: 'An invoice with its whole document chain: order, shipments, receipts, and later documents.',
  fields: (t) => ({
    invoice: t.field({ type: ChainDocumentRef, resolve: (chain) => chain.invoice }),
    purchaseOrder: t.field({ type: ChainDocumentRef, resolve: (chain) => chain.purchaseOrder }),
    shipments: t.field({ type: [ChainDocumentRef], resolve: (chain) => chain.shipments }),
    goodsReceipts: t.field({ type: [ChainDocumentRef], resolve: (chain) => chain.goodsReceipts }),
    referencingDocuments: t.field({
      type: [ChainDocumentRef],
      description: 'Credit notes and other documents naming this invoice.',
      resolve: (chain) => chain.referencingDocuments,
    }),
  }),
});

const documentCursor = instantIdCursor<TradeDocument, DocumentCursor>(
  (document) => [document.createdAt, document.id],
  (createdAt, id) => ({ createdAt, id }),
);

const DocumentTotalRef = builder.objectRef<DocumentTotal>('DocumentCurrencyTotal').implement({
  description: 'What a list of trade documents states in one currency: never summed across currencies.',
  fields: (t) => ({
    currency: t.expose('currency', { type: 'CurrencyCode' }),
    count: t.exposeInt('count'),
    total: t.field({
      type: 'Decimal',
      description: 'The sum of the totals stated (shipments and goods receipts state none).',
      resolve: (total) => formatAmount(total.totalMinor, total.currency),
    }),
  }),
});

builder.queryFields((t) => ({
  invoice: t.field({
    type: InvoiceChainRef,
    errors: domainErrors('InvoiceResult'),
    authScopes: { authenticated: true },
    description:
      'An invoice with its document chain; only its buyer, seller, auditors and administrators see it.',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await invoiceWithChain(context.ledger, actorOf(context), args.id)),
  }),
  documents: t.connection(
    {
      type: TradeDocumentRef,
      authScopes: { authenticated: true },
      description: 'Trade documents the caller is buyer or seller of (all for auditors), oldest first.',
      args: {
        kind: t.arg({ type: DocumentKindEnum, required: false }),
        counterpartyId: t.arg({ type: 'UUID', required: false }),
      },
      resolve: (_root, args, context) => {
        const filter = {
          ...(args.kind ? { kind: args.kind } : {}),
          ...(args.counterpartyId ? { counterpartyId: args.counterpartyId } : {}),
        };
        let totals: Promise<DocumentTotal[]> | null = null;
        const totalsOnce = () => {
          totals ??= totalListedDocuments(context.ledger, actorOf(context), filter).then(unwrap);
          return totals;
        };
        return countedConnection(
          args,
          documentCursor,
          async (page) => unwrap(await listDocuments(context.ledger, actorOf(context), filter, page)),
          async () => (await totalsOnce()).reduce((sum, total) => sum + total.count, 0),
        ).then((connection) => ({ ...connection, totals: totalsOnce }));
      },
    },
    {
      name: 'TradeDocumentConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
        totals: t.field({
          type: [DocumentTotalRef],
          description:
            'Count and sum of the totals per currency of every document that matches (all pages); filter by kind to add like with like.',
          resolve: (c) => c.totals(),
        }),
      }),
    },
    { name: 'TradeDocumentEdge' },
  ),
}));
