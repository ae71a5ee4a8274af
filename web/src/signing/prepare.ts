/**
 * The first half of every write: a prepare… mutation answers the statement to sign, or a DomainError
 * whose message the form shows. A request that fails on the way (network, a GraphQL error) is shown
 * the same way, so that no click ends in silence.
 */
import type { Prepared } from './statement-review';

export type PrepareAnswer =
  | { __typename: 'PreparedStatement'; statement: string; eventHash: string; kind: string }
  | { __typename: 'DomainError'; message: string; field?: string | null };

export type PrepareOutcome =
  | { prepared: Prepared; problem?: undefined }
  | { prepared?: undefined; problem: string };

export async function prepareStatement(call: () => Promise<PrepareAnswer>): Promise<PrepareOutcome> {
  try {
    const answer = await call();
    if (answer.__typename === 'DomainError') {
      return { problem: answer.field ? `${answer.message} (${answer.field})` : answer.message };
    }
    return { prepared: { statement: answer.statement, eventHash: answer.eventHash, kind: answer.kind } };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
