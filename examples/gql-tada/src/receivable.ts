/** One real query, typed by gql.tada, and code that reads its answer. */
import { graphql, type ResultOf, type VariablesOf } from './graphql.js';

export const receivableAndLatestEvent = graphql(`
  query ReceivableAndLatestEvent($id: UUID!) {
    receivable(id: $id) {
      __typename
      ... on Receivable {
        id
        face
        outstanding
        currency
        dueDate
      }
      ... on DomainError {
        field
        message
        retryable
      }
    }
    events(last: 1) {
      edges {
        node {
          id
          eventHash
          recordedAt
        }
      }
    }
  }
`);

type Answer = ResultOf<typeof receivableAndLatestEvent>;

export const variables: VariablesOf<typeof receivableAndLatestEvent> = {
  id: '0b9c4f0e-5d1a-4c53-9f0e-2a6b7c8d9e10',
};

/** "CNY 1250000.00 outstanding of 1250000.00, due 2026-11-27": amounts stay the exact strings sent. */
export function describeReceivable(answer: Answer): string {
  const receivable = answer.receivable;
  if (receivable.__typename === 'DomainError')
    return `refused (${receivable.field ?? '-'}): ${receivable.message}`;
  const outstanding: string = receivable.outstanding;
  const dueDate: string = receivable.dueDate;
  return `${receivable.currency} ${outstanding} outstanding of ${receivable.face}, due ${dueDate}`;
}

/** The latest event the caller may see, as "<hash> at <instant>". */
export function latestEvent(answer: Answer): string | null {
  const node = answer.events.edges[0]?.node;
  if (!node) return null;
  const recordedAt: string = node.recordedAt;
  const eventHash: string = node.eventHash;
  return `${eventHash} at ${recordedAt}`;
}
