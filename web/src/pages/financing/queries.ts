/** The financing documents the lender's and the supplier's screens share. */
import { allPages, pageOf } from '../../api/all-pages';
import { request } from '../../api/client';
import { graphql, type ResultOf } from '../../api/graphql';

export const financingsQuery = graphql(`
  query Financings($role: FinancingRole!, $after: String) {
    financings(role: $role, first: 100, after: $after) {
      pageInfo { endCursor hasNextPage }
      edges {
        node {
          id
          status
          amount
          currency
          createdAt
          expiresAt
          receivableId
          holder { id legalName }
          obligor { id legalName }
          lendersAsked { id legalName }
          offers { id status lender { id } }
          receivable { id dueDate outstanding tier }
        }
      }
    }
  }
`);

export type FinancingRow = ResultOf<typeof financingsQuery>['financings']['edges'][number]['node'];

/** Every financing the caller sees in `role`, page by page (oldest first). */
export function loadFinancings(role: 'HOLDER' | 'LENDER'): Promise<FinancingRow[]> {
  return allPages(async (after) => pageOf((await request(financingsQuery, { role, after })).financings));
}

export const financingQuery = graphql(`
  query FinancingDetail($id: UUID!) {
    financing(id: $id) {
      __typename
      ... on Financing {
        id
        status
        amount
        currency
        createdAt
        expiresAt
        receivableId
        acceptedOfferId
        paymentReference
        holder { id legalName }
        obligor { id legalName }
        lender { id legalName }
        lendersAsked { id legalName }
        declines { eventId reason lender { id legalName } }
        offers {
          id
          status
          rate
          dayCount
          fee
          advanceDate
          days
          discount
          advance
          reportHash
          eventId
          lender { id legalName }
        }
        receivable { id tier face outstanding dueDate status onHold currency invoiceId }
        childReceivable { id tier face outstanding dueDate status }
      }
      ... on DomainError { code message field }
    }
  }
`);

export type FinancingDetail = Extract<
  ResultOf<typeof financingQuery>['financing'],
  { __typename: 'Financing' }
>;
export type Offer = FinancingDetail['offers'][number];

/** Statuses in which a request still waits for lenders' answers. */
export const openStatuses = ['REQUESTED', 'OFFERED'] as const;

export function isOpen(status: string): boolean {
  return (openStatuses as readonly string[]).includes(status);
}

/** The badge class of a financing status: what went well, what waits, what ended badly. */
export function statusTone(status: string): 'pass' | 'warn' | 'fail' | 'neutral' {
  switch (status) {
    case 'DISBURSED':
    case 'REPAID':
    case 'ACCEPTED':
      return 'pass';
    case 'REQUESTED':
    case 'OFFERED':
      return 'warn';
    case 'DEFAULTED':
      return 'fail';
    default:
      return 'neutral';
  }
}
