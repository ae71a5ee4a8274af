/**
 * shipment.recorded: goods sent against a purchase order, stated by the order's seller only. The seller
 * may name a registered logistics party as carrier; naming it gives the carrier no right to state
 * anything about the order. The counterparty is always the buyer.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { registerFact } from '../events/fact.js';
import type { Actor } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { type Failure, fail, ok } from '../result.js';
import { dateSchema, parseWith, textSchema, uuidSchema } from '../validation.js';
import {
  documentIdProblem,
  documentNumberLengthMax,
  findChainDocuments,
  firstExcess,
  itemCodeSchema,
  itemNotOnOrder,
  linesMax,
  quantitiesByItem,
  quantitySchema,
  refsOf,
  showQuantity,
  uniqueItemCodes,
} from './chain-rules.js';
import { isPartyTo, type TradeDocument } from './trade-document.js';
import { findDocument, findReferencingDocuments, insertDocument } from './trade-document.repository.js';

export const shipmentKind = 'shipment.recorded';

const payloadSchema = z.strictObject({
  documentId: uuidSchema,
  purchaseOrderId: uuidSchema,
  waybillNumber: textSchema(documentNumberLengthMax, 'code'),
  shippedOn: dateSchema,
  /** Absent and null mean the same: no carrier named; the normal form is null. */
  carrierPartyId: uuidSchema.nullish().transform((id) => id ?? null),
  lines: z
    .array(z.strictObject({ itemCode: itemCodeSchema, quantity: quantitySchema }))
    .min(1)
    .max(linesMax)
    .superRefine(uniqueItemCodes),
});

export type ShipmentPayload = z.output<typeof payloadSchema>;

/** Failure codes: party_not_found, invalid_input (the named carrier is not a logistics party). */
async function carrierProblem(trx: Trx, carrierPartyId: string | null): Promise<Failure | null> {
  if (carrierPartyId === null) return null;
  const carrier = await findPartyById(trx, carrierPartyId);
  if (!carrier)
    return fail('party_not_found', `carrierPartyId: no party ${carrierPartyId}`, 'carrierPartyId');
  if (!carrier.roles.includes('logistics')) {
    return fail(
      'invalid_input',
      'carrierPartyId: the carrier must have the logistics role',
      'carrierPartyId',
    );
  }
  return null;
}

/** Failure codes: dates_out_of_order, item_not_on_order, quantity_exceeds_ordered. */
async function shippedWithinOrder(
  trx: Trx,
  order: TradeDocument,
  payload: ShipmentPayload,
): Promise<Failure | null> {
  if (payload.shippedOn < order.documentDate) {
    return fail(
      'dates_out_of_order',
      `shippedOn ${payload.shippedOn} is before the order date ${order.documentDate}`,
      'shippedOn',
    );
  }
  const notOnOrder = itemNotOnOrder(payload.lines, order);
  if (notOnOrder) return notOnOrder;
  const shipped = quantitiesByItem(await findReferencingDocuments(trx, order.id, 'shipment'), 'quantity');
  const excess = firstExcess(payload.lines, 'quantity', shipped, quantitiesByItem([order], 'quantity'));
  if (!excess) return null;
  return fail(
    'quantity_exceeds_ordered',
    `${excess.field}: ${showQuantity(excess.wanted)} more would ship ${showQuantity(excess.used + excess.wanted)} ` +
      `of ${showQuantity(excess.limit)} ordered`,
    excess.field,
  );
}

/**
 * Failure codes, in precedence order: document_not_found (also when the actor is not a party to the
 * order), document_kind_mismatch (purchaseOrderId), party_not_found, invalid_input (carrierPartyId),
 * forbidden (the actor is not the order's seller), document_id_taken, dates_out_of_order (shippedOn
 * before the order date), item_not_on_order, quantity_exceeds_ordered (across all shipments of the
 * order).
 */
export const shipmentFact = registerFact<ShipmentPayload>({
  kind: shipmentKind,
  roles: ['supplier'],
  parse: (input) => parseWith(payloadSchema, input),
  claims: (payload) => [payload.documentId],
  async check(trx, _ledger, actor: Actor, payload) {
    const found = await findChainDocuments(
      trx,
      [{ id: payload.purchaseOrderId, field: 'purchaseOrderId' }],
      'purchase_order',
      (document: TradeDocument) => isPartyTo(document, actor.partyId),
    );
    if (!found.ok) return found;
    const [order] = found.value;
    assert(order !== undefined, 'findChainDocuments returns one document per ref');
    const carrier = await carrierProblem(trx, payload.carrierPartyId);
    if (carrier) return carrier;
    if (actor.partyId !== order.sellerPartyId) {
      return fail('forbidden', "only the order's seller records a shipment");
    }
    const problem =
      (await documentIdProblem(trx, payload.documentId)) ?? (await shippedWithinOrder(trx, order, payload));
    if (problem) return problem;
    return ok({
      counterparty: order.buyerPartyId,
      refs: await refsOf(trx, [order]),
    });
  },
  async project(trx, _ledger, event, payload) {
    const order = await findDocument(trx, payload.purchaseOrderId);
    assert(order !== undefined, `shipment ${payload.documentId}: its purchase order vanished`);
    await insertDocument(
      trx,
      {
        id: payload.documentId,
        kind: 'shipment',
        eventId: event.id,
        buyerPartyId: order.buyerPartyId,
        sellerPartyId: order.sellerPartyId,
        currency: order.currency,
        documentNumber: payload.waybillNumber,
        documentDate: payload.shippedOn,
        dueDate: null,
        totalMinor: null,
        status: 'recorded',
        body: payload,
      },
      [order.id],
    );
  },
});
