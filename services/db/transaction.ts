/**
 * The one way to run a transaction. SERIALIZABLE everywhere (CockroachDB's only strong level, and
 * PostgreSQL's SSI gives the same guarantees), so a conflict surfaces as an error the client must
 * answer by running the whole transaction again. We never use `SAVEPOINT cockroach_restart`: it is
 * CockroachDB-only, and whole-transaction retry works on both servers.
 *
 * Three kinds of error are retried (retry-classes.ts): conflicts, up to attemptsMax; a lost or
 * refused connection, for as long as connectionRetryMs (a server restart or a node drain takes
 * seconds, and the pool opens fresh connections once it is back); and a unique violation, which
 * under concurrency means another transaction just inserted the same key (two first submits with
 * one idempotency key), so the next attempt's lookup finds it; a few times only, since a repeated
 * one is a bug. When retrying stops, TransactionRetriesExhaustedError says why.
 *
 * A body may run several times. It must talk only to the database, through its `trx`: no HTTP, no
 * files, no clocks it relies on being read once. Work that leaves the process goes to an outbox.
 *
 * No transaction outlives a minute, by rule (the anchoring worker anchors a late committer only once
 * it can be sure no older transaction is still open): each attempt is bounded by attemptAgeMaxMs.
 * Past it, the attempt's next statement and its COMMIT are refused with TransactionTooOldError and it
 * rolls back; a statement already running is bounded by the connection's statement_timeout, and a
 * transaction left idle by the server's idle_in_transaction_session_timeout (see connect.ts).
 */
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  Transaction,
  UnknownRow,
} from 'kysely';
import type { Database } from '../../schema/database.js';
import { type RetryClass, retryClassOf } from './retry-classes.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type { RetryClass };

export interface RetryPolicy {
  /** Attempts in all while the errors are conflicts. */
  attemptsMax: number;
  /** How long to keep retrying while the database cannot be reached. */
  connectionRetryMs: number;
  /** Attempts in all while the errors are unique violations. */
  duplicateAttemptsMax: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /**
   * How long one attempt may run before its next statement and its commit are refused
   * (TRANSACTION_AGE_MAX_MS). Unset: transactionAgeMaxMsDefault.
   */
  attemptAgeMaxMs?: number;
  /** Observes each retry (metrics, tests). */
  onRetry?: (attempt: number, error: unknown, retryClass: RetryClass) => void;
}

/**
 * 20 s, so that with the default 30 s statement_timeout (a statement already running when the bound
 * passes finishes or is cancelled by it) an attempt ends within 50 s, under the minute.
 */
export const transactionAgeMaxMsDefault = 20_000;

export const defaultRetryPolicy: RetryPolicy = {
  attemptsMax: 12,
  connectionRetryMs: 15_000,
  duplicateAttemptsMax: 3,
  backoffBaseMs: 5,
  backoffCapMs: 1000,
  attemptAgeMaxMs: transactionAgeMaxMsDefault,
};

const policies = new WeakMap<Db, RetryPolicy>();

/**
 * What every inTransaction of this process did, counted as it goes: transactions begun, attempts
 * (a retry is one more attempt), retries by class, and transactions whose retries ran out. The abort
 * rate of a workload is retries.conflict over attempts. Read by benchmarks and by tests that bound
 * how often independent writes conflict.
 */
export const transactionStats = {
  transactions: 0,
  attempts: 0,
  retries: { conflict: 0, connection: 0, duplicate: 0 } as Record<RetryClass, number>,
  exhausted: 0,
};

type RetryListener = (error: unknown, retryClass: RetryClass) => void;
const retryListeners = new Set<RetryListener>();

/** Hears every retry of every transaction in this process (diagnostics); returns the unsubscribe. */
export function listenToRetries(listener: RetryListener): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

/** The policy every inTransaction on `db` uses unless given one: set once, where the pool is opened. */
export function setRetryPolicy(db: Db, changes: Partial<RetryPolicy>): void {
  policies.set(db, { ...defaultRetryPolicy, ...changes });
}

/** True when running the whole transaction again may succeed. */
export function isRetryableError(error: unknown): boolean {
  return retryClassOf(error) !== null;
}

export class TransactionRetriesExhaustedError extends Error {
  override name = 'TransactionRetriesExhaustedError';
  constructor(
    readonly attempts: number,
    /** What the last attempt ran into: 'connection' means the database could not be reached. */
    readonly retryClass: Exclude<RetryClass, 'duplicate'>,
    override readonly cause: unknown,
  ) {
    super(
      retryClass === 'connection'
        ? `the database could not be reached after ${attempts} attempts`
        : `transaction still conflicting after ${attempts} attempts`,
    );
  }
}

/**
 * An attempt ran past attemptAgeMaxMs: it was rolled back, nothing of it committed. Not retried: the
 * next attempt would most likely run as long, and a transaction that long is a bug or an overload to
 * look at, not a conflict to wait out.
 */
export class TransactionTooOldError extends Error {
  override name = 'TransactionTooOldError';
  constructor(
    readonly ageMs: number,
    readonly ageMaxMs: number,
  ) {
    super(`transaction attempt still running after ${ageMs} ms (bound ${ageMaxMs} ms): rolled back`);
  }
}

/** Refuses every statement of an attempt once the attempt is older than its bound. */
class AttemptAgeBound implements KyselyPlugin {
  constructor(private readonly check: () => void) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.check();
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)], so that colliding clients spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceilingMs = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** attempt);
  return Math.random() * ceilingMs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error to end with, or undefined to try again. */
function stopWith(
  error: unknown,
  retryClass: RetryClass | null,
  counts: Record<RetryClass, number>,
  connectionFailingSinceMs: number,
  policy: RetryPolicy,
): { error: unknown } | undefined {
  const attempts = counts.conflict + counts.connection + counts.duplicate;
  switch (retryClass) {
    case null:
      return { error };
    case 'duplicate':
      return counts.duplicate >= policy.duplicateAttemptsMax ? { error } : undefined;
    case 'conflict':
      return counts.conflict >= policy.attemptsMax
        ? { error: new TransactionRetriesExhaustedError(attempts, 'conflict', error) }
        : undefined;
    case 'connection':
      return Date.now() - connectionFailingSinceMs >= policy.connectionRetryMs
        ? { error: new TransactionRetriesExhaustedError(attempts, 'connection', error) }
        : undefined;
  }
}

/** Runs `attempt` until it succeeds or the policy says stop, counting as it goes. */
async function withRetries<T>(policy: RetryPolicy, run: (attempt: number) => Promise<T>): Promise<T> {
  const counts: Record<RetryClass, number> = { conflict: 0, connection: 0, duplicate: 0 };
  let connectionFailingSinceMs = 0;
  transactionStats.transactions += 1;
  for (let attempt = 1; ; attempt++) {
    transactionStats.attempts += 1;
    try {
      return await run(attempt);
    } catch (error) {
      const retryClass = retryClassOf(error);
      if (retryClass === 'connection' && counts.connection === 0) connectionFailingSinceMs = Date.now();
      if (retryClass !== null) counts[retryClass] += 1;
      const stop = stopWith(error, retryClass, counts, connectionFailingSinceMs, policy);
      if (stop) {
        if (stop.error instanceof TransactionRetriesExhaustedError) transactionStats.exhausted += 1;
        throw stop.error;
      }
      const known = retryClass as RetryClass;
      transactionStats.retries[known] += 1;
      for (const listener of retryListeners) listener(error, known);
      policy.onRetry?.(attempt, error, known);
      await sleep(backoffMs(policy, Math.min(attempt, 20)));
    }
  }
}

/**
 * Runs `body` in a SERIALIZABLE transaction, retrying the whole of it as the policy allows. The body
 * learns which attempt it is: a first attempt may lean on what was read before the transaction
 * (fact.service.ts), a retry re-reads it inside.
 */
export function inTransaction<T>(
  db: Db,
  body: (trx: Trx, attempt: number) => Promise<T>,
  policy: RetryPolicy = policies.get(db) ?? defaultRetryPolicy,
): Promise<T> {
  return withRetries(policy, (attempt) => {
    const checkAge = ageBound(policy);
    return db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => {
        const result = await body(trx.withPlugin(new AttemptAgeBound(checkAge)), attempt);
        checkAge(); // the COMMIT that follows
        return result;
      });
  });
}

/** Throws TransactionTooOldError once the attempt that called it is older than the policy allows. */
function ageBound(policy: RetryPolicy): () => void {
  const startedAtMs = Date.now();
  const ageMaxMs = policy.attemptAgeMaxMs ?? transactionAgeMaxMsDefault;
  return () => {
    const ageMs = Date.now() - startedAtMs;
    if (ageMs > ageMaxMs) throw new TransactionTooOldError(ageMs, ageMaxMs);
  };
}

/**
 * A read-only transaction on one snapshot that takes no serializable predicate locks (REPEATABLE
 * READ on PostgreSQL; CockroachDB runs it SERIALIZABLE unless configured otherwise, which is as
 * safe). For reads whose answer a later SERIALIZABLE write checks again (prepare, the pre-checks of
 * a submit) or that read rows which never change once committed. On PostgreSQL a serializable read
 * of a key that does not exist locks the index page where it would be, so that every concurrent
 * insert into that page becomes a conflict: reads like these must not be serializable.
 */
export function inSnapshot<T>(
  db: Db,
  body: (trx: Trx) => Promise<T>,
  policy: RetryPolicy = policies.get(db) ?? defaultRetryPolicy,
): Promise<T> {
  return withRetries(policy, () =>
    db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(body),
  );
}

/**
 * One statement in its own implicit transaction (SERIALIZABLE by the connection's default): one
 * round trip instead of the three of BEGIN, the statement and COMMIT. For a hot path that needs a
 * single statement: the revocation check of every authenticated request, the row prepare keeps.
 * `statement` must run exactly one. Retried like inTransaction.
 */
export function inOneStatement<T>(
  db: Db,
  statement: (db: Db) => Promise<T>,
  policy: RetryPolicy = policies.get(db) ?? defaultRetryPolicy,
): Promise<T> {
  return withRetries(policy, () => statement(db));
}
