import { type Failure, FailureAbort, type Result } from '../result.js';
import { type Db, inTransaction, type RetryPolicy, type Trx } from './transaction.js';

/**
 * inTransaction for bodies that return a Result: a failure rolls the whole transaction back, so a
 * rejected request leaves nothing behind even if the body wrote before it found the problem.
 */
export async function inTransactionResult<T>(
  db: Db,
  body: (trx: Trx) => Promise<Result<T>>,
  policy?: RetryPolicy,
): Promise<Result<T>> {
  try {
    return await inTransaction(
      db,
      async (trx) => {
        const result = await body(trx);
        if (!result.ok) throw new FailureAbort(result);
        return result;
      },
      policy,
    );
  } catch (error) {
    if (error instanceof FailureAbort) return error.failure as Failure;
    throw error;
  }
}
