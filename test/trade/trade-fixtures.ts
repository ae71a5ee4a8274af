/**
 * Building trade chains in tests: payloads with sensible defaults, a recorder that fails the test on
 * any failure, and a snapshot that also covers the trade document projection.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { sign } from '../../services/crypto/index.js';
import type { AppendedEvent } from '../../services/events/event.js';
import { prepareFact, recordFact, submitFact } from '../../services/events/fact.service.js';
import type { Result } from '../../services/result.js';
import {
  goodsReceiptKind,
  invoiceKind,
  purchaseOrderKind,
  shipmentKind,
} from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import type { TestLedger, TestParty } from '../support/ledger.js';

export interface OrderLine {
  itemCode: string;
  quantity: string;
  unitPrice: string;
}

export const dates = {
  order: '2025-03-01',
  delivery: '2025-03-20',
  shipped: '2025-03-05',
  received: '2025-03-08',
  issue: '2025-03-10',
  due: '2025-09-06',
};

export function record(
  ledger: TestLedger,
  party: TestParty,
  kind: string,
  payload: Record<string, unknown>,
): Promise<Result<AppendedEvent>> {
  return recordFact(ledger.ledger, party.actor, kind, payload, freshKey(kind));
}

export async function recorded(
  ledger: TestLedger,
  party: TestParty,
  kind: string,
  payload: Record<string, unknown>,
): Promise<AppendedEvent> {
  const result = await record(ledger, party, kind, payload);
  if (!result.ok) throw new Error(`expected ${kind} to be recorded, got ${result.code}: ${result.message}`);
  return result.value;
}

/**
 * A fact stated by `party` as a client would: prepared, signed with `key` (the party's own key by
 * default) and submitted; by the platform, as recorded() does, when the party holds no key.
 */
export async function stated(
  ledger: TestLedger,
  party: TestParty,
  kind: string,
  payload: Record<string, unknown>,
  key: { privateKey: Uint8Array } | null = party.keyPair,
): Promise<AppendedEvent> {
  if (key === null) return recorded(ledger, party, kind, payload);
  const prepared = await prepareFact(ledger.ledger, party.actor, kind, payload, freshKey(kind));
  if (!prepared.ok) throw new Error(`${kind}: ${prepared.code}: ${prepared.message}`);
  const signature = sign(key.privateKey, Buffer.from(prepared.value.eventHash, 'hex')).toString('hex');
  const submitted = await submitFact(ledger.ledger, party.actor, prepared.value.statement, signature);
  if (!submitted.ok) throw new Error(`${kind}: ${submitted.code}: ${submitted.message}`);
  return submitted.value;
}

export function purchaseOrderPayload(
  buyer: TestParty,
  seller: TestParty,
  lines: OrderLine[],
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    documentId: randomUUID(),
    buyerPartyId: buyer.party.id,
    sellerPartyId: seller.party.id,
    orderNumber: freshKey('PO'),
    orderDate: dates.order,
    requestedDeliveryDate: dates.delivery,
    currency: 'CNY',
    lines: lines.map((line, index) => ({
      lineNumber: index + 1,
      description: `goods ${line.itemCode}`,
      unit: 'pcs',
      ...line,
    })),
    ...fields,
  };
}

export interface Chain {
  buyer: TestParty;
  seller: TestParty;
  currency: string;
  orderId: string;
  shipmentId: string;
  receiptId: string;
  lines: OrderLine[];
}

/**
 * A purchase order with `lines`, one shipment of everything ordered and a receipt accepting
 * `accepted` (item -> quantity; everything ordered by default). Each party states its own facts
 * (stated()): signed with its own key when it holds one, or with `sellerKey` for the seller's.
 */
export async function recordChain(
  ledger: TestLedger,
  buyer: TestParty,
  seller: TestParty,
  lines: OrderLine[],
  options: {
    currency?: string;
    accepted?: Record<string, string>;
    sellerKey?: { privateKey: Uint8Array };
  } = {},
): Promise<Chain> {
  const currency = options.currency ?? 'CNY';
  const bySeller = (kind: string, payload: Record<string, unknown>) =>
    stated(ledger, seller, kind, payload, options.sellerKey ?? seller.keyPair);
  const order = purchaseOrderPayload(buyer, seller, lines, { currency });
  await bySeller(purchaseOrderKind, order);
  const shipmentId = randomUUID();
  await bySeller(shipmentKind, {
    documentId: shipmentId,
    purchaseOrderId: order.documentId,
    waybillNumber: freshKey('WB'),
    shippedOn: dates.shipped,
    lines: lines.map(({ itemCode, quantity }) => ({ itemCode, quantity })),
  });
  const receiptId = randomUUID();
  await stated(ledger, buyer, goodsReceiptKind, {
    documentId: receiptId,
    purchaseOrderId: order.documentId,
    shipmentIds: [shipmentId],
    receivedOn: dates.received,
    lines: lines.map(({ itemCode, quantity }) => ({
      itemCode,
      quantityAccepted: options.accepted?.[itemCode] ?? quantity,
    })),
  });
  return { buyer, seller, currency, orderId: String(order.documentId), shipmentId, receiptId, lines };
}

export function invoicePayload(
  chain: Chain,
  lines: OrderLine[],
  total: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    documentId: randomUUID(),
    buyerPartyId: chain.buyer.party.id,
    sellerPartyId: chain.seller.party.id,
    taxInvoiceNumber: freshKey('TAX'),
    taxInvoiceCode: '044031900111',
    currency: chain.currency,
    issueDate: dates.issue,
    dueDate: dates.due,
    purchaseOrderId: chain.orderId,
    goodsReceiptIds: [chain.receiptId],
    lines: lines.map((line) => ({ description: `goods ${line.itemCode}`, unit: 'pcs', ...line })),
    total,
    ...fields,
  };
}

export function issue(ledger: TestLedger, chain: Chain, payload: Record<string, unknown>) {
  return record(ledger, chain.seller, invoiceKind, payload);
}

/** Every row of the ledger's tables and of the trade document projection. */
export async function snapshotAll(ledger: TestLedger): Promise<string> {
  const documents = await ledger.owner.db.selectFrom('trade_document').selectAll().orderBy(sql`1`).execute();
  const refs = await ledger.owner.db
    .selectFrom('trade_document_ref')
    .selectAll()
    .orderBy(sql`1, 2`)
    .execute();
  const projection = JSON.stringify({ documents, refs }, (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return `${await ledger.snapshot()}\n${projection}`;
}

export async function storedDocument(ledger: TestLedger, id: string) {
  return ledger.owner.db
    .selectFrom('trade_document')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export function privateKeyOf(party: TestParty): Buffer {
  if (!party.keyPair) throw new Error('test setup: the party holds no key of its own');
  return party.keyPair.privateKey;
}

/** A chain between the two parties that hold their own keys, each fact signed by its actor. */
export async function recordChainSigned(
  ledger: TestLedger,
  signingBuyer: TestParty,
  signingSeller: TestParty,
): Promise<Chain> {
  const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];
  const order = purchaseOrderPayload(signingBuyer, signingSeller, lines);
  const statements: Array<[TestParty, string, Record<string, unknown>]> = [
    [signingSeller, purchaseOrderKind, order],
  ];
  const shipmentId = randomUUID();
  const receiptId = randomUUID();
  statements.push([
    signingSeller,
    shipmentKind,
    {
      documentId: shipmentId,
      purchaseOrderId: order.documentId,
      waybillNumber: freshKey('WB'),
      shippedOn: dates.shipped,
      lines: [{ itemCode: 'A', quantity: '10' }],
    },
  ]);
  statements.push([
    signingBuyer,
    goodsReceiptKind,
    {
      documentId: receiptId,
      purchaseOrderId: order.documentId,
      shipmentIds: [shipmentId],
      receivedOn: dates.received,
      lines: [{ itemCode: 'A', quantityAccepted: '10' }],
    },
  ]);
  for (const [party, kind, payload] of statements) {
    const prepared = await prepareFact(ledger.ledger, party.actor, kind, payload, freshKey(kind));
    if (!prepared.ok) throw new Error(`${kind}: ${prepared.code}: ${prepared.message}`);
    const signature = sign(privateKeyOf(party), Buffer.from(prepared.value.eventHash, 'hex')).toString('hex');
    const submitted = await submitFact(ledger.ledger, party.actor, prepared.value.statement, signature);
    if (!submitted.ok) throw new Error(`${kind}: ${submitted.code}: ${submitted.message}`);
  }
  return {
    buyer: signingBuyer,
    seller: signingSeller,
    currency: 'CNY',
    orderId: String(order.documentId),
    shipmentId,
    receiptId,
    lines,
  };
}
