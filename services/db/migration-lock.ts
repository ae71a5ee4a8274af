/**
 * kysely's PostgresAdapter locks migrations with pg_advisory_lock, which CockroachDB lacks. This
 * adapter holds a lease row instead (renewed while migrations run) and declares DDL non-transactional
 * so the Migrator never wraps several DDL statements in one transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  type DialectAdapter,
  type Kysely,
  PostgresAdapter,
  PostgresDialect,
  type PostgresDialectConfig,
} from 'kysely';
import { releaseLease, tryAcquireLease } from './lease.js';
import { type Db, inTransaction } from './transaction.js';

const lockLeaseName = 'schema_migration';
const lockTtlMs = 60_000;
const lockWaitMs = 120_000;
const lockPollMs = 200;

class LeaseLockAdapter extends PostgresAdapter {
  readonly #holder = randomUUID();
  #renewal: NodeJS.Timeout | undefined;

  constructor(private readonly getDb: () => Db) {
    super();
  }

  override get supportsTransactionalDdl(): boolean {
    return false;
  }

  #take(): Promise<boolean> {
    return inTransaction(this.getDb(), (trx) => tryAcquireLease(trx, lockLeaseName, this.#holder, lockTtlMs));
  }

  override async acquireMigrationLock(_db: Kysely<unknown>): Promise<void> {
    const deadline = Date.now() + lockWaitMs;
    while (!(await this.#take())) {
      if (Date.now() > deadline)
        throw new Error(`migration lock still held elsewhere after ${lockWaitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, lockPollMs));
    }
    this.#renewal = setInterval(() => {
      this.#take().catch((error) => console.error(`migration lock renewal failed: ${String(error)}`));
    }, lockTtlMs / 3);
  }

  override async releaseMigrationLock(_db: Kysely<unknown>): Promise<void> {
    clearInterval(this.#renewal);
    await inTransaction(this.getDb(), (trx) => releaseLease(trx, lockLeaseName, this.#holder));
  }
}

/** PostgresDialect (also the right dialect for CockroachDB) with the lease-based migration lock. */
export class LedgerDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly getDb: () => Db,
  ) {
    super(config);
  }

  override createAdapter(): DialectAdapter {
    return new LeaseLockAdapter(this.getDb);
  }
}
