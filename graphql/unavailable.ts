/**
 * When the database is gone or contention outlasted every retry, the client must learn that the
 * same request may be sent again: never a bare "Unexpected error.". Mutations get a DomainError value
 * from their service (inTransactionResult); everything else that throws (queries, nested fields,
 * authentication) gets a GraphQL error with a retryable code here, and anything else stays masked.
 */
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { retryClassOf } from '../services/db/retry-classes.js';
import { TransactionRetriesExhaustedError } from '../services/db/transaction.js';

function troubleOf(cause: unknown): 'connection' | 'conflict' | null {
  if (cause instanceof TransactionRetriesExhaustedError) return cause.retryClass;
  // A connection error that escaped the retry helper (a statement outside inTransaction).
  return retryClassOf(cause) === 'connection' ? 'connection' : null;
}

/** The retryable GraphQL error for a database failure, or null for any other error. */
export function databaseTrouble(error: unknown): GraphQLError | null {
  const trouble = troubleOf(error instanceof GraphQLError ? (error.originalError ?? error) : error);
  if (trouble === null) return null;
  const at = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
  if (trouble === 'conflict') {
    return new GraphQLError(
      'concurrent requests kept conflicting with this one; send the same request again',
      {
        ...at,
        extensions: { code: 'CONFLICT_RETRY_EXHAUSTED', retryable: true },
      },
    );
  }
  return new GraphQLError('the database could not be reached; send the same request again', {
    ...at,
    extensions: {
      code: 'DATABASE_UNAVAILABLE',
      retryable: true,
      http: { status: 503, headers: { 'retry-after': '1' } },
    },
  });
}

/** yoga's maskError, except for database trouble, which the client can act on. */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const trouble = databaseTrouble(error);
  if (trouble) return trouble;
  return yogaMaskError(error, message, isDev);
}
