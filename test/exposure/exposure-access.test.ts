/**
 * Who may ask for a party's exposure, through GraphQL: the party itself, a lender financing it or
 * asked to, auditors and administrators; anyone else gets FORBIDDEN. Bad depths are INVALID_INPUT.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { exposure } from '../../services/exposure/exposure.service.js';
import { insertFinancing } from '../receivables/financing-by-sql.js';
import { type TestLedger, type TestParty, useTestLedger } from '../support/ledger.js';
import { claimWorld, insertClaims } from './claim-world.js';

const t: TestLedger = useTestLedger();
let obligor: TestParty;
let holder: TestParty;
let askedLender: TestParty;
let financingLender: TestParty;
let otherLender: TestParty;
let auditor: TestParty;

const query = `query ($partyId: UUID!, $direction: ExposureDirection!, $maxDepth: Int!, $currency: CurrencyCode!, $asOf: DateTime) {
  exposure(partyId: $partyId, direction: $direction, maxDepth: $maxDepth, currency: $currency, asOf: $asOf) {
    __typename
    ... on Exposure {
      direction maxDepth currency
      parties(first: 100) {
        totalCount
        edges { node { party { id } depth directClaim claimOnPreviousDepth overdue defaulted onHold tierMin tierMax hopsMin hopsMax } }
      }
      depths { depth partyCount directClaim claimOnPreviousDepth overdue defaulted onHold }
    }
    ... on DomainError { code field }
  }
}`;

beforeAll(async () => {
  obligor = await t.newParty(['core_enterprise'], { custodial: true });
  holder = await t.newParty(['supplier'], { custodial: true });
  askedLender = await t.newParty(['lender'], { custodial: true });
  financingLender = await t.newParty(['lender'], { custodial: true });
  otherLender = await t.newParty(['lender'], { custodial: true });
  auditor = await t.newParty(['auditor'], { custodial: true });
  const world = await claimWorld(t);
  const [asked, financed] = await insertClaims(t, world, [
    { holder: holder.party.id, obligor: obligor.party.id, faceMinor: 123456n, dueDate: '2099-12-31' },
    { holder: holder.party.id, obligor: obligor.party.id, faceMinor: 1000n, dueDate: '2025-01-31' },
  ]);
  const requestId = await insertFinancing(t, {
    receivableId: asked?.id ?? '',
    lenderPartyId: askedLender.party.id,
    amountMinor: 1000n,
    status: 'requested',
  });
  await t.owner.db
    .insertInto('financing_lender')
    .values({ financing_id: requestId, lender_party_id: askedLender.party.id })
    .execute();
  await insertFinancing(t, {
    receivableId: financed?.id ?? '',
    lenderPartyId: financingLender.party.id,
    amountMinor: 500n,
    status: 'accepted',
  });
});

function ask(apiKey: string, variables: Record<string, unknown> = {}) {
  return t.gql(
    query,
    { partyId: obligor.party.id, direction: 'UPSTREAM', maxDepth: 4, currency: 'CNY', ...variables },
    apiKey,
  );
}

describe('exposure on GraphQL', () => {
  it('answers the party itself in exact decimal strings', async () => {
    const answer = await ask(obligor.apiKey);
    expect(answer.errors).toBeUndefined();
    // The second claim fell due on 2025-01-31: overdue by now.
    expect(answer.data.exposure).toEqual({
      __typename: 'Exposure',
      direction: 'UPSTREAM',
      maxDepth: 4,
      currency: 'CNY',
      parties: {
        totalCount: 1,
        edges: [
          {
            node: {
              party: { id: holder.party.id },
              depth: 1,
              directClaim: '1244.56',
              claimOnPreviousDepth: '1244.56',
              overdue: '10.00',
              defaulted: '0.00',
              onHold: '0.00',
              tierMin: 0,
              tierMax: 0,
              hopsMin: 0,
              hopsMax: 0,
            },
          },
        ],
      },
      depths: [
        {
          depth: 1,
          partyCount: 1,
          directClaim: '1244.56',
          claimOnPreviousDepth: '1244.56',
          overdue: '10.00',
          defaulted: '0.00',
          onHold: '0.00',
        },
      ],
    });
  });

  it.each([
    ['the lender asked to finance it', () => askedLender],
    ['the lender whose offer it accepted', () => financingLender],
    ['an auditor', () => auditor],
  ])('answers %s', async (_who, party) => {
    const answer = await ask(party().apiKey);
    expect(answer.data.exposure.__typename).toBe('Exposure');
    expect(answer.data.exposure.parties.edges).toHaveLength(1);
  });

  it('answers the holder about its own DOWNSTREAM', async () => {
    const answer = await ask(holder.apiKey, { partyId: holder.party.id, direction: 'DOWNSTREAM' });
    expect(answer.data.exposure.parties.edges).toEqual([
      { node: expect.objectContaining({ party: { id: obligor.party.id }, directClaim: '1244.56' }) },
    ]);
  });

  it.each([
    ['another lender', () => otherLender],
    ['a holder asking about its obligor', () => holder],
  ])('refuses %s', async (_who, party) => {
    const answer = await ask(party().apiKey);
    expect(answer.data.exposure).toEqual({ __typename: 'DomainError', code: 'FORBIDDEN', field: 'partyId' });
  });

  it('answers PARTY_NOT_FOUND to an auditor asking about an id that names no party, FORBIDDEN to others', async () => {
    const partyId = randomUUID();
    const audited = await ask(auditor.apiKey, { partyId });
    expect(audited.data.exposure).toEqual({
      __typename: 'DomainError',
      code: 'PARTY_NOT_FOUND',
      field: 'partyId',
    });
    const asked = await ask(otherLender.apiKey, { partyId });
    expect(asked.data.exposure).toEqual({ __typename: 'DomainError', code: 'FORBIDDEN', field: 'partyId' });
  });

  it('answers asOf an instant before any claim with no party, and refuses an instant in the future', async () => {
    const early = await ask(obligor.apiKey, { asOf: '2020-01-01T00:00:00.000Z' });
    expect(early.data.exposure).toMatchObject({ parties: { totalCount: 0, edges: [] }, depths: [] });
    const future = await ask(obligor.apiKey, { asOf: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.data.exposure).toEqual({ __typename: 'DomainError', code: 'INVALID_INPUT', field: 'asOf' });
  });

  it.each([0, 9, -1])('refuses maxDepth %i', async (maxDepth) => {
    const answer = await ask(t.adminApiKey, { maxDepth });
    expect(answer.data.exposure).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field: 'maxDepth',
    });
  });

  it('refuses an unknown currency in the service too', async () => {
    const answer = await exposure(t.ledger, t.admin, {
      partyId: randomUUID(),
      direction: 'upstream',
      maxDepth: 2,
      currency: 'ABC',
    });
    expect(answer).toMatchObject({ ok: false, code: 'invalid_input', field: 'currency' });
  });
});
