/** The exposure screen's queries, with every page of their party lists loaded. */

import { request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';

export const exposureQuery = graphql(`
  query ExposureScreen(
    $partyId: UUID!
    $direction: ExposureDirection!
    $maxDepth: Int!
    $currency: CurrencyCode!
    $asOf: DateTime
    $after: String
    $linksAfter: String
    $withParties: Boolean!
    $withLinks: Boolean!
  ) {
    exposure(partyId: $partyId, direction: $direction, maxDepth: $maxDepth, currency: $currency, asOf: $asOf) {
      __typename
      ... on Exposure {
        asOf
        currency
        direction
        maxDepth
        overdueCutoff
        party { id legalName }
        depths { depth partyCount directClaim claimOnPreviousDepth overdue defaulted onHold }
        links(first: 100, after: $linksAfter) @include(if: $withLinks) {
          pageInfo { hasNextPage endCursor }
          edges { node { depth nearer { id } farther { id } claim } }
        }
        parties(first: 100, after: $after) @include(if: $withParties) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            node {
              party { id legalName }
              depth
              directClaim
              claimOnPreviousDepth
              overdue
              defaulted
              onHold
              tierMin
              tierMax
            }
          }
        }
      }
      ... on DomainError { code message field }
    }
  }
`);

export const stressQuery = graphql(`
  query StressScreen(
    $obligorId: UUID!
    $lossGivenDefault: Decimal!
    $maxDepth: Int!
    $currency: CurrencyCode!
    $asOf: DateTime
    $after: String
  ) {
    stressTest(
      obligorId: $obligorId
      lossGivenDefault: $lossGivenDefault
      maxDepth: $maxDepth
      currency: $currency
      asOf: $asOf
    ) {
      __typename
      ... on StressTest {
        lossGivenDefault
        totalLoss
        currency
        parties(first: 100, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            node {
              party { id legalName }
              level
              exposed
              held
              loss
              lossShare { numerator denominator }
            }
          }
        }
        lenders(first: 100) {
          totalCount
          edges { node { lender { id legalName } level financedExposed financedLoss } }
        }
      }
      ... on DomainError { code message field }
    }
  }
`);

export const partiesQuery = graphql(`
  query ExposureParties($after: String) {
    parties(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id legalName roles } }
    }
  }
`);

type ExposureAnswer = ResultOf<typeof exposureQuery>['exposure'];
export type ExposureValue = Extract<ExposureAnswer, { __typename: 'Exposure' }>;
export type ExposurePartyRow = NonNullable<ExposureValue['parties']>['edges'][number]['node'];
type StressAnswer = ResultOf<typeof stressQuery>['stressTest'];
export type StressValue = Extract<StressAnswer, { __typename: 'StressTest' }>;
export type StressedRow = StressValue['parties']['edges'][number]['node'];
export type DirectoryParty = ResultOf<typeof partiesQuery>['parties']['edges'][number]['node'];

export interface DomainFailure {
  __typename: 'DomainError';
  code: string;
  message: string;
}

/** Pages through; stops at 50 pages (5,000 parties), which the picture could not show anyway. */
const pageLimit = 50;

export interface ExposureVariables {
  partyId: string;
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  maxDepth: number;
  currency: string;
  asOf: string | null;
}

export type ExposureLinkRow = NonNullable<ExposureValue['links']>['edges'][number]['node'];

/**
 * Every party and every link of the walk. The first request asks for both, so that a walk of up to
 * 100 of each is read on one snapshot; further pages ask only for the list that has more.
 */
export async function loadExposure(
  variables: ExposureVariables,
): Promise<{ exposure: ExposureValue; rows: ExposurePartyRow[]; links: ExposureLinkRow[] } | DomainFailure> {
  const rows: ExposurePartyRow[] = [];
  const links: ExposureLinkRow[] = [];
  let after: string | null = null;
  let linksAfter: string | null = null;
  let withParties = true;
  let withLinks = true;
  let first: ExposureValue | null = null;
  for (let page = 0; page < pageLimit && (withParties || withLinks); page++) {
    const answer: ResultOf<typeof exposureQuery> = await request(exposureQuery, {
      ...variables,
      after,
      linksAfter,
      withParties,
      withLinks,
    });
    const value = answer.exposure;
    if (value.__typename === 'DomainError') return value;
    first ??= value;
    if (withParties && value.parties) {
      rows.push(...value.parties.edges.map((edge) => edge.node));
      withParties = value.parties.pageInfo.hasNextPage;
      after = value.parties.pageInfo.endCursor ?? null;
    }
    if (withLinks && value.links) {
      links.push(...value.links.edges.map((edge) => edge.node));
      withLinks = value.links.pageInfo.hasNextPage;
      linksAfter = value.links.pageInfo.endCursor ?? null;
    }
  }
  return { exposure: first as ExposureValue, rows, links };
}

export interface StressVariables {
  obligorId: string;
  lossGivenDefault: string;
  maxDepth: number;
  currency: string;
  asOf: string | null;
}

export async function loadStress(
  variables: StressVariables,
): Promise<{ stress: StressValue; rows: StressedRow[] } | DomainFailure> {
  const rows: StressedRow[] = [];
  let after: string | null = null;
  let first: StressValue | null = null;
  for (let page = 0; page < pageLimit; page++) {
    const answer: ResultOf<typeof stressQuery> = await request(stressQuery, { ...variables, after });
    const value = answer.stressTest;
    if (value.__typename === 'DomainError') return value;
    first ??= value;
    rows.push(...value.parties.edges.map((edge) => edge.node));
    if (!value.parties.pageInfo.hasNextPage) break;
    after = value.parties.pageInfo.endCursor ?? null;
  }
  return { stress: first as StressValue, rows };
}

export async function loadDirectory(): Promise<DirectoryParty[]> {
  const parties: DirectoryParty[] = [];
  let after: string | null = null;
  for (let page = 0; page < pageLimit; page++) {
    const answer: ResultOf<typeof partiesQuery> = await request(partiesQuery, { after });
    parties.push(...answer.parties.edges.map((edge) => edge.node));
    if (!answer.parties.pageInfo.hasNextPage) break;
    after = answer.parties.pageInfo.endCursor ?? null;
  }
  return parties;
}
