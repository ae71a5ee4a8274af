/** One real query, typed by the generated src/gql/, and code that reads its answer. */

import type { ReceivableAndLatestEventQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';

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

/** "CNY 1250000.00 outstanding of 1250000.00, due 2026-11-27": amounts stay the exact strings sent. */
export function describeReceivable(answer: ReceivableAndLatestEventQuery): string {
  const receivable = answer.receivable;
  if (receivable.__typename === 'DomainError')
    return `refused (${receivable.field ?? '-'}): ${receivable.message}`;
  const outstanding: string = receivable.outstanding;
  const dueDate: string = receivable.dueDate;
  return `${receivable.currency} ${outstanding} outstanding of ${receivable.face}, due ${dueDate}`;
}

/** The latest event the caller may see, as "<hash> at <instant>". */
export function latestEvent(answer: ReceivableAndLatestEventQuery): string | null {
  const node = answer.events.edges[0]?.node;
  if (!node) return null;
  const recordedAt: string = node.recordedAt;
  const eventHash: string = node.eventHash;
  return `${eventHash} at ${recordedAt}`;
}
