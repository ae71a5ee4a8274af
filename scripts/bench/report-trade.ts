/**
 * The report bench's receivable: a tier-3 part of a confirmed invoice with about forty events
 * behind it, all through the real facts. Buyer and seller sign with their own keys (so the report
 * can read GENUINE); the suppliers down the tiers are custodial. Behind the part: the order, eight
 * shipments and eight receipts, the invoice and its confirmation, eighteen transfers (three down to
 * tier 3, fifteen to siblings) and three payments: 40 events.
 */
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../../services/context.js';
import { sign } from '../../services/crypto/index.js';
import { prepareFact, recordFact, submitFact } from '../../services/events/fact.service.js';
import type { Actor, PartyRole } from '../../services/parties/party.js';
import {
  invoiceConfirmedKind,
  paymentRecordedKind,
  receivableTransferredKind,
} from '../../services/receivables/index.js';
import {
  goodsReceiptKind,
  invoiceKind,
  purchaseOrderKind,
  shipmentKind,
} from '../../services/trade/index.js';
import { type BenchParty, registerBenchParty } from './ingest-parties.js';

export const deliveries = 8;
const siblingTransfers = 15;
const payments = 3;
/** Events behind the tier-3 part: order, shipments, receipts, invoice, confirmation, transfers, payments. */
export const eventsBehind = 1 + 2 * deliveries + 2 + 3 + siblingTransfers + payments;

type Member = BenchParty & { roles: PartyRole[] };

async function member(ledger: Ledger, role: PartyRole, selfHeld: boolean): Promise<Member> {
  const admin: Actor = { partyId: ledger.platformPartyId, roles: ['platform_admin'] };
  return { ...(await registerBenchParty(ledger, admin, [role], selfHeld)), roles: [role] };
}

/** States a fact as `party`: signed with its own key when it holds one, else by the platform. */
async function stated(ledger: Ledger, party: Member, kind: string, payload: Record<string, unknown>) {
  const actor: Actor = { partyId: party.partyId, roles: party.roles };
  const key = `bench-report-${kind}-${randomUUID()}`;
  if (party.privateKey === null) {
    const recorded = await recordFact(ledger, actor, kind, payload, key);
    if (!recorded.ok) throw new Error(`${kind}: ${recorded.code}: ${recorded.message}`);
    return;
  }
  const prepared = await prepareFact(ledger, actor, kind, payload, key);
  if (!prepared.ok) throw new Error(`${kind}: ${prepared.code}: ${prepared.message}`);
  const signature = sign(party.privateKey, Buffer.from(prepared.value.eventHash, 'hex')).toString('hex');
  const submitted = await submitFact(ledger, actor, prepared.value.statement, signature);
  if (!submitted.ok) throw new Error(`${kind}: ${submitted.code}: ${submitted.message}`);
}

const item = { itemCode: 'GEAR-M4-40T', description: 'Spur gear, module 4, 40 teeth', unit: 'pcs' };

/** The order and its deliveries: `deliveries` shipments of ten, each received in full. */
async function orderAndDeliveries(ledger: Ledger, buyer: Member, seller: Member) {
  const orderId = randomUUID();
  await stated(ledger, seller, purchaseOrderKind, {
    documentId: orderId,
    buyerPartyId: buyer.partyId,
    sellerPartyId: seller.partyId,
    orderNumber: `PO-${orderId.slice(0, 8)}`,
    orderDate: '2025-03-01',
    requestedDeliveryDate: '2025-03-20',
    currency: 'CNY',
    lines: [{ lineNumber: 1, ...item, quantity: String(10 * deliveries), unitPrice: '100' }],
  });
  const receiptIds: string[] = [];
  for (let delivery = 0; delivery < deliveries; delivery++) {
    const shipmentId = randomUUID();
    await stated(ledger, seller, shipmentKind, {
      documentId: shipmentId,
      purchaseOrderId: orderId,
      waybillNumber: `WB-${shipmentId.slice(0, 8)}`,
      shippedOn: '2025-03-05',
      lines: [{ itemCode: item.itemCode, quantity: '10' }],
    });
    const receiptId = randomUUID();
    await stated(ledger, buyer, goodsReceiptKind, {
      documentId: receiptId,
      purchaseOrderId: orderId,
      shipmentIds: [shipmentId],
      receivedOn: '2025-03-08',
      lines: [{ itemCode: item.itemCode, quantityAccepted: '10' }],
    });
    receiptIds.push(receiptId);
  }
  return { orderId, receiptIds };
}

export interface BenchReceivable {
  receivableId: string;
  holder: Actor;
  invoiceId: string;
}

export async function buildBenchReceivable(ledger: Ledger): Promise<BenchReceivable> {
  const buyer = await member(ledger, 'core_enterprise', true);
  const seller = await member(ledger, 'supplier', true);
  const tiers = [
    await member(ledger, 'supplier', false),
    await member(ledger, 'supplier', false),
    await member(ledger, 'supplier', false),
  ];
  const { orderId, receiptIds } = await orderAndDeliveries(ledger, buyer, seller);
  const invoiceId = randomUUID();
  await stated(ledger, seller, invoiceKind, {
    documentId: invoiceId,
    buyerPartyId: buyer.partyId,
    sellerPartyId: seller.partyId,
    taxInvoiceNumber: `TAX-${invoiceId.slice(0, 8)}`,
    taxInvoiceCode: '044031900111',
    currency: 'CNY',
    issueDate: '2025-03-10',
    dueDate: '2025-09-06',
    purchaseOrderId: orderId,
    goodsReceiptIds: receiptIds,
    lines: [{ ...item, quantity: String(10 * deliveries), unitPrice: '100' }],
    total: `${1000 * deliveries}.00`,
  });
  let receivableId = randomUUID();
  await stated(ledger, buyer, invoiceConfirmedKind, { invoiceId, receivableId });
  const transfer = async (from: Member, to: Member, amount: string) => {
    const childReceivableId = randomUUID();
    await stated(ledger, from, receivableTransferredKind, {
      receivableId,
      toPartyId: to.partyId,
      amount,
      childReceivableId,
    });
    return childReceivableId;
  };
  const [tier1, tier2, tier3] = tiers as [Member, Member, Member];
  for (let sibling = 0; sibling < siblingTransfers; sibling++) await transfer(seller, tier2, '10.00');
  receivableId = await transfer(seller, tier1, '4000.00');
  receivableId = await transfer(tier1, tier2, '2000.00');
  receivableId = await transfer(tier2, tier3, '1000.00');
  for (let payment = 0; payment < payments; payment++) {
    await stated(ledger, buyer, paymentRecordedKind, {
      paymentId: randomUUID(),
      invoiceId,
      amount: '100.00',
      paidOn: '2025-09-06',
    });
  }
  return { receivableId, holder: { partyId: tier3.partyId, roles: ['supplier'] }, invoiceId };
}
