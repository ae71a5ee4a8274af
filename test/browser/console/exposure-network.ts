/**
 * A small claim network of its own for the exposure tests, built through the public API on the shared
 * ledger (new parties only, so no other test file sees its numbers change): B sells to A and A
 * confirms, C sells to B and B confirms. Upstream from A: B at depth 1, C at depth 2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TradeproofClient } from '../../../scripts/client/tradeproof-client.js';
import { type DemoInvoice, demoInvoices, demoUscc } from '../../../scripts/demo-data.js';

export interface NetworkParty {
  id: string;
  name: string;
  apiKey: string;
  client: TradeproofClient;
}

export interface Network {
  a: NetworkParty;
  b: NetworkParty;
  c: NetworkParty;
  /** What B holds on A, and C on B. */
  bOnA: string;
  cOnB: string;
}

const prepared = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { __typename
    ... on PreparedStatement { statement eventHash kind } ... on DomainError { code message field } } }`;

export async function buildNetwork(base: string, adminApiKey: string): Promise<Network> {
  const url = `${base}/graphql`;
  const run = randomBytes(3).toString('hex');
  const admin = new TradeproofClient({ url, apiKey: adminApiKey });

  async function register(name: string, roles: string[]): Promise<NetworkParty> {
    const registered = await admin.request<{
      registerParty: { party?: { id: string }; message?: string };
    }>(
      `mutation($input: RegisterPartyInput!) { registerParty(input: $input) { __typename
        ... on PartyPayload { party { id } } ... on DomainError { code message } } }`,
      {
        input: {
          legalName: name,
          registrationId: demoUscc(),
          roles,
          custodialKey: true,
          idempotencyKey: `exposure-test-${run}-register-${name}`,
        },
      },
    );
    const party = registered.registerParty.party;
    if (!party) throw new Error(`registering ${name}: ${registered.registerParty.message}`);
    const created = await admin.request<{ createApiKey: { secret?: string; message?: string } }>(
      `mutation($partyId: UUID!, $key: String!) { createApiKey(partyId: $partyId, label: "exposure test", idempotencyKey: $key) {
        ... on ApiKeyPayload { secret } ... on DomainError { message } } }`,
      { partyId: party.id, key: `exposure-test-${run}-api-key-${name}` },
    );
    const apiKey = created.createApiKey.secret ?? '';
    if (!apiKey) throw new Error(`no API key for ${name}: ${created.createApiKey.message}`);
    return { id: party.id, name, apiKey, client: new TradeproofClient({ url, apiKey }) };
  }

  async function submit(
    party: NetworkParty,
    mutation: string,
    input: string,
    fields: Record<string, unknown>,
  ) {
    await party.client.prepareAndSubmit(prepared(mutation, input), {
      input: { ...fields, idempotencyKey: `exposure-test-${run}-${mutation}-${randomUUID()}` },
    });
  }

  async function trade(buyer: NetworkParty, seller: NetworkParty, invoice: DemoInvoice, tag: string) {
    const order = randomUUID();
    const shipment = randomUUID();
    const receipt = randomUUID();
    const invoiceId = randomUUID();
    const lines = invoice.lines.map((line, index) => ({ lineNumber: index + 1, ...line }));
    await submit(seller, 'preparePurchaseOrder', 'PurchaseOrderInput', {
      documentId: order,
      buyerPartyId: buyer.id,
      sellerPartyId: seller.id,
      orderNumber: `PO-EXP-${tag}-${run}`,
      orderDate: invoice.orderDate,
      requestedDeliveryDate: invoice.shippedOn,
      currency: 'CNY',
      lines,
    });
    const quantities = invoice.lines.map((line) => ({ itemCode: line.itemCode, quantity: line.quantity }));
    await submit(seller, 'prepareShipment', 'ShipmentInput', {
      documentId: shipment,
      purchaseOrderId: order,
      waybillNumber: `SFEXP${tag}${run}`,
      shippedOn: invoice.shippedOn,
      lines: quantities,
    });
    await submit(buyer, 'prepareGoodsReceipt', 'GoodsReceiptInput', {
      documentId: receipt,
      purchaseOrderId: order,
      shipmentIds: [shipment],
      receivedOn: invoice.receivedOn,
      lines: quantities.map(({ itemCode, quantity }) => ({ itemCode, quantityAccepted: quantity })),
    });
    await submit(seller, 'prepareInvoice', 'InvoiceInput', {
      documentId: invoiceId,
      buyerPartyId: buyer.id,
      sellerPartyId: seller.id,
      taxInvoiceNumber: `${invoice.taxInvoiceNumber}${tag}${run}`,
      taxInvoiceCode: '032002200111',
      currency: 'CNY',
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      purchaseOrderId: order,
      goodsReceiptIds: [receipt],
      lines: invoice.lines,
      total: invoice.total,
    });
    await submit(buyer, 'prepareInvoiceConfirmation', 'InvoiceConfirmationInput', { invoiceId });
  }

  const a = await register(`Taihu Turbine Works ${run}`, ['CORE_ENTERPRISE']);
  const b = await register(`Yixing Castings ${run}`, ['SUPPLIER', 'CORE_ENTERPRISE']);
  const c = await register(`Liyang Fasteners ${run}`, ['SUPPLIER']);
  const invoices = demoInvoices();
  const first = invoices[4] as DemoInvoice;
  const second = invoices[6] as DemoInvoice;
  await trade(a, b, first, '1');
  await trade(b, c, second, '2');
  return { a, b, c, bOnA: first.total, cOnB: second.total };
}
