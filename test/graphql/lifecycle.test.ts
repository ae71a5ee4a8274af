/**
 * The whole lifecycle through GraphQL, as the README walks it: order, shipment, receipt, invoice,
 * confirmation, a split passed to a tier-2 supplier, and settlement at maturity. One supplier signs
 * with its own key (prepare, sign locally, submit); the buyer and the tier-2 supplier are custodial.
 */
import { describe, expect, it } from 'vitest';
import { sign } from '../../services/crypto/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

/** prepare… then submitStatement: signed locally when the party holds its key, else custodially. */
async function state(party: TestParty, mutation: string, input: Record<string, unknown>) {
  const prepared = await ledger.gql(
    `mutation($input: ${mutation.replace(/^prepare/, '')}Input!) { ${mutation}(input: $input) {
      __typename ... on PreparedStatement { statement eventHash } ... on DomainError { code field message } } }`,
    { input: { idempotencyKey: freshKey(mutation), ...input } },
    party.apiKey,
  );
  const result = prepared.data?.[mutation];
  if (result?.__typename !== 'PreparedStatement') throw new Error(`${mutation}: ${JSON.stringify(prepared)}`);
  const signature = party.keyPair
    ? sign(party.keyPair.privateKey, Buffer.from(result.eventHash, 'hex')).toString('hex')
    : null;
  const submitted = await ledger.gql(
    `mutation($statement: String!, $signature: HexBytes) { submitStatement(statement: $statement, signature: $signature) {
      __typename ... on SubmittedStatement { replayed event { id kind custodial } } ... on DomainError { code message } } }`,
    { statement: result.statement, signature },
    party.apiKey,
  );
  return { statement: result.statement as string, signature, answer: submitted.data?.submitStatement };
}

const receivablesOf = async (party: TestParty) =>
  (
    await ledger.gql(
      '{ receivables(side: HOLDER, first: 10) { edges { node { id tier face outstanding settled status holder { id } } } } }',
      {},
      party.apiKey,
    )
  ).data.receivables.edges.map((edge: { node: unknown }) => edge.node);

describe('the receivable lifecycle over GraphQL', () => {
  it('runs from purchase order to settlement, conserving every minor unit', async () => {
    const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const supplier = await ledger.newParty(['supplier']);
    const tier2 = await ledger.newParty(['supplier'], { custodial: true });
    const ids = { order: crypto.randomUUID(), shipment: crypto.randomUUID(), receipt: crypto.randomUUID() };

    const order = await state(supplier, 'preparePurchaseOrder', {
      documentId: ids.order,
      buyerPartyId: buyer.party.id,
      sellerPartyId: supplier.party.id,
      orderNumber: 'PO-2026-001',
      orderDate: '2026-09-01',
      requestedDeliveryDate: '2026-09-20',
      currency: 'CNY',
      lines: [
        {
          lineNumber: 1,
          itemCode: 'STEEL-1',
          description: 'Cold-rolled coil',
          quantity: '10',
          unit: 't',
          unitPrice: '4200',
        },
      ],
    });
    expect(order.answer).toMatchObject({
      __typename: 'SubmittedStatement',
      replayed: false,
      event: { custodial: false },
    });
    await state(supplier, 'prepareShipment', {
      documentId: ids.shipment,
      purchaseOrderId: ids.order,
      waybillNumber: 'SF1234567890',
      shippedOn: '2026-09-10',
      lines: [{ itemCode: 'STEEL-1', quantity: '10' }],
    });
    const receipt = await state(buyer, 'prepareGoodsReceipt', {
      documentId: ids.receipt,
      purchaseOrderId: ids.order,
      shipmentIds: [ids.shipment],
      receivedOn: '2026-09-12',
      lines: [{ itemCode: 'STEEL-1', quantityAccepted: '10' }],
    });
    expect(receipt.answer.event).toMatchObject({ kind: 'goods_receipt.recorded', custodial: true });
    const invoiceId = crypto.randomUUID();
    await state(supplier, 'prepareInvoice', {
      documentId: invoiceId,
      buyerPartyId: buyer.party.id,
      sellerPartyId: supplier.party.id,
      taxInvoiceNumber: '04400212',
      taxInvoiceCode: '044002100111',
      currency: 'CNY',
      issueDate: '2026-09-15',
      dueDate: '2026-12-14',
      purchaseOrderId: ids.order,
      goodsReceiptIds: [ids.receipt],
      lines: [
        {
          itemCode: 'STEEL-1',
          description: 'Cold-rolled coil',
          quantity: '10',
          unit: 't',
          unitPrice: '4200',
        },
      ],
      total: '42000.00',
    });
    await state(buyer, 'prepareInvoiceConfirmation', { invoiceId });

    const [root] = await receivablesOf(supplier);
    expect(root).toMatchObject({ tier: 0, face: '42000.00', outstanding: '42000.00', status: 'OPEN' });
    const transfer = await state(supplier, 'prepareReceivableTransfer', {
      receivableId: root.id,
      toPartyId: tier2.party.id,
      amount: '15000.50',
    });
    expect(transfer.answer.event.kind).toBe('receivable.transferred');
    const [child] = await receivablesOf(tier2);
    expect(child).toMatchObject({ tier: 1, face: '15000.50', outstanding: '15000.50' });
    const lineage = await ledger.gql(
      '{ receivableLineage(id: "' +
        child.id +
        '") { ... on ReceivableLineage { ancestors { id } descendants { id } } } }',
      {},
      tier2.apiKey,
    );
    expect(lineage.data.receivableLineage).toEqual({ ancestors: [{ id: root.id }], descendants: [] });

    await state(buyer, 'preparePayment', { invoiceId, amount: '42000.00', paidOn: '2026-12-14' });
    const [paidRoot] = await receivablesOf(supplier);
    const [paidChild] = await receivablesOf(tier2);
    expect(paidRoot).toMatchObject({ settled: '26999.50', outstanding: '0.00', status: 'SETTLED' });
    expect(paidChild).toMatchObject({ settled: '15000.50', outstanding: '0.00', status: 'SETTLED' });

    const chain = await ledger.gql(
      `{ invoice(id: "${invoiceId}") { ... on InvoiceChain {
        invoice { document { total status } } purchaseOrder { document { documentNumber } }
        shipments { document { documentNumber } } goodsReceipts { event { kind } } } } }`,
      {},
      supplier.apiKey,
    );
    expect(chain.data.invoice).toEqual({
      invoice: { document: { total: '42000.00', status: 'CONFIRMED' } },
      purchaseOrder: { document: { documentNumber: 'PO-2026-001' } },
      shipments: [{ document: { documentNumber: 'SF1234567890' } }],
      goodsReceipts: [{ event: { kind: 'goods_receipt.recorded' } }],
    });

    const replay = await ledger.gql(
      `mutation($statement: String!, $signature: HexBytes) { submitStatement(statement: $statement, signature: $signature) {
        ... on SubmittedStatement { replayed } } }`,
      { statement: order.statement, signature: order.signature },
      supplier.apiKey,
    );
    expect(replay.data.submitStatement).toEqual({ replayed: true });
  });

  it('refuses a statement signed by someone else, writing nothing', async () => {
    const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const supplier = await ledger.newParty(['supplier']);
    const intruder = await ledger.newParty(['supplier']);
    const prepared = await ledger.gql(
      `mutation($input: PurchaseOrderInput!) { preparePurchaseOrder(input: $input) { ... on PreparedStatement { statement eventHash } } }`,
      {
        input: {
          buyerPartyId: buyer.party.id,
          sellerPartyId: supplier.party.id,
          orderNumber: 'PO-X',
          orderDate: '2026-09-01',
          requestedDeliveryDate: '2026-09-02',
          currency: 'CNY',
          lines: [
            { lineNumber: 1, itemCode: 'A', description: 'a', quantity: '1', unit: 'pcs', unitPrice: '1' },
          ],
          idempotencyKey: freshKey(),
        },
      },
      supplier.apiKey,
    );
    const { statement, eventHash } = prepared.data.preparePurchaseOrder;
    const forged = sign(
      intruder.keyPair?.privateKey ?? Buffer.alloc(32),
      Buffer.from(eventHash, 'hex'),
    ).toString('hex');
    const before = await ledger.snapshot();
    const submitted = await ledger.gql(
      `mutation($statement: String!, $signature: HexBytes) { submitStatement(statement: $statement, signature: $signature) {
        ... on DomainError { code } } }`,
      { statement, signature: forged },
      supplier.apiKey,
    );
    expect(submitted.data.submitStatement).toEqual({ code: 'SIGNATURE_INVALID' });
    const stolen = await ledger.gql(
      `mutation($statement: String!) { submitStatement(statement: $statement) { ... on DomainError { code } } }`,
      { statement },
      intruder.apiKey,
    );
    expect(stolen.data.submitStatement).toEqual({ code: 'FORBIDDEN' });
    expect(await ledger.snapshot()).toBe(before);
  });
});
