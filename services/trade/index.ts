/**
 * The trade document facts. Importing this module registers every one of them with the fact
 * pipeline (services/events/fact.service.ts); GraphQL and scripts import it once at start.
 */
export {
  type ChainDocument,
  type DocumentCursor,
  type DocumentFilter,
  type InvoiceChain,
  invoiceWithChain,
  listDocuments,
} from './document-chain.service.js';
export { type GoodsReceiptPayload, goodsReceiptFact, goodsReceiptKind } from './goods-receipt.fact.js';
export { type InvoiceLine, type InvoicePayload, invoiceFact, invoiceKind } from './invoice.fact.js';
export {
  type PurchaseOrderLine,
  type PurchaseOrderPayload,
  purchaseOrderFact,
  purchaseOrderKind,
} from './purchase-order.fact.js';
export { type ShipmentPayload, shipmentFact, shipmentKind } from './shipment.fact.js';
export type { TradeDocument, TradeDocumentKind, TradeDocumentStatus } from './trade-document.js';
