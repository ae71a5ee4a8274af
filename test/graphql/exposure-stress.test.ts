/** stressTest and lenderExposure over GraphQL: Decimal strings, exact shares, typed errors. */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accept,
  confirmedReceivable,
  disburse,
  offer,
  requestFinancing,
  storeReport,
} from '../financing/support.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let lender: TestParty;
let stranger: TestParty;
let beforeDisbursement: Date;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  lender = await t.newParty(['lender'], { custodial: true });
  stranger = await t.newParty(['lender'], { custodial: true });
  const { rootId } = await confirmedReceivable(t, seller, buyer, { total: '1000.00' });
  const financingId = await requestFinancing(t, seller, rootId, [lender], '400.00');
  await accept(t, seller, financingId, await offer(t, lender, financingId, await storeReport(t, rootId)));
  await new Promise((resolve) => setTimeout(resolve, 5));
  beforeDisbursement = new Date();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await disburse(t, lender, financingId, '400.00');
}, 120_000);

const stressQuery = `query ($obligorId: UUID!, $lgd: Decimal!, $depth: Int!) {
  stressTest(obligorId: $obligorId, lossGivenDefault: $lgd, maxDepth: $depth, currency: "CNY") {
    __typename
    ... on StressTest {
      lossGivenDefault totalLoss
      parties(first: 100) { totalCount edges { node { party { id } level loss exposed held lossShare { numerator denominator } } } }
      lenders(first: 100) { totalCount edges { node { lender { id } level financedExposed financedLoss } } }
    }
    ... on DomainError { code field }
  } }`;

const exposureQuery = `query ($lenderId: UUID) {
  lenderExposure(lenderId: $lenderId) {
    __typename
    ... on LenderExposure {
      portfolios { currency total herfindahlBasisPoints obligors(first: 100) { edges { node { party { id } outstanding shareBasisPoints } } } }
      breaches { scope }
    }
    ... on DomainError { code }
  } }`;

describe('stressTest', () => {
  it('answers a lender of the obligor in Decimal strings with exact shares', async () => {
    const answer = await t.gql(
      stressQuery,
      { obligorId: buyer.party.id, lgd: '0.25', depth: 2 },
      lender.apiKey,
    );
    const result = answer.data.stressTest;
    expect(result.__typename).toBe('StressTest');
    expect(result.lossGivenDefault).toBe('0.25');
    expect(result.totalLoss).toBe('250.00');
    const byParty = new Map(
      result.parties.edges.map(({ node }: { node: { party: { id: string } } }) => [node.party.id, node]),
    );
    expect(result.parties.totalCount).toBe(result.parties.edges.length);
    expect(byParty.get(lender.party.id)).toEqual({
      party: { id: lender.party.id },
      level: 1,
      loss: '100.00',
      exposed: '400.00',
      held: '400.00',
      lossShare: { numerator: '1', denominator: '4' },
    });
    expect(byParty.get(seller.party.id)).toMatchObject({ loss: '150.00', held: '600.00' });
    expect(result.lenders).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            lender: { id: lender.party.id },
            level: 1,
            financedExposed: '400.00',
            financedLoss: '100.00',
          },
        },
      ],
    });
  });

  it('answers FORBIDDEN to a lender with no business with the obligor, INVALID_INPUT to a bad LGD', async () => {
    const forbidden = await t.gql(
      stressQuery,
      { obligorId: buyer.party.id, lgd: '0.25', depth: 2 },
      stranger.apiKey,
    );
    expect(forbidden.data.stressTest).toEqual({
      __typename: 'DomainError',
      code: 'FORBIDDEN',
      field: 'obligorId',
    });
    const bad = await t.gql(stressQuery, { obligorId: buyer.party.id, lgd: '1.5', depth: 2 }, lender.apiKey);
    expect(bad.data.stressTest).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field: 'lossGivenDefault',
    });
  });
});

describe('stressTest pages', () => {
  it('pages the parties by level then id, with totalCount, and answers asOf before the financing', async () => {
    const pageQuery = `query ($obligorId: UUID!, $after: String, $asOf: DateTime) {
      stressTest(obligorId: $obligorId, lossGivenDefault: "0.25", maxDepth: 2, currency: "CNY", asOf: $asOf) {
        ... on StressTest {
          asOf totalLoss
          parties(first: 1, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { party { id } level } }
          }
        }
      } }`;
    const first = (await t.gql(pageQuery, { obligorId: buyer.party.id }, lender.apiKey)).data.stressTest;
    expect(first.asOf).toBeNull();
    expect(first.parties.totalCount).toBe(2);
    expect(first.parties.pageInfo.hasNextPage).toBe(true);
    const second = (
      await t.gql(
        pageQuery,
        { obligorId: buyer.party.id, after: first.parties.pageInfo.endCursor },
        lender.apiKey,
      )
    ).data.stressTest;
    expect(second.parties.pageInfo.hasNextPage).toBe(false);
    const ids = [first, second].map((page) => page.parties.edges[0].node.party.id);
    expect(new Set(ids)).toEqual(new Set([lender.party.id, seller.party.id]));
    expect([...ids].sort()).toEqual(ids);
    // Before the disbursement the seller held all 1,000.00: one party, 250.00 lost.
    const early = (
      await t.gql(
        pageQuery,
        { obligorId: buyer.party.id, asOf: beforeDisbursement.toISOString() },
        lender.apiKey,
      )
    ).data.stressTest;
    expect(early.asOf).toBe(beforeDisbursement.toISOString());
    expect(early.totalLoss).toBe('250.00');
    expect(early.parties.edges).toEqual([{ node: { party: { id: seller.party.id }, level: 1 } }]);
  });
});

describe('lenderExposure', () => {
  it("answers the lender its own portfolio, and FORBIDDEN to another lender's", async () => {
    const own = (await t.gql(exposureQuery, {}, lender.apiKey)).data.lenderExposure;
    expect(own).toEqual({
      __typename: 'LenderExposure',
      portfolios: [
        {
          currency: 'CNY',
          total: '400.00',
          herfindahlBasisPoints: 10_000,
          obligors: {
            edges: [
              { node: { party: { id: buyer.party.id }, outstanding: '400.00', shareBasisPoints: 10_000 } },
            ],
          },
        },
      ],
      breaches: [],
    });
    const other = await t.gql(exposureQuery, { lenderId: lender.party.id }, stranger.apiKey);
    expect(other.data.lenderExposure).toEqual({ __typename: 'DomainError', code: 'FORBIDDEN' });
  });

  it('answers PARTY_NOT_FOUND to an administrator naming no party, FORBIDDEN to a lender naming none', async () => {
    const unknown = { lenderId: randomUUID() };
    const admin = await t.gql(exposureQuery, unknown, t.adminApiKey);
    expect(admin.data.lenderExposure).toEqual({ __typename: 'DomainError', code: 'PARTY_NOT_FOUND' });
    const other = await t.gql(exposureQuery, unknown, stranger.apiKey);
    expect(other.data.lenderExposure).toEqual({ __typename: 'DomainError', code: 'FORBIDDEN' });
  });
});
