import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  backoffMs,
  defaultRetryPolicy,
  inTransaction,
  isRetryableError,
  type RetryPolicy,
  TransactionRetriesExhaustedError,
} from '../../services/db/transaction.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

async function readCounter(): Promise<bigint> {
  const { rows } = await sql<{ value: bigint }>`SELECT value FROM retry_counter WHERE id = 1`.execute(
    database.owner.db,
  );
  return rows[0]?.value ?? -1n;
}

describe('inTransaction', () => {
  beforeAll(async () => {
    await sql`CREATE TABLE retry_counter (id INT8 PRIMARY KEY, value INT8 NOT NULL)`.execute(
      database.owner.db,
    );
  });

  it('ends N concurrent read-modify-write increments of one row at exactly N, retrying the conflicts', async () => {
    const { db } = database.owner;
    await sql`DELETE FROM retry_counter`.execute(db);
    await sql`INSERT INTO retry_counter (id, value) VALUES (1, 0)`.execute(db);
    const increments = 24;
    let retries = 0;
    const policy: RetryPolicy = { ...defaultRetryPolicy, attemptsMax: 100, onRetry: () => retries++ };
    await Promise.all(
      Array.from({ length: increments }, () =>
        inTransaction(
          db,
          async (trx) => {
            const { rows } = await sql<{
              value: bigint;
            }>`SELECT value FROM retry_counter WHERE id = 1`.execute(trx);
            // Widen the window between read and write so that the transactions really overlap.
            await sql`SELECT pg_sleep(0.01)`.execute(trx);
            const value = (rows[0]?.value ?? 0n) + 1n;
            await sql`UPDATE retry_counter SET value = ${value} WHERE id = 1`.execute(trx);
          },
          policy,
        ),
      ),
    );
    expect(await readCounter()).toBe(BigInt(increments));
    expect(retries).toBeGreaterThan(0);
  });

  it('runs at SERIALIZABLE', async () => {
    const level = await inTransaction(database.app.db, async (trx) => {
      const { rows } = await sql<{
        level: string;
      }>`SELECT current_setting('transaction_isolation') AS level`.execute(trx);
      return rows[0]?.level;
    });
    expect(level?.toLowerCase()).toBe('serializable');
  });

  it('rolls the whole body back and does not retry when it throws a non-retryable error', async () => {
    const { db } = database.owner;
    await sql`DELETE FROM retry_counter`.execute(db);
    let attempts = 0;
    await expect(
      inTransaction(db, async (trx) => {
        attempts++;
        await sql`INSERT INTO retry_counter (id, value) VALUES (1, 7)`.execute(trx);
        throw new Error('business rule');
      }),
    ).rejects.toThrow('business rule');
    expect(attempts).toBe(1);
    expect(await readCounter()).toBe(-1n);
  });

  it('gives up with TransactionRetriesExhaustedError after attemptsMax conflicts', async () => {
    let attempts = 0;
    const conflict = Object.assign(new Error('could not serialize access'), { code: '40001' });
    const policy: RetryPolicy = { attemptsMax: 3, backoffBaseMs: 1, backoffCapMs: 2 };
    const failure = await inTransaction(
      database.owner.db,
      async () => {
        attempts++;
        throw conflict;
      },
      policy,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionRetriesExhaustedError);
    expect((failure as TransactionRetriesExhaustedError).cause).toBe(conflict);
    expect(attempts).toBe(3);
  });
});

describe('isRetryableError', () => {
  it.each([
    [{ code: '40001' }, true],
    [{ code: '40P01' }, true],
    [{ code: 'XX000', message: 'restart transaction: TransactionRetryWithProtoRefreshError: ...' }, true],
    [{ code: '23505', message: 'duplicate key value' }, false],
    [new Error('connection refused'), false],
    [null, false],
    ['40001', false],
  ])('classifies %j as retryable=%s', (error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it('stays within [0, min(cap, base * 2^attempt)]', () => {
    const policy: RetryPolicy = { attemptsMax: 10, backoffBaseMs: 5, backoffCapMs: 100 };
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (let sample = 0; sample < 50; sample++) {
        const delay = backoffMs(policy, attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(100, 5 * 2 ** attempt));
      }
    }
  });
});
