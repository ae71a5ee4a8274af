/**
 * goods_receipt.recorded: the buyer attests what it accepted against a purchase order, optionally
 * naming the shipments that delivered it. Only the buyer states it (the seller and its lenders rely on
 * the buyer's signature); the seller is the counterparty.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { registerFact } from '../events/fact.js';
import { type Failure, fail, ok } from '../result.js';
import { dateSchema, parseWith, uuidSchema } from '../validation.js';
import {
  documentIdProblem,
  documentRefsMax,
  findChainDocuments,
  firstExcess,
  itemCodeSchema,
  itemNotOnOrder,
  linesMax,
  quantitiesByItem,
  quantitySchema,
  refsOf,
  showQuantity,
  uniqueBy,
  uniqueItemCodes,
} from './chain-rules.js';
import { isPartyTo, type TradeDocument } from './trade-document.js';
import { findDocument, findReferencingDocuments, insertDocument } from './trade-document.repository.js';

export const goodsReceiptKind = 'goods_receipt.recorded';

const payloadSchema = z.strictObject({
  documentId: uuidSchema,
  purchaseOrderId: uuidSchema,
  shipmentIds: z
    .array(uuidSchema)
    .max(documentRefsMax)
    .superRefine(
      uniqueBy(
        (id) => id,
        'shipment id',
        (index) => [index],
      ),
    ),
  receivedOn: dateSchema,
  lines: z
    .array(z.strictObject({ itemCode: itemCodeSchema, quantityAccepted: quantitySchema }))
    .min(1)
    .max(linesMax)
    .superRefine(uniqueItemCodes),
});

export type GoodsReceiptPayload = z.output<typeof payloadSchema>;

/** Failure codes: document_not_found, document_kind_mismatch, document_chain_mismatch. */
async function shipmentsOfOrder(
  trx: Trx,
  order: TradeDocument,
  shipmentIds: readonly string[],
  visible: (document: TradeDocument) => boolean,
) {
  const refs = shipmentIds.map((id, index) => ({ id, field: `shipmentIds.${index}` }));
  const shipments = await findChainDocuments(trx, refs, 'shipment', visible);
  if (!shipments.ok) return shipments;
  const index = shipments.value.findIndex((shipment) => shipment.body.purchaseOrderId !== order.id);
  if (index >= 0) {
    return fail(
      'document_chain_mismatch',
      `shipmentIds.${index}: shipment ${shipmentIds[index]} is not of purchase order ${order.id}`,
      `shipmentIds.${index}`,
    );
  }
  return shipments;
}

/** Failure codes: dates_out_of_order, item_not_on_order, quantity_exceeds_ordered. */
async function receivedWithinOrder(
  trx: Trx,
  order: TradeDocument,
  shipments: readonly TradeDocument[],
  payload: GoodsReceiptPayload,
): Promise<Failure | null> {
  const { receivedOn } = payload;
  if (receivedOn < order.documentDate) {
    return fail(
      'dates_out_of_order',
      `receivedOn ${receivedOn} is before the order date ${order.documentDate}`,
      'receivedOn',
    );
  }
  const late = shipments.find((shipment) => receivedOn < shipment.documentDate);
  if (late) {
    return fail(
      'dates_out_of_order',
      `receivedOn ${receivedOn} is before shipment ${late.documentNumber} left on ${late.documentDate}`,
      'receivedOn',
    );
  }
  const notOnOrder = itemNotOnOrder(payload.lines, order);
  if (notOnOrder) return notOnOrder;
  const received = quantitiesByItem(
    await findReferencingDocuments(trx, order.id, 'goods_receipt'),
    'quantityAccepted',
  );
  const excess = firstExcess(
    payload.lines,
    'quantityAccepted',
    received,
    quantitiesByItem([order], 'quantity'),
  );
  if (!excess) return null;
  return fail(
    'quantity_exceeds_ordered',
    `${excess.field}: accepting ${showQuantity(excess.wanted)} more would receive ` +
      `${showQuantity(excess.used + excess.wanted)} of ${showQuantity(excess.limit)} ordered`,
    excess.field,
  );
}

/**
 * Failure codes, in precedence order: document_not_found, document_kind_mismatch (purchaseOrderId),
 * forbidden (the actor is not the order's buyer), document_id_taken, document_not_found,
 * document_kind_mismatch, document_chain_mismatch (shipmentIds.N), dates_out_of_order (receivedOn
 * before the order date or a shipment's date), item_not_on_order, quantity_exceeds_ordered (across
 * all receipts of the order).
 */
export const goodsReceiptFact = registerFact<GoodsReceiptPayload>({
  kind: goodsReceiptKind,
  roles: ['core_enterprise', 'supplier'],
  parse: (input) => parseWith(payloadSchema, input),
  claims: (payload) => [payload.documentId],
  async check(trx, _ledger, actor, payload) {
    const visible = (document: TradeDocument) => isPartyTo(document, actor.partyId);
    const found = await findChainDocuments(
      trx,
      [{ id: payload.purchaseOrderId, field: 'purchaseOrderId' }],
      'purchase_order',
      visible,
    );
    if (!found.ok) return found;
    const [order] = found.value;
    assert(order !== undefined, 'findChainDocuments returns one document per ref');
    if (actor.partyId !== order.buyerPartyId) {
      return fail('forbidden', 'only the buyer of the purchase order records a goods receipt');
    }
    const taken = await documentIdProblem(trx, payload.documentId);
    if (taken) return taken;
    const shipments = await shipmentsOfOrder(trx, order, payload.shipmentIds, visible);
    if (!shipments.ok) return shipments;
    const problem = await receivedWithinOrder(trx, order, shipments.value, payload);
    if (problem) return problem;
    return ok({ counterparty: order.sellerPartyId, refs: await refsOf(trx, [order, ...shipments.value]) });
  },
  async project(trx, _ledger, event, payload) {
    const order = await findDocument(trx, payload.purchaseOrderId);
    assert(order !== undefined, `goods receipt ${payload.documentId}: its purchase order vanished`);
    await insertDocument(
      trx,
      {
        id: payload.documentId,
        kind: 'goods_receipt',
        eventId: event.id,
        buyerPartyId: order.buyerPartyId,
        sellerPartyId: order.sellerPartyId,
        currency: order.currency,
        // A receipt carries no number of its own: its id names it.
        documentNumber: payload.documentId,
        documentDate: payload.receivedOn,
        dueDate: null,
        totalMinor: null,
        status: 'recorded',
        body: payload,
      },
      [order.id, ...payload.shipmentIds],
    );
  },
});
