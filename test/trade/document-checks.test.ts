import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { goodsReceiptKind, purchaseOrderKind, shipmentKind } from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { expectRejected, mainLines, type Row, useCheckWorld, w1 } from './check-world.js';
import { dates, purchaseOrderPayload } from './trade-fixtures.js';

const ledger = useTestLedger();
const world = useCheckWorld(ledger);
const asSeller = (): TestParty => world.seller;
const asBuyer = (): TestParty => world.buyer;

function order(fields: Record<string, unknown> = {}, lines = mainLines) {
  return purchaseOrderPayload(world.buyer, world.seller, lines, fields);
}

const purchaseOrderRows: Row[] = [
  [
    'an item code twice',
    'invalid_input',
    'lines.1.itemCode',
    asSeller,
    purchaseOrderKind,
    () => order({}, [w1, w1]),
  ],
  [
    'a line number past the line count',
    'invalid_input',
    'lines.0.lineNumber',
    asSeller,
    purchaseOrderKind,
    () => ({ ...order(), lines: [{ ...(order().lines as object[])[0], lineNumber: 3 }] }),
  ],
  [
    'a quantity with seven decimals',
    'invalid_input',
    'lines.0.quantity',
    asSeller,
    purchaseOrderKind,
    () => order({}, [{ itemCode: 'W1', quantity: '1.0000001', unitPrice: '1' }]),
  ],
  [
    'the same buyer and seller',
    'invalid_input',
    'sellerPartyId',
    asSeller,
    purchaseOrderKind,
    () => order({ buyerPartyId: world.seller.party.id }),
  ],
  [
    'an unknown field',
    'invalid_input',
    undefined,
    asSeller,
    purchaseOrderKind,
    () => order({ discount: '5' }),
  ],
  ['a third party', 'forbidden', undefined, () => world.stranger, purchaseOrderKind, () => order()],
  [
    'delivery before the order',
    'dates_out_of_order',
    'requestedDeliveryDate',
    asSeller,
    purchaseOrderKind,
    () => order({ requestedDeliveryDate: '2025-02-28' }),
  ],
  [
    'an unregistered seller',
    'party_not_found',
    'sellerPartyId',
    asBuyer,
    purchaseOrderKind,
    () => order({ sellerPartyId: randomUUID() }),
  ],
  [
    'a documentId in use',
    'document_id_taken',
    'documentId',
    asSeller,
    purchaseOrderKind,
    () => order({ documentId: world.main.receiptId }),
  ],
];

function shipment(fields: Record<string, unknown> = {}) {
  return {
    documentId: randomUUID(),
    purchaseOrderId: world.main.orderId,
    waybillNumber: freshKey('WB'),
    shippedOn: dates.shipped,
    lines: [{ itemCode: 'W1', quantity: '1' }],
    ...fields,
  };
}

const shipmentRows: Row[] = [
  [
    'an unknown order',
    'document_not_found',
    'purchaseOrderId',
    asSeller,
    shipmentKind,
    () => shipment({ purchaseOrderId: randomUUID() }),
  ],
  [
    'a receipt as the order',
    'document_kind_mismatch',
    'purchaseOrderId',
    asSeller,
    shipmentKind,
    () => shipment({ purchaseOrderId: world.main.receiptId }),
  ],
  [
    'an unregistered carrier',
    'party_not_found',
    'carrierPartyId',
    asSeller,
    shipmentKind,
    () => shipment({ carrierPartyId: randomUUID() }),
  ],
  [
    'a world.carrier without the logistics role',
    'invalid_input',
    'carrierPartyId',
    asSeller,
    shipmentKind,
    () => shipment({ carrierPartyId: world.stranger.party.id }),
  ],
  ['a shipment by the buyer', 'forbidden', undefined, asBuyer, shipmentKind, () => shipment()],
  [
    'a logistics party naming itself as carrier',
    'forbidden',
    undefined,
    () => world.carrier,
    shipmentKind,
    () => shipment({ carrierPartyId: world.carrier.party.id }),
  ],
  [
    "a supplier that is not the order's seller",
    'document_not_found',
    'purchaseOrderId',
    () => world.stranger,
    shipmentKind,
    () => shipment(),
  ],
  [
    'a documentId in use',
    'document_id_taken',
    'documentId',
    asSeller,
    shipmentKind,
    () => shipment({ documentId: world.main.shipmentId }),
  ],
  [
    'shipping before the order',
    'dates_out_of_order',
    'shippedOn',
    asSeller,
    shipmentKind,
    () => shipment({ shippedOn: '2025-02-28' }),
  ],
  [
    'an item not on the order',
    'item_not_on_order',
    'lines.0.itemCode',
    asSeller,
    shipmentKind,
    () => shipment({ lines: [{ itemCode: 'W9', quantity: '1' }] }),
  ],
  [
    'more than ordered across shipments',
    'quantity_exceeds_ordered',
    'lines.0.quantity',
    asSeller,
    shipmentKind,
    () => shipment({ lines: [{ itemCode: 'W2', quantity: '0.000001' }] }),
  ],
];

function receipt(fields: Record<string, unknown> = {}) {
  return {
    documentId: randomUUID(),
    purchaseOrderId: world.main.orderId,
    shipmentIds: [world.main.shipmentId],
    receivedOn: dates.received,
    lines: [{ itemCode: 'W1', quantityAccepted: '1' }],
    ...fields,
  };
}

const receiptRows: Row[] = [
  [
    'a shipment id twice',
    'invalid_input',
    'shipmentIds.1',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ shipmentIds: [world.main.shipmentId, world.main.shipmentId] }),
  ],
  [
    'an unknown order',
    'document_not_found',
    'purchaseOrderId',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ purchaseOrderId: randomUUID() }),
  ],
  ['a receipt by the seller', 'forbidden', undefined, asSeller, goodsReceiptKind, () => receipt()],
  [
    'a documentId in use',
    'document_id_taken',
    'documentId',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ documentId: world.main.orderId }),
  ],
  [
    'an unknown shipment',
    'document_not_found',
    'shipmentIds.0',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ shipmentIds: [randomUUID()] }),
  ],
  [
    'an order as a shipment',
    'document_kind_mismatch',
    'shipmentIds.0',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ shipmentIds: [world.main.orderId] }),
  ],
  [
    'a shipment of another order',
    'document_chain_mismatch',
    'shipmentIds.0',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ shipmentIds: [world.sibling.shipmentId] }),
  ],
  [
    'receiving before the order',
    'dates_out_of_order',
    'receivedOn',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ shipmentIds: [], receivedOn: '2025-02-28' }),
  ],
  [
    'receiving before the shipment left',
    'dates_out_of_order',
    'receivedOn',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ receivedOn: '2025-03-04' }),
  ],
  [
    'an item not on the order',
    'item_not_on_order',
    'lines.0.itemCode',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ lines: [{ itemCode: 'W9', quantityAccepted: '1' }] }),
  ],
  [
    'more than ordered across receipts',
    'quantity_exceeds_ordered',
    'lines.0.quantityAccepted',
    asBuyer,
    goodsReceiptKind,
    () => receipt({ lines: [{ itemCode: 'W1', quantityAccepted: '40.000001' }] }),
  ],
];

describe.each([
  ['purchase_order.recorded', purchaseOrderRows],
  ['shipment.recorded', shipmentRows],
  ['goods_receipt.recorded', receiptRows],
])('%s write-time checks', (_kind, rows) => {
  it.each(rows)('rejects %s with %s on %s and writes nothing', (...row) => expectRejected(ledger, row));
});
