/**
 * Financing over GraphQL with signed facts, as README walks it: a tier-1 supplier asks two lenders to
 * finance its part; the lender that signs with its own key reads the receivable, offers (the server
 * states the discount and the advance in the statement it signs), the custodial one declines; the
 * holder accepts; the lender disburses and holds the financed part. Then the lists, credit limits and
 * a refusal as the API shows it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign } from '../../services/crypto/index.js';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const today = todayUtc();

async function prepare(party: TestParty, mutation: string, input: Record<string, unknown>) {
  const prepared = await ledger.gql(
    `mutation($input: ${mutation.replace(/^prepare/, '')}Input!) { ${mutation}(input: $input) {
      __typename ... on PreparedStatement { statement eventHash } ... on DomainError { code field message } } }`,
    { input: { idempotencyKey: freshKey(mutation), ...input } },
    party.apiKey,
  );
  return prepared.data?.[mutation];
}

/** prepare… then submitStatement: signed locally when the party holds its key, else custodially. */
async function state(party: TestParty, mutation: string, input: Record<string, unknown>) {
  const result = await prepare(party, mutation, input);
  if (result?.__typename !== 'PreparedStatement') throw new Error(`${mutation}: ${JSON.stringify(result)}`);
  const signature = party.keyPair
    ? sign(party.keyPair.privateKey, Buffer.from(result.eventHash, 'hex')).toString('hex')
    : null;
  const submitted = await ledger.gql(
    `mutation($statement: String!, $signature: HexBytes) { submitStatement(statement: $statement, signature: $signature) {
      __typename ... on SubmittedStatement { replayed event { id kind custodial } } ... on DomainError { code message } } }`,
    { statement: result.statement, signature },
    party.apiKey,
  );
  const answer = submitted.data?.submitStatement;
  if (answer?.__typename !== 'SubmittedStatement')
    throw new Error(`${mutation}: ${JSON.stringify(submitted)}`);
  return { statement: JSON.parse(result.statement as string), event: answer.event };
}

const financingQuery = `query($id: UUID!) { financing(id: $id) { __typename
  ... on Financing { id status amount currency expiresAt paymentReference holder { id } lendersAsked { id }
    lender { id } receivable { id tier } childReceivable { id tier face holder { id } }
    offers { id status rate dayCount fee advanceDate days discount advance reportHash lender { id } }
    declines { reason lender { id } } }
  ... on DomainError { code } } }`;

/** A confirmed invoice of 42,000.00 due in 90 days, whose tier-1 part of 15,000.50 `tier1` holds. */
async function tier1Part(buyer: TestParty, supplier: TestParty, tier1: TestParty): Promise<string> {
  const ids = { order: crypto.randomUUID(), shipment: crypto.randomUUID(), receipt: crypto.randomUUID() };
  const lines = [
    { itemCode: 'STEEL-1', description: 'Cold-rolled coil', quantity: '10', unit: 't', unitPrice: '4200' },
  ];
  await state(supplier, 'preparePurchaseOrder', {
    documentId: ids.order,
    buyerPartyId: buyer.party.id,
    sellerPartyId: supplier.party.id,
    orderNumber: freshKey('PO'),
    orderDate: addDays(today, -20),
    requestedDeliveryDate: addDays(today, -10),
    currency: 'CNY',
    lines: lines.map((line, index) => ({ lineNumber: index + 1, ...line })),
  });
  await state(supplier, 'prepareShipment', {
    documentId: ids.shipment,
    purchaseOrderId: ids.order,
    waybillNumber: freshKey('SF'),
    shippedOn: addDays(today, -15),
    lines: [{ itemCode: 'STEEL-1', quantity: '10' }],
  });
  await state(buyer, 'prepareGoodsReceipt', {
    documentId: ids.receipt,
    purchaseOrderId: ids.order,
    shipmentIds: [ids.shipment],
    receivedOn: addDays(today, -12),
    lines: [{ itemCode: 'STEEL-1', quantityAccepted: '10' }],
  });
  const invoiceId = crypto.randomUUID();
  await state(supplier, 'prepareInvoice', {
    documentId: invoiceId,
    buyerPartyId: buyer.party.id,
    sellerPartyId: supplier.party.id,
    taxInvoiceNumber: freshKey('TAX').slice(0, 20),
    taxInvoiceCode: '044002100111',
    currency: 'CNY',
    issueDate: addDays(today, -10),
    dueDate: addDays(today, 90),
    purchaseOrderId: ids.order,
    goodsReceiptIds: [ids.receipt],
    lines,
    total: '42000.00',
  });
  const rootId = crypto.randomUUID();
  await state(buyer, 'prepareInvoiceConfirmation', { invoiceId, receivableId: rootId });
  const partId = crypto.randomUUID();
  await state(supplier, 'prepareReceivableTransfer', {
    receivableId: rootId,
    toPartyId: tier1.party.id,
    amount: '15000.50',
    childReceivableId: partId,
  });
  return partId;
}

describe('financing over GraphQL', () => {
  it('runs from request to disbursement with signed facts', async () => {
    const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const supplier = await ledger.newParty(['supplier']);
    const tier1 = await ledger.newParty(['supplier'], { custodial: true });
    const bank = await ledger.newParty(['lender']);
    const factor = await ledger.newParty(['lender'], { custodial: true });
    const partId = await tier1Part(buyer, supplier, tier1);

    const seen = `query($id: UUID!) { receivable(id: $id) { __typename ... on Receivable { id tier outstanding } } }`;
    expect((await ledger.gql(seen, { id: partId }, bank.apiKey)).data.receivable.__typename).toBe(
      'DomainError',
    );
    const financingId = crypto.randomUUID();
    const request = await state(tier1, 'prepareFinancingRequest', {
      financingId,
      receivableId: partId,
      lenderPartyIds: [bank.party.id, factor.party.id],
      amount: '15000.50',
    });
    expect(request.event).toMatchObject({ kind: 'financing.requested', custodial: true });
    expect(Date.parse(request.statement.payload.expiresAt) - Date.now()).toBeGreaterThan(167 * 3_600_000);
    expect((await ledger.gql(seen, { id: partId }, bank.apiKey)).data.receivable).toMatchObject({
      __typename: 'Receivable',
      tier: 1,
      outstanding: '15000.50',
    });

    // The report services/verify stores for the receivable; the offer names its hash.
    const body = JSON.stringify({ receivableId: partId, verdict: 'GENUINE' });
    const reportHash = createHash('sha256').update(body).digest('hex');
    await ledger.owner.db
      .insertInto('verification_report')
      .values({ hash: reportHash, receivable_id: partId, body })
      .execute();
    const offer = await state(bank, 'prepareFinancingOffer', {
      financingId,
      rate: '0.045',
      dayCount: 'ACT_360',
      fee: '50.00',
      advanceDate: today,
      reportHash,
    });
    expect(offer.event).toMatchObject({ kind: 'financing.offered', custodial: false });
    // 15000.50 x 0.045 x 90 / 360 = 168.755625 -> 168.76; advance = 15000.50 - 168.76 - 50.00.
    expect(offer.statement.payload).toMatchObject({ days: 90, discount: '168.76', advance: '14781.74' });
    await state(factor, 'prepareFinancingDecline', { financingId, reason: 'outside our sector limits' });

    const offered = (await ledger.gql(financingQuery, { id: financingId }, tier1.apiKey)).data.financing;
    expect(offered).toMatchObject({
      status: 'OFFERED',
      amount: '15000.50',
      offers: [
        {
          status: 'OPEN',
          rate: '0.045',
          dayCount: 'ACT_360',
          fee: '50.00',
          days: 90,
          discount: '168.76',
          advance: '14781.74',
          reportHash,
        },
      ],
      declines: [{ reason: 'outside our sector limits', lender: { id: factor.party.id } }],
    });
    const offerId = offered.offers[0].id;
    const asFactor = (await ledger.gql(financingQuery, { id: financingId }, factor.apiKey)).data.financing;
    expect(asFactor.offers).toEqual([]);

    await state(tier1, 'prepareOfferAcceptance', { financingId, offerId });
    const again = await prepare(tier1, 'prepareOfferAcceptance', { financingId, offerId });
    expect(again).toMatchObject({ __typename: 'DomainError', code: 'FINANCING_ALREADY_ACCEPTED' });
    const wrongAmount = await prepare(bank, 'prepareDisbursement', {
      financingId,
      amount: '15000.00',
      paymentReference: 'CNAPS-20261130-0001',
    });
    expect(wrongAmount).toMatchObject({
      code: 'DISBURSEMENT_AMOUNT_MISMATCH',
      field: 'amount',
      message:
        'amount: "15000.00" is not the financed amount 15000.50: a disbursement pays exactly the financed amount',
    });
    const disbursed = await state(bank, 'prepareDisbursement', {
      financingId,
      amount: '15000.50',
      paymentReference: 'CNAPS-20261130-0001',
    });
    expect(disbursed.event).toMatchObject({ kind: 'financing.disbursed', custodial: false });
    const done = (await ledger.gql(financingQuery, { id: financingId }, bank.apiKey)).data.financing;
    expect(done).toMatchObject({
      status: 'DISBURSED',
      lender: { id: bank.party.id },
      paymentReference: 'CNAPS-20261130-0001',
      receivable: { id: partId, tier: 1 },
      childReceivable: { tier: 2, face: '15000.50', holder: { id: bank.party.id } },
    });

    const list = await ledger.gql(
      `{ financings(role: LENDER, statuses: [DISBURSED], first: 5) {
        totalCount totals { currency count amount } edges { node { id status } } } }`,
      {},
      bank.apiKey,
    );
    expect(list.data.financings).toMatchObject({
      totalCount: 1,
      totals: [{ currency: 'CNY', count: 1, amount: '15000.50' }],
      edges: [{ node: { id: financingId } }],
    });
    const node = await ledger.gql(
      `query($id: ID!) { node(id: $id) { __typename ... on Financing { status } } }`,
      { id: financingId },
      tier1.apiKey,
    );
    expect(node.data.node).toEqual({ __typename: 'Financing', status: 'DISBURSED' });
    const stranger = await ledger.gql(financingQuery, { id: financingId }, buyer.apiKey);
    expect(stranger.data.financing).toEqual({ __typename: 'DomainError', code: 'FINANCING_NOT_FOUND' });

    await state(bank, 'prepareCreditLimit', {
      scope: 'OBLIGOR',
      subjectPartyId: buyer.party.id,
      currency: 'CNY',
      limit: '100000.00',
    });
    const limits = await ledger.gql(
      '{ creditLimits { __typename ... on CreditLimits { limits { scope subject { id } limit utilised available } } } }',
      {},
      bank.apiKey,
    );
    expect(limits.data.creditLimits.limits).toEqual([
      {
        scope: 'OBLIGOR',
        subject: { id: buyer.party.id },
        limit: '100000.00',
        utilised: '15000.50',
        available: '84999.50',
      },
    ]);
  });
});
