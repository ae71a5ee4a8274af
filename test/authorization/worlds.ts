/**
 * One world per fact kind for the role table (fact-roles.test.ts): the caller is exactly the party the
 * fact needs (the seller of the order, the buyer of the receipt, the holder of the receivable, ...),
 * registered with the one role under test, and the world holds everything the fact's own check asks
 * for, so the role is the only thing that can refuse it. Chains use the real trade facts.
 *
 * Where the caller must have stated earlier facts of the world (a seller's shipment before it invoices,
 * a buyer's goods receipt before it confirms), it states them acting with the role those facts need:
 * the role gate reads the acting Actor, so this stands for a world built before the call. The call
 * under test uses the party's registered role. The same holds for the purchase order: a buyer or
 * seller is checked for a trading role as registered unless it is the one stating the order, so the
 * caller records the order of its world itself.
 */
import { randomUUID } from 'node:crypto';
import type { PartyRole } from '../../services/parties/party.js';
import {
  creditNoteIssuedKind,
  invoiceCancelledKind,
  invoiceConfirmedKind,
  invoiceHoldResolvedKind,
  paymentRecordedKind,
  receivableDefaultedKind,
  receivableTransferredKind,
} from '../../services/receivables/index.js';
import {
  goodsReceiptKind,
  invoiceKind,
  purchaseOrderKind,
  shipmentKind,
} from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import type { TestLedger, TestParty } from '../support/ledger.js';
import {
  type Chain,
  dates,
  invoicePayload,
  purchaseOrderPayload,
  recorded,
} from '../trade/trade-fixtures.js';
import { financingWorlds } from './financing-worlds.js';

export interface Stage {
  caller: TestParty;
  payload: Record<string, unknown>;
}

export type World = (t: TestLedger, role: PartyRole) => Promise<Stage>;

const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];
const total = '250.00';
const afterIssue = '2025-03-20';

const party = (t: TestLedger, role: PartyRole) => t.newParty([role], { custodial: true });

/** The same party acting with `role`: only for the facts that build the world before the call. */
function actingAs(caller: TestParty, role: PartyRole): TestParty {
  return { ...caller, actor: { partyId: caller.party.id, roles: [role] } };
}

/**
 * The order stated by `caller` (the buyer acting as a core enterprise or the seller acting as a
 * supplier), the receipt by the buyer and the shipment by the seller acting as a supplier, so the
 * caller's own role is tested only on the fact the world is built for.
 */
async function invoiceableChain(
  t: TestLedger,
  buyer: TestParty,
  seller: TestParty,
  caller: 'buyer' | 'seller',
): Promise<Chain> {
  const order = purchaseOrderPayload(buyer, seller, lines);
  const orderedBy = caller === 'buyer' ? actingAs(buyer, 'core_enterprise') : actingAs(seller, 'supplier');
  await recorded(t, orderedBy, purchaseOrderKind, order);
  const shipmentId = randomUUID();
  await recorded(t, actingAs(seller, 'supplier'), shipmentKind, {
    documentId: shipmentId,
    purchaseOrderId: order.documentId,
    waybillNumber: freshKey('WB'),
    shippedOn: dates.shipped,
    carrierPartyId: null,
    lines: [{ itemCode: 'A', quantity: '10' }],
  });
  const receiptId = randomUUID();
  await recorded(t, buyer, goodsReceiptKind, {
    documentId: receiptId,
    purchaseOrderId: order.documentId,
    shipmentIds: [shipmentId],
    receivedOn: dates.received,
    lines: [{ itemCode: 'A', quantityAccepted: '10' }],
  });
  return { buyer, seller, currency: 'CNY', orderId: String(order.documentId), shipmentId, receiptId, lines };
}

interface Confirmed {
  invoiceId: string;
  receivableId: string;
}

/** A whole chain, an invoice of 250.00 and its confirmation: the seller holds the root receivable. */
async function confirmedInvoice(
  t: TestLedger,
  seller: TestParty,
  buyer: TestParty,
  caller: 'buyer' | 'seller',
): Promise<Confirmed> {
  const chain = await invoiceableChain(t, buyer, seller, caller);
  const invoice = invoicePayload(chain, lines, total);
  await recorded(t, seller, invoiceKind, invoice);
  const receivableId = randomUUID();
  const invoiceId = String(invoice.documentId);
  await recorded(t, buyer, invoiceConfirmedKind, { invoiceId, receivableId });
  return { invoiceId, receivableId };
}

/** The caller is the buyer (and obligor) of a confirmed invoice. */
async function asBuyer(t: TestLedger, role: PartyRole) {
  const caller = await party(t, role);
  const seller = await party(t, 'supplier');
  const confirmed = await confirmedInvoice(t, seller, actingAs(caller, 'core_enterprise'), 'buyer');
  return { caller, seller, ...confirmed };
}

/** The caller is the seller (and holder) of a confirmed invoice. */
async function asSeller(t: TestLedger, role: PartyRole) {
  const caller = await party(t, role);
  const buyer = await party(t, 'core_enterprise');
  return { caller, ...(await confirmedInvoice(t, actingAs(caller, 'supplier'), buyer, 'seller')) };
}

export const worlds: Record<string, World> = {
  ...financingWorlds,
  /**
   * The buyer records the order it placed with a supplier: a buyer may be a core enterprise or a
   * supplier, so each allowed role can state it; the seller's role is the counterparty check's.
   */
  [purchaseOrderKind]: async (t, role) => {
    const caller = await party(t, role);
    const seller = await party(t, 'supplier');
    return { caller, payload: purchaseOrderPayload(caller, seller, lines) };
  },
  /** The seller ships. */
  [shipmentKind]: async (t, role) => {
    const caller = await party(t, role);
    const buyer = await party(t, 'core_enterprise');
    const order = purchaseOrderPayload(buyer, caller, lines);
    await recorded(t, actingAs(caller, 'supplier'), purchaseOrderKind, order);
    const payload = {
      documentId: randomUUID(),
      purchaseOrderId: order.documentId,
      waybillNumber: freshKey('WB'),
      shippedOn: dates.shipped,
      carrierPartyId: null,
      lines: [{ itemCode: 'A', quantity: '10' }],
    };
    return { caller, payload };
  },
  /** The buyer attests what it accepted. */
  [goodsReceiptKind]: async (t, role) => {
    const caller = await party(t, role);
    const seller = await party(t, 'supplier');
    const order = purchaseOrderPayload(caller, seller, lines);
    await recorded(t, actingAs(caller, 'core_enterprise'), purchaseOrderKind, order);
    const payload = {
      documentId: randomUUID(),
      purchaseOrderId: order.documentId,
      shipmentIds: [],
      receivedOn: dates.received,
      lines: [{ itemCode: 'A', quantityAccepted: '10' }],
    };
    return { caller, payload };
  },
  /** The seller bills what the buyer received. */
  [invoiceKind]: async (t, role) => {
    const caller = await party(t, role);
    const chain = await invoiceableChain(t, await party(t, 'core_enterprise'), caller, 'seller');
    return { caller, payload: invoicePayload(chain, lines, total) };
  },
  /** The buyer confirms the invoice. */
  [invoiceConfirmedKind]: async (t, role) => {
    const caller = await party(t, role);
    const chain = await invoiceableChain(
      t,
      actingAs(caller, 'core_enterprise'),
      await party(t, 'supplier'),
      'buyer',
    );
    const invoice = invoicePayload(chain, lines, total);
    await recorded(t, chain.seller, invoiceKind, invoice);
    return { caller, payload: { invoiceId: invoice.documentId, receivableId: randomUUID() } };
  },
  /**
   * The holder of a confirmed receivable passes part of it on to its own supplier. A transfer reaches
   * only suppliers, so the caller holds the root as the invoice's seller rather than by a transfer.
   */
  [receivableTransferredKind]: async (t, role) => {
    const { caller, receivableId } = await asSeller(t, role);
    const tier1 = await party(t, 'supplier');
    const payload = { receivableId, toPartyId: tier1.party.id, amount: '40.00' };
    return { caller, payload: { ...payload, childReceivableId: randomUUID() } };
  },
  /** The obligor pays part of the invoice. */
  [paymentRecordedKind]: async (t, role) => {
    const { caller, invoiceId } = await asBuyer(t, role);
    return { caller, payload: { paymentId: randomUUID(), invoiceId, amount: '100.00', paidOn: afterIssue } };
  },
  /** The obligor declares itself in default. */
  [receivableDefaultedKind]: async (t, role) => {
    const { caller, invoiceId } = await asBuyer(t, role);
    return { caller, payload: { invoiceId, reason: 'cannot pay at maturity' } };
  },
  /** The seller cancels its confirmed invoice. */
  [invoiceCancelledKind]: async (t, role) => {
    const { caller, invoiceId } = await asSeller(t, role);
    return { caller, payload: { invoiceId, reason: 'goods returned' } };
  },
  /** The seller credits part of its confirmed invoice. */
  [creditNoteIssuedKind]: async (t, role) => {
    const { caller, invoiceId } = await asSeller(t, role);
    const payload = {
      documentId: randomUUID(),
      invoiceId,
      creditNoteNumber: freshKey('CN'),
      amount: '10.00',
      reason: 'one carton damaged',
      issueDate: afterIssue,
    };
    return { caller, payload };
  },
  /** The buyer accepts the seller's cancellation. */
  [invoiceHoldResolvedKind]: async (t, role) => {
    const { caller, seller, invoiceId } = await asBuyer(t, role);
    await recorded(t, seller, invoiceCancelledKind, { invoiceId, reason: 'goods returned' });
    return { caller, payload: { invoiceId, outcome: 'accepted' } };
  },
};
