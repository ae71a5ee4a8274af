/**
 * The verifier threads: the same answers as verify() on the calling thread, a thread that dies
 * leaves its jobs undecided (null, never a hang) and is replaced, and close ends every thread.
 */
import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair, sign, verify } from '../../services/crypto/index.js';
import { startVerifyPool, type VerifyJob, type VerifyPool } from '../../services/crypto/verify-pool.js';

let pool: VerifyPool | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

/** Every fifth signature wrong; with `malformed`, some signatures short and some keys of small order. */
function jobs(count: number, malformed = true): VerifyJob[] {
  const pairs = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
  return Array.from({ length: count }, (_, index) => {
    const pair = pairs[index % pairs.length] ?? generateKeyPair();
    const message = randomBytes(32);
    const signature = sign(pair.privateKey, message);
    if (index % 5 === 0) signature[7] = (signature[7] ?? 0) ^ 0x10;
    if (malformed && index % 11 === 0)
      return { publicKey: pair.publicKey, message, signature: signature.subarray(0, 63) };
    if (malformed && index % 13 === 0) return { publicKey: Buffer.alloc(32), message, signature };
    return { publicKey: pair.publicKey, message, signature };
  });
}

describe('the verifier pool', { timeout: 30_000 }, () => {
  it('answers as verify() does, in the order asked', async () => {
    pool = startVerifyPool({ threads: 2, chunkJobsMax: 16 });
    const asked = jobs(300);
    const answers = await pool.verifyMany(asked);
    expect(answers).toEqual(asked.map((job) => verify(job.publicKey, job.message, job.signature)));
    expect(answers.filter((answer) => answer === true).length).toBeGreaterThan(150);
    expect(await pool.verifyMany([])).toEqual([]);
  });

  it('leaves the jobs of a thread that died undecided, and replaces the thread', async () => {
    const started: Worker[] = [];
    pool = startVerifyPool({
      threads: 2,
      chunkJobsMax: 50,
      onThreadStarted: (worker) => started.push(worker),
    });
    const asked = jobs(100, false);
    const answering = pool.verifyMany(asked);
    // Each thread got one chunk of 50; the first dies before it answers.
    await started[0]?.terminate();
    const answers = await answering;
    expect(answers.slice(0, 50).every((answer) => answer === null)).toBe(true);
    expect(answers.slice(50)).toEqual(
      asked.slice(50).map((job) => verify(job.publicKey, job.message, job.signature)),
    );
    expect(started.length).toBe(3);
    const after = await pool.verifyMany(asked);
    expect(after).toEqual(asked.map((job) => verify(job.publicKey, job.message, job.signature)));
  });

  it('ends its threads on close, and answers null afterwards', async () => {
    const started: Worker[] = [];
    pool = startVerifyPool({ threads: 2, onThreadStarted: (worker) => started.push(worker) });
    const exited = started.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    await pool.close();
    await Promise.all(exited);
    expect(started.length).toBe(2);
    expect(await pool.verifyMany(jobs(3).slice(1, 3))).toEqual([null, null]);
  });
});
