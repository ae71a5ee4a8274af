import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256, sign, verify } from '../../services/crypto/index.js';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { findKey } from '../../services/parties/party-key.repository.js';
import {
  goodsReceiptKind,
  invoiceKind,
  purchaseOrderKind,
  shipmentKind,
} from '../../services/trade/index.js';
import { findRefIds } from '../../services/trade/trade-document.repository.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  dates,
  invoicePayload,
  issue,
  privateKeyOf,
  purchaseOrderPayload,
  recordChain,
  recordChainSigned,
  recorded,
  snapshotAll,
  storedDocument,
} from './trade-fixtures.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let carrier: TestParty;
let signingBuyer: TestParty;
let signingSeller: TestParty;

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  seller = await ledger.newParty(['supplier'], { custodial: true });
  carrier = await ledger.newParty(['logistics'], { custodial: true });
  signingBuyer = await ledger.newParty(['core_enterprise']);
  signingSeller = await ledger.newParty(['supplier']);
});

const lines = [
  { itemCode: 'STEEL-COIL-2MM', quantity: '12.5', unitPrice: '4200.00' },
  { itemCode: 'BOLT-M12', quantity: '3000', unitPrice: '0.335' },
];

describe('the trade document chain', () => {
  it('records a purchase order, two shipments by the seller naming its carrier, a receipt and an invoice', async () => {
    const order = purchaseOrderPayload(buyer, seller, lines, { orderNumber: 'PO-2025-0001' });
    const orderEvent = await recorded(ledger, seller, purchaseOrderKind, order);
    const orderId = String(order.documentId);
    expect(orderEvent.event).toMatchObject({ kind: purchaseOrderKind, counterpartyPartyId: buyer.party.id });
    expect(await storedDocument(ledger, orderId)).toMatchObject({
      kind: 'purchase_order',
      status: 'recorded',
      buyer_party_id: buyer.party.id,
      seller_party_id: seller.party.id,
      document_number: 'PO-2025-0001',
      document_date: dates.order,
      due_date: null,
      currency: 'CNY',
      // 12.5 x 4200.00 = 52500.00; 3000 x 0.335 = 1005.00
      total_minor: 5_350_500n,
    });

    const shipmentId = randomUUID();
    const first = await recorded(ledger, seller, shipmentKind, {
      documentId: shipmentId,
      purchaseOrderId: orderId,
      waybillNumber: 'SF1234567890',
      shippedOn: dates.shipped,
      carrierPartyId: carrier.party.id,
      lines: [{ itemCode: 'STEEL-COIL-2MM', quantity: '12.50' }],
    });
    expect(first.event.counterpartyPartyId).toBe(buyer.party.id);
    const secondShipmentId = randomUUID();
    const second = await recorded(ledger, seller, shipmentKind, {
      documentId: secondShipmentId,
      purchaseOrderId: orderId,
      waybillNumber: 'SF1234567891',
      shippedOn: '2025-03-06',
      carrierPartyId: carrier.party.id,
      lines: [{ itemCode: 'BOLT-M12', quantity: '3000' }],
    });
    expect(second.event).toMatchObject({
      actorPartyId: seller.party.id,
      counterpartyPartyId: buyer.party.id,
    });
    expect(JSON.parse(second.event.statement.toString('utf8')).refs).toEqual([
      orderEvent.event.eventHash.toString('hex'),
    ]);
    const shipment = await storedDocument(ledger, shipmentId);
    expect(shipment).toMatchObject({ kind: 'shipment', document_number: 'SF1234567890', total_minor: null });
    expect((shipment.body as { lines: unknown }).lines).toEqual([
      { itemCode: 'STEEL-COIL-2MM', quantity: '12.5' },
    ]);

    const receiptId = randomUUID();
    const receipt = await recorded(ledger, buyer, goodsReceiptKind, {
      documentId: receiptId,
      purchaseOrderId: orderId,
      shipmentIds: [shipmentId, secondShipmentId],
      receivedOn: dates.received,
      lines: [
        { itemCode: 'STEEL-COIL-2MM', quantityAccepted: '12.5' },
        { itemCode: 'BOLT-M12', quantityAccepted: '2990' },
      ],
    });
    expect(receipt.event.actorPartyId).toBe(buyer.party.id);
    expect(receipt.event.counterpartyPartyId).toBe(seller.party.id);
    const receiptStatement = JSON.parse(receipt.event.statement.toString('utf8'));
    expect(receiptStatement.refs).toEqual([
      orderEvent.event.eventHash.toString('hex'),
      first.event.eventHash.toString('hex'),
      second.event.eventHash.toString('hex'),
    ]);
    expect(await findRefIds(ledger.owner.db, receiptId)).toEqual(
      [orderId, shipmentId, secondShipmentId].sort(),
    );

    const chain = {
      buyer,
      seller,
      currency: 'CNY',
      orderId,
      shipmentId,
      receiptId,
      lines,
    };
    const invoiceLines = [
      { itemCode: 'STEEL-COIL-2MM', quantity: '12.5', unitPrice: '4200.00' },
      { itemCode: 'BOLT-M12', quantity: '2990', unitPrice: '0.335' },
    ];
    // 52500.00 + 2990 x 0.335 = 52500.00 + 1001.65
    const payload = invoicePayload(chain, invoiceLines, '53501.65', { taxInvoiceNumber: '04403190' });
    const invoice = await issue(ledger, chain, payload);
    if (!invoice.ok) throw new Error(`${invoice.code}: ${invoice.message}`);
    const invoiceStatement = JSON.parse(invoice.value.event.statement.toString('utf8'));
    expect(invoiceStatement.counterparty).toBe(buyer.party.id);
    expect(invoiceStatement.refs).toEqual([
      orderEvent.event.eventHash.toString('hex'),
      receipt.event.eventHash.toString('hex'),
    ]);
    expect(await storedDocument(ledger, String(payload.documentId))).toMatchObject({
      kind: 'invoice',
      status: 'issued',
      document_number: '04403190',
      document_date: dates.issue,
      due_date: dates.due,
      total_minor: 5_350_165n,
      currency: 'CNY',
    });
  });

  it('accepts a due date exactly at the tenor cap', async () => {
    const chain = await recordChain(ledger, buyer, seller, [
      { itemCode: 'A', quantity: '1', unitPrice: '10' },
    ]);
    const result = await issue(
      ledger,
      chain,
      invoicePayload(chain, chain.lines, '10.00', { dueDate: '2026-03-10' }),
    );
    expect(result.ok).toBe(true);
  });
});

describe('prepare and submit', () => {
  it('appends an invoice signed by a seller that holds its own key', async () => {
    const chain = await recordChainSigned(ledger, signingBuyer, signingSeller);
    const payload = invoicePayload(chain, chain.lines, '250.00');
    const key = freshKey('invoice');
    const prepared = await prepareFact(ledger.ledger, signingSeller.actor, invoiceKind, payload, key);
    if (!prepared.ok) throw new Error(prepared.code);
    expect(sha256(Buffer.from(prepared.value.statement)).toString('hex')).toBe(prepared.value.eventHash);
    const signature = sign(privateKeyOf(signingSeller), Buffer.from(prepared.value.eventHash, 'hex'));
    const submitted = await submitFact(
      ledger.ledger,
      signingSeller.actor,
      prepared.value.statement,
      signature.toString('hex'),
    );
    if (!submitted.ok) throw new Error(`${submitted.code}: ${submitted.message}`);
    const { event, replayed } = submitted.value;
    expect(replayed).toBe(false);
    expect(event.custodial).toBe(false);
    expect(event.statement.toString('utf8')).toBe(prepared.value.statement);
    const stored = await findKey(ledger.owner.db, event.keyId);
    expect(verify(stored?.publicKey ?? Buffer.alloc(32), event.eventHash, event.signature)).toBe(true);
    expect(await storedDocument(ledger, String(payload.documentId))).toMatchObject({ total_minor: 25_000n });

    const before = await snapshotAll(ledger);
    const again = await submitFact(
      ledger.ledger,
      signingSeller.actor,
      prepared.value.statement,
      signature.toString('hex'),
    );
    expect(again).toMatchObject({ ok: true, value: { replayed: true, event: { id: event.id } } });
    const preparedAgain = await prepareFact(ledger.ledger, signingSeller.actor, invoiceKind, payload, key);
    expect(preparedAgain).toMatchObject({ ok: true, value: { statement: prepared.value.statement } });
    expect(await snapshotAll(ledger)).toBe(before);
  });

  it('signs with the custodial key when the submission carries no signature, and marks it custodial', async () => {
    const chain = await recordChain(ledger, buyer, seller, [
      { itemCode: 'A', quantity: '2', unitPrice: '5' },
    ]);
    const payload = invoicePayload(chain, chain.lines, '10.00');
    const prepared = await prepareFact(
      ledger.ledger,
      seller.actor,
      invoiceKind,
      payload,
      freshKey('invoice'),
    );
    if (!prepared.ok) throw new Error(prepared.code);
    const submitted = await submitFact(ledger.ledger, seller.actor, prepared.value.statement, null);
    if (!submitted.ok) throw new Error(`${submitted.code}: ${submitted.message}`);
    expect(submitted.value.event.custodial).toBe(true);
    const stored = await findKey(ledger.owner.db, submitted.value.event.keyId);
    expect(stored).toMatchObject({ partyId: seller.party.id, custodial: true });

    const before = await snapshotAll(ledger);
    const replay = await submitFact(ledger.ledger, seller.actor, prepared.value.statement, null);
    expect(replay).toMatchObject({
      ok: true,
      value: { replayed: true, event: { id: submitted.value.event.id } },
    });
    expect(await snapshotAll(ledger)).toBe(before);
  });

  it('checks again at submit: a tax invoice number taken after prepare fails and writes nothing', async () => {
    const chain = await recordChain(ledger, buyer, seller, [
      { itemCode: 'A', quantity: '2', unitPrice: '5' },
    ]);
    const first = invoicePayload(chain, [{ itemCode: 'A', quantity: '1', unitPrice: '5' }], '5.00');
    const second = { ...first, documentId: randomUUID() };
    const prepared = await prepareFact(ledger.ledger, seller.actor, invoiceKind, second, freshKey('invoice'));
    if (!prepared.ok) throw new Error(prepared.code);
    expect((await issue(ledger, chain, first)).ok).toBe(true);
    const before = await snapshotAll(ledger);
    const submitted = await submitFact(ledger.ledger, seller.actor, prepared.value.statement, null);
    expect(submitted).toMatchObject({
      ok: false,
      code: 'tax_invoice_number_taken',
      field: 'taxInvoiceNumber',
    });
    expect(await snapshotAll(ledger)).toBe(before);
  });

  it('refuses a goods receipt signed by anyone but the buyer, even with a valid signature', async () => {
    const chain = await recordChainSigned(ledger, signingBuyer, signingSeller);
    const payload = {
      documentId: randomUUID(),
      purchaseOrderId: chain.orderId,
      shipmentIds: [],
      receivedOn: dates.received,
      lines: [{ itemCode: 'A', quantityAccepted: '1' }],
    };
    const before = await snapshotAll(ledger);
    const prepared = await prepareFact(
      ledger.ledger,
      signingSeller.actor,
      goodsReceiptKind,
      payload,
      freshKey('gr'),
    );
    expect(prepared).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await snapshotAll(ledger)).toBe(before);
  });
});
