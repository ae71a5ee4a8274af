/**
 * The parties a fact names must hold a role that fits: a receivable passes only to a supplier, never
 * to its obligor, an auditor, the platform operator or a party without the supplier role; a purchase
 * order's buyer is a core enterprise or a supplier and its seller a supplier.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartyRole } from '../../services/parties/party.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { confirm, issueInvoice, record, snapshotAll } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let rootId: string;

const party = (roles: PartyRole[]) => t.newParty(roles, { custodial: true });

beforeAll(async () => {
  seller = await party(['supplier']);
  buyer = await party(['core_enterprise']);
  rootId = await confirm(t, buyer, await issueInvoice(t, seller, buyer, { total: '1000.00' }));
});

const transferTo = (toPartyId: string, from = seller, receivableId = rootId) =>
  record(t, from, 'receivable.transferred', {
    receivableId,
    toPartyId,
    amount: '1.00',
    childReceivableId: randomUUID(),
  });

describe('receivable.transferred', () => {
  it.each<[string, PartyRole[]]>([
    ['an auditor', ['auditor']],
    ['a logistics-only party', ['logistics']],
    ['a lender (lenders come in through financing)', ['lender']],
    ['a core enterprise that is not a supplier', ['core_enterprise']],
    ['a supplier that is also an auditor', ['supplier', 'auditor']],
  ])('refuses to pass a receivable to %s, writing nothing', async (_name, roles) => {
    const recipient = await party(roles);
    const before = await snapshotAll(t);
    expect(await transferTo(recipient.party.id)).toMatchObject({
      ok: false,
      code: 'counterparty_role_invalid',
      field: 'toPartyId',
    });
    expect(await snapshotAll(t)).toBe(before);
  });

  it('refuses to pass a receivable to the platform operator', async () => {
    expect(await transferTo(t.admin.partyId)).toMatchObject({
      ok: false,
      code: 'counterparty_role_invalid',
      field: 'toPartyId',
    });
  });

  it('refuses to pass a receivable to its obligor, even when the obligor is a supplier', async () => {
    expect(await transferTo(buyer.party.id)).toMatchObject({ code: 'counterparty_role_invalid' });
    const tier2 = await party(['supplier']);
    const tier1 = await party(['supplier']);
    const owedByTier1 = await confirm(t, tier1, await issueInvoice(t, tier2, tier1));
    const result = await transferTo(tier1.party.id, tier2, owedByTier1);
    expect(result).toMatchObject({ ok: false, code: 'counterparty_role_invalid', field: 'toPartyId' });
    if (!result.ok) expect(result.message).toMatch(/obligor/);
  });

  it.each<[string, PartyRole[]]>([
    ['a supplier', ['supplier']],
    ['a supplier that also lends', ['supplier', 'lender']],
    ['a supplier that also carries goods', ['supplier', 'logistics']],
    ['a supplier that is also a core enterprise', ['supplier', 'core_enterprise']],
  ])('passes a receivable to %s', async (_name, roles) => {
    const recipient = await party(roles);
    expect(await transferTo(recipient.party.id)).toMatchObject({ ok: true, value: { replayed: false } });
  });

  it('answers over GraphQL with a DomainError naming toPartyId', async () => {
    const auditor = await party(['auditor']);
    const answer = await t.gql(
      `mutation($input: ReceivableTransferInput!) { prepareReceivableTransfer(input: $input) {
        __typename ... on DomainError { code field } } }`,
      {
        input: {
          receivableId: rootId,
          toPartyId: auditor.party.id,
          amount: '1.00',
          idempotencyKey: freshKey(),
        },
      },
      seller.apiKey,
    );
    expect(answer.data.prepareReceivableTransfer).toEqual({
      __typename: 'DomainError',
      code: 'COUNTERPARTY_ROLE_INVALID',
      field: 'toPartyId',
    });
  });
});

describe('purchase_order.recorded', () => {
  const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];
  const orderBy = (actor: TestParty, orderBuyer: TestParty, orderSeller: TestParty) =>
    record(t, actor, purchaseOrderKind, purchaseOrderPayload(orderBuyer, orderSeller, lines));

  it.each<[string, PartyRole[]]>([
    ['a lender', ['lender']],
    ['an auditor', ['auditor']],
    ['a logistics party', ['logistics']],
    ['the platform operator', ['platform_admin']],
  ])('refuses %s as the buyer, writing nothing', async (_name, roles) => {
    const orderBuyer = await party(roles);
    const before = await snapshotAll(t);
    expect(await orderBy(seller, orderBuyer, seller)).toMatchObject({
      ok: false,
      code: 'counterparty_role_invalid',
      field: 'buyerPartyId',
    });
    expect(await snapshotAll(t)).toBe(before);
  });

  it.each<[string, PartyRole[]]>([
    ['a core enterprise that is not a supplier', ['core_enterprise']],
    ['a lender', ['lender']],
    ['a logistics party', ['logistics']],
  ])('refuses %s as the seller', async (_name, roles) => {
    const orderSeller = await party(roles);
    expect(await orderBy(buyer, buyer, orderSeller)).toMatchObject({
      ok: false,
      code: 'counterparty_role_invalid',
      field: 'sellerPartyId',
    });
  });

  it('refuses a core enterprise that records an order as its seller', async () => {
    const supplierBuyer = await party(['supplier']);
    expect(await orderBy(buyer, supplierBuyer, buyer)).toMatchObject({
      ok: false,
      code: 'counterparty_role_invalid',
      field: 'sellerPartyId',
    });
  });

  it('records an order a supplier places with its own supplier, stated by either side', async () => {
    const tier1 = await party(['supplier']);
    const tier2 = await party(['supplier']);
    expect(await orderBy(tier1, tier1, tier2)).toMatchObject({ ok: true });
    expect(await orderBy(tier2, tier1, tier2)).toMatchObject({ ok: true });
  });

  it('records an order a core enterprise places with a supplier', async () => {
    expect(await orderBy(buyer, buyer, seller)).toMatchObject({ ok: true });
  });
});
