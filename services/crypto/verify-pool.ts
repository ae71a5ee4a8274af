/**
 * Ed25519 verification on worker threads, one per core (os.availableParallelism()), so that a batch of
 * signatures keeps every core busy while the event loop goes on serving requests. A batch is split
 * into chunks packed into one transferred buffer each (128 bytes a job: key, message, signature), and
 * every chunk goes to the thread with the fewest jobs waiting.
 *
 * A thread that dies leaves only its own chunks undecided (null: the caller reports a retryable
 * failure) and is replaced at once; no job ever waits on a dead thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ed25519SpkiPrefix, mayVerify, verify } from './ed25519.js';

export interface VerifyJob {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Valid or not; null when the thread checking it stopped first (nothing was decided: ask again). */
export type Verdict = boolean | null;

/** Verifies many signatures at once; answers in the order asked. Never rejects for one job. */
export interface SignatureVerifier {
  verifyMany(jobs: readonly VerifyJob[]): Promise<Verdict[]>;
}

export interface VerifyPool extends SignatureVerifier {
  readonly threads: number;
  /** Ends every thread; jobs still waiting get null. */
  close(): Promise<void>;
}

class VerifierUnavailableError extends Error {
  override name = 'VerifierUnavailableError';
}

export interface VerifyPoolOptions {
  /** Default os.availableParallelism(). */
  threads?: number;
  /** Jobs per message to a thread; bounds how much one thread's death takes with it. */
  chunkJobsMax?: number;
  /** Called with each thread started, replacements included (tests end one to see it replaced). */
  onThreadStarted?: (worker: Worker) => void;
}

/** Verification on the calling thread: for tests and tools that start no pool. */
export const inlineVerifier: SignatureVerifier = {
  verifyMany: async (jobs) => jobs.map((job) => verify(job.publicKey, job.message, job.signature)),
};

const jobBytes = 128;

// CommonJS evaluated in the thread, so that it runs the same under tsx, vitest and a bundle: the
// thread needs node:crypto alone. Keys are imported once each (createPublicKey costs as much as a
// verification) and kept in a bounded map.
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const prefix = Buffer.from(workerData.spkiPrefixHex, 'hex');
const keysMax = 4096;
const keys = new Map();
function keyOf(raw) {
  const id = raw.toString('base64');
  let key = keys.get(id);
  if (key === undefined) {
    if (keys.size >= keysMax) keys.clear();
    key = createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return key;
}
parentPort.on('message', ({ id, packed }) => {
  const bytes = Buffer.from(packed);
  const count = bytes.length / ${jobBytes};
  const results = new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const at = index * ${jobBytes};
    try {
      const key = keyOf(bytes.subarray(at, at + 32));
      results[index] = verify(null, bytes.subarray(at + 32, at + 64), key, bytes.subarray(at + 64, at + 128)) ? 1 : 0;
    } catch {
      results[index] = 0;
    }
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
`;

interface Chunk {
  id: number;
  resolve(results: Uint8Array): void;
  reject(error: Error): void;
  jobs: number;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, Chunk>;
  jobsWaiting: number;
}

/** Packs jobs that passed mayVerify; each message is 32 bytes (an event hash), as the ledger signs. */
function pack(jobs: readonly VerifyJob[]): ArrayBuffer {
  const packed = new Uint8Array(jobs.length * jobBytes);
  jobs.forEach((job, index) => {
    packed.set(job.publicKey, index * jobBytes);
    packed.set(job.message, index * jobBytes + 32);
    packed.set(job.signature, index * jobBytes + 64);
  });
  return packed.buffer;
}

export function startVerifyPool(options: VerifyPoolOptions = {}): VerifyPool {
  const threadCount = Math.max(1, options.threads ?? os.availableParallelism());
  const chunkJobsMax = options.chunkJobsMax ?? 128;
  const threads: Thread[] = [];
  let nextChunkId = 0;
  let closing = false;

  const failAll = (thread: Thread, why: string) => {
    for (const chunk of thread.waiting.values()) chunk.reject(new VerifierUnavailableError(why));
    thread.waiting.clear();
    thread.jobsWaiting = 0;
  };

  const start = (slot: number) => {
    const worker = new Worker(threadSource, {
      eval: true,
      workerData: { spkiPrefixHex: ed25519SpkiPrefix.toString('hex') },
    });
    const thread: Thread = { worker, waiting: new Map(), jobsWaiting: 0 };
    threads[slot] = thread;
    // An idle pool must not keep the process alive; busy threads are awaited by their callers.
    worker.unref();
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const chunk = thread.waiting.get(id);
      if (!chunk) return;
      thread.waiting.delete(id);
      thread.jobsWaiting -= chunk.jobs;
      chunk.resolve(results);
    });
    worker.on('error', (error) => failAll(thread, `a verifier thread failed: ${error.message}`));
    worker.once('exit', (code) => {
      failAll(thread, closing ? 'the verifier pool closed' : `a verifier thread stopped (exit ${code})`);
      if (!closing && threads[slot] === thread) start(slot);
    });
    options.onThreadStarted?.(worker);
  };
  for (let slot = 0; slot < threadCount; slot++) start(slot);

  const send = (jobs: readonly VerifyJob[]): Promise<Uint8Array> => {
    if (closing) return Promise.reject(new VerifierUnavailableError('the verifier pool closed'));
    const thread = threads.reduce((least, candidate) =>
      candidate.jobsWaiting < least.jobsWaiting ? candidate : least,
    );
    const id = nextChunkId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      thread.waiting.set(id, { id, resolve, reject, jobs: jobs.length });
      thread.jobsWaiting += jobs.length;
      const packed = pack(jobs);
      thread.worker.postMessage({ id, packed }, [packed]);
    });
  };

  return {
    threads: threadCount,
    async verifyMany(jobs) {
      const results: Verdict[] = jobs.map(() => false);
      for (const job of jobs) {
        if (job.message.length !== 32)
          throw new RangeError('verifyMany takes 32-byte messages (event hashes)');
      }
      const checked = jobs.flatMap((job, index) =>
        mayVerify(job.publicKey, job.signature) ? [{ job, index }] : [],
      );
      // Even chunks across the threads, none above chunkJobsMax.
      const chunkSize = Math.min(chunkJobsMax, Math.ceil(checked.length / threadCount)) || 1;
      const sent: Array<Promise<void>> = [];
      for (let at = 0; at < checked.length; at += chunkSize) {
        const slice = checked.slice(at, at + chunkSize);
        sent.push(
          send(slice.map((entry) => entry.job)).then(
            (answers) => {
              slice.forEach((entry, offset) => {
                results[entry.index] = answers[offset] === 1;
              });
            },
            (error: unknown) => {
              if (!(error instanceof VerifierUnavailableError)) throw error;
              for (const entry of slice) results[entry.index] = null;
            },
          ),
        );
      }
      await Promise.all(sent);
      return results;
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
