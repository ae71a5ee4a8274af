/**
 * "No transaction outlives a minute" is enforced, not assumed: the server ends a transaction left idle,
 * and inTransaction refuses the statements and the commit of an attempt older than its bound.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import {
  defaultRetryPolicy,
  inTransaction,
  type RetryPolicy,
  TransactionTooOldError,
} from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function probeRows(): Promise<bigint[]> {
  const { rows } = await sql<{ n: bigint }>`SELECT n FROM bound_probe ORDER BY n`.execute(database.owner.db);
  return rows.map((row) => row.n);
}

beforeAll(async () => {
  await sql`CREATE TABLE bound_probe (n INT8 PRIMARY KEY)`.execute(database.owner.db);
});

beforeEach(async () => {
  await sql`DELETE FROM bound_probe`.execute(database.owner.db);
});

describe('a transaction left idle', () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openDatabase(database.ownerUrl, { poolMax: 1, idleInTransactionTimeoutMs: 200 });
  });

  afterAll(async () => {
    await handle.close();
  });

  it('sets idle_in_transaction_session_timeout on every pooled connection', async () => {
    const { rows } = await sql<{
      timeout: string;
    }>`SELECT current_setting('idle_in_transaction_session_timeout') AS timeout`.execute(handle.db);
    expect(['200ms', '200']).toContain(rows[0]?.timeout);
  });

  it('is cut by the server: its writes never commit, and the whole body runs again on a fresh connection', async () => {
    const attempts: number[] = [];
    await inTransaction(handle.db, async (trx) => {
      attempts.push(attempts.length + 1);
      await sql`INSERT INTO bound_probe (n) VALUES (${attempts.length})`.execute(trx);
      // The first attempt stalls between two statements, five times longer than the server allows.
      if (attempts.length === 1) await sleep(1000);
      await sql`SELECT 1`.execute(trx);
    });
    expect(attempts).toEqual([1, 2]);
    expect(await probeRows()).toEqual([2n]);
  });
});

describe('a transaction attempt past its age bound', () => {
  const bounded: RetryPolicy = { ...defaultRetryPolicy, attemptAgeMaxMs: 300 };

  it('is refused its next statement with TransactionTooOldError, not retried, and commits nothing', async () => {
    let attempts = 0;
    const failure = await inTransaction(
      database.owner.db,
      async (trx) => {
        attempts++;
        await sql`INSERT INTO bound_probe (n) VALUES (1)`.execute(trx);
        await sql`SELECT pg_sleep(0.5)`.execute(trx);
        await sql`INSERT INTO bound_probe (n) VALUES (2)`.execute(trx);
      },
      bounded,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionTooOldError);
    expect((failure as TransactionTooOldError).ageMaxMs).toBe(300);
    expect((failure as TransactionTooOldError).ageMs).toBeGreaterThan(300);
    expect(attempts).toBe(1);
    expect(await probeRows()).toEqual([]);
  });

  it('is refused its commit when the body returns after the bound', async () => {
    const failure = await inTransaction(
      database.owner.db,
      async (trx) => {
        await sql`INSERT INTO bound_probe (n) VALUES (1)`.execute(trx);
        await sleep(500);
        return 'done';
      },
      bounded,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionTooOldError);
    expect(await probeRows()).toEqual([]);
  });

  it('commits when each attempt stays within the bound', async () => {
    await inTransaction(
      database.owner.db,
      async (trx) => {
        await sql`INSERT INTO bound_probe (n) VALUES (1)`.execute(trx);
      },
      bounded,
    );
    expect(await probeRows()).toEqual([1n]);
  });

  it('takes its bound from the connection options by default', async () => {
    const handle = await openDatabase(database.ownerUrl, { poolMax: 1, transactionAgeMaxMs: 300 });
    try {
      const failure = await inTransaction(handle.db, async (trx) => {
        await sql`SELECT pg_sleep(0.5)`.execute(trx);
        await sql`INSERT INTO bound_probe (n) VALUES (1)`.execute(trx);
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransactionTooOldError);
    } finally {
      await handle.close();
    }
    expect(await probeRows()).toEqual([]);
  });
});
