import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { retryClassOf } from '../../services/db/retry-classes.js';
import {
  backoffMs,
  defaultRetryPolicy,
  inTransaction,
  isRetryableError,
  type RetryPolicy,
  TransactionRetriesExhaustedError,
} from '../../services/db/transaction.js';
import { inTransactionResult } from '../../services/db/transaction-result.js';
import { errorCatalogue } from '../../services/errors.js';
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
    const policy: RetryPolicy = { ...defaultRetryPolicy, attemptsMax: 3, backoffBaseMs: 1, backoffCapMs: 2 };
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
    expect((failure as TransactionRetriesExhaustedError).retryClass).toBe('conflict');
    expect(attempts).toBe(3);
  });

  it('runs the body again on a fresh connection when the server ends its connection mid-transaction', async () => {
    const { db } = database.owner;
    await sql`DELETE FROM retry_counter`.execute(db);
    const retried: string[] = [];
    let attempts = 0;
    await inTransaction(
      database.app.db,
      async (trx) => {
        attempts++;
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        if (attempts === 1) {
          // What an operator's pg_terminate_backend, a crashed server or a drained node does.
          await sql`SELECT pg_terminate_backend(${rows[0]?.pid ?? 0})`.execute(db);
        }
        await sql`SELECT 1`.execute(trx);
      },
      { ...defaultRetryPolicy, onRetry: (_attempt, _error, retryClass) => retried.push(retryClass) },
    );
    expect(attempts).toBe(2);
    expect(retried).toEqual(['connection']);
  });

  it('keeps retrying a lost connection for connectionRetryMs, then says the database could not be reached', async () => {
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), {});
    let attempts = 0;
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      connectionRetryMs: 150,
      backoffBaseMs: 5,
      backoffCapMs: 20,
    };
    const started = Date.now();
    const failure = await inTransaction(
      database.owner.db,
      async () => {
        attempts++;
        throw lost;
      },
      policy,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionRetriesExhaustedError);
    expect((failure as TransactionRetriesExhaustedError).retryClass).toBe('connection');
    expect((failure as TransactionRetriesExhaustedError).cause).toBe(lost);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(attempts).toBeGreaterThan(2);
  });

  it('retries a unique violation a few times (a concurrent insert of the same key), then lets it through', async () => {
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
    });
    let attempts = 0;
    const failure = await inTransaction(
      database.owner.db,
      async () => {
        attempts++;
        throw duplicate;
      },
      { ...defaultRetryPolicy, duplicateAttemptsMax: 3, backoffBaseMs: 1, backoffCapMs: 2 },
    ).catch((error: unknown) => error);
    expect(failure).toBe(duplicate);
    expect(attempts).toBe(3);
  });
});

describe('inTransactionResult', () => {
  it('returns a retryable conflict_retry_exhausted failure, not an exception, when conflicts outlast the retries', async () => {
    const conflict = Object.assign(new Error('could not serialize access'), { code: '40001' });
    const result = await inTransactionResult(
      database.owner.db,
      async () => {
        throw conflict;
      },
      { ...defaultRetryPolicy, attemptsMax: 2, backoffBaseMs: 1, backoffCapMs: 2 },
    );
    expect(result).toMatchObject({ ok: false, code: 'conflict_retry_exhausted' });
    expect(errorCatalogue.conflict_retry_exhausted.retryable).toBe(true);
  });

  it('returns a retryable database_unavailable failure when the database stays unreachable', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const result = await inTransactionResult(
      database.owner.db,
      async () => {
        throw refused;
      },
      { ...defaultRetryPolicy, connectionRetryMs: 20, backoffBaseMs: 1, backoffCapMs: 5 },
    );
    expect(result).toMatchObject({ ok: false, code: 'database_unavailable' });
    expect(errorCatalogue.database_unavailable.retryable).toBe(true);
  });
});

describe('isRetryableError', () => {
  it.each([
    [{ code: '40001' }, true],
    [{ code: '40P01' }, true],
    [{ code: 'XX000', message: 'restart transaction: TransactionRetryWithProtoRefreshError: ...' }, true],
    [{ code: '23505', message: 'duplicate key value' }, true],
    [{ code: '23503', message: 'violates foreign key constraint' }, false],
    [{ code: '40003', message: 'result is ambiguous' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006' }, true],
    [{ code: '08003' }, true],
    [{ code: '08000' }, true],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, true],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [new Error('Client has encountered a connection error and is not queryable'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }], 'connect failed'), true],
    [new Error('connection refused'), false],
    [{ code: '22P02', message: 'invalid input syntax' }, false],
    [null, false],
    ['40001', false],
  ])('classifies %j as retryable=%s', (error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });

  it.each([
    [{ code: '40001' }, 'conflict'],
    [{ code: '57P01' }, 'connection'],
    [{ code: '40003' }, 'connection'],
    [{ code: '23505' }, 'duplicate'],
  ])('puts %j in the retry class %s', (error, expected) => {
    expect(retryClassOf(error)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it('stays within [0, min(cap, base * 2^attempt)]', () => {
    const policy: RetryPolicy = {
      ...defaultRetryPolicy,
      attemptsMax: 10,
      backoffBaseMs: 5,
      backoffCapMs: 100,
    };
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (let sample = 0; sample < 50; sample++) {
        const delay = backoffMs(policy, attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(100, 5 * 2 ** attempt));
      }
    }
  });
});
