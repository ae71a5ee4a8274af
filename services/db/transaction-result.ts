import { type Failure, FailureAbort, fail, type Result } from '../result.js';
import {
  type Db,
  inSnapshot,
  inTransaction,
  type RetryPolicy,
  TransactionRetriesExhaustedError,
  type Trx,
} from './transaction.js';

/**
 * The failure a client gets when retrying stopped: retryable, since the same request (same
 * idempotency key) may succeed later and can never be applied twice.
 */
export function exhaustedFailure(error: TransactionRetriesExhaustedError): Failure {
  return error.retryClass === 'connection'
    ? fail('database_unavailable', 'the database could not be reached; send the same request again')
    : fail(
        'conflict_retry_exhausted',
        'concurrent requests kept conflicting with this one; send the same request again',
      );
}

/**
 * inTransaction for bodies that return a Result: a failure rolls the whole transaction back, so a
 * rejected request leaves nothing behind even if the body wrote before it found the problem. Retries
 * that ran out come back as a retryable failure, not an exception.
 */
export async function inTransactionResult<T>(
  db: Db,
  body: (trx: Trx, attempt: number) => Promise<Result<T>>,
  policy?: RetryPolicy,
): Promise<Result<T>> {
  try {
    return await inTransaction(
      db,
      async (trx, attempt) => {
        const result = await body(trx, attempt);
        if (!result.ok) throw new FailureAbort(result);
        return result;
      },
      policy,
    );
  } catch (error) {
    if (error instanceof FailureAbort) return error.failure as Failure;
    if (error instanceof TransactionRetriesExhaustedError) return exhaustedFailure(error);
    throw error;
  }
}

/** inSnapshot for read-only bodies that return a Result; retries that ran out come back as a failure. */
export async function inSnapshotResult<T>(
  db: Db,
  body: (trx: Trx) => Promise<Result<T>>,
  policy?: RetryPolicy,
): Promise<Result<T>> {
  try {
    return await inSnapshot(db, body, policy);
  } catch (error) {
    if (error instanceof TransactionRetriesExhaustedError) return exhaustedFailure(error);
    throw error;
  }
}
