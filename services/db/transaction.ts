/**
 * The one way to run a transaction. SERIALIZABLE everywhere (CockroachDB's only strong level, and
 * PostgreSQL's SSI gives the same guarantees), so a conflict surfaces as an error the client must
 * answer by running the whole transaction again. We never use `SAVEPOINT cockroach_restart`: it is
 * CockroachDB-only, and whole-transaction retry works on both servers.
 *
 * A body may run several times. It must talk only to the database, through its `trx`: no HTTP, no
 * files, no clocks it relies on being read once. Work that leaves the process goes to an outbox.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export interface RetryPolicy {
  attemptsMax: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Observes each retry (metrics, tests). */
  onRetry?: (attempt: number, error: unknown) => void;
}

export const defaultRetryPolicy: RetryPolicy = { attemptsMax: 12, backoffBaseMs: 5, backoffCapMs: 1000 };

const retryableSqlStates = new Set(['40001', '40P01']);

/** True for serialization failures, deadlocks, and CockroachDB's "restart transaction" errors. */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && retryableSqlStates.has(code)) return true;
  return typeof message === 'string' && message.includes('restart transaction');
}

export class TransactionRetriesExhaustedError extends Error {
  override name = 'TransactionRetriesExhaustedError';
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`transaction still conflicting after ${attempts} attempts`);
  }
}

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)], so that colliding clients spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceilingMs = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** attempt);
  return Math.random() * ceilingMs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `body` in a SERIALIZABLE transaction, retrying the whole of it on retryable conflicts. */
export async function inTransaction<T>(
  db: Db,
  body: (trx: Trx) => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(body);
    } catch (error) {
      if (!isRetryableError(error)) throw error;
      if (attempt >= policy.attemptsMax) throw new TransactionRetriesExhaustedError(attempt, error);
      policy.onRetry?.(attempt, error);
      await sleep(backoffMs(policy, attempt));
    }
  }
}
