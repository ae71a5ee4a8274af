/**
 * The yardstick the ingest rate is printed beside: Ed25519 verifications per second on one core (the
 * main thread), each over a 32-byte event hash with the raw 32-byte public key imported for it, as
 * services/crypto/ed25519.ts verify() does for every submitted statement.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateKeyPair, sign, verify } from '../../services/crypto/index.js';

export interface Ed25519Rate {
  verificationsPerSecond: number;
  verifications: number;
  seconds: number;
}

const roundVerifications = 100;
const warmUpMs = 100;

function verifyFor(
  durationMs: number,
  jobs: ReadonlyArray<{ publicKey: Buffer; message: Buffer; signature: Buffer }>,
) {
  const started = performance.now();
  let verifications = 0;
  let valid = 0;
  while (performance.now() - started < durationMs) {
    for (let offset = 0; offset < roundVerifications; offset++) {
      const job = jobs[offset % jobs.length];
      if (job && verify(job.publicKey, job.message, job.signature)) valid++;
    }
    verifications += roundVerifications;
  }
  if (valid !== verifications) throw new Error('a valid signature failed to verify in the yardstick');
  return { verifications, elapsedMs: performance.now() - started };
}

/** Verifies valid signatures of 16 keys for about durationMs, after a short warm-up. */
export function measureEd25519Rate(durationMs = 1000): Ed25519Rate {
  const jobs = Array.from({ length: 16 }, () => {
    const pair = generateKeyPair();
    const message = randomBytes(32);
    return { publicKey: pair.publicKey, message, signature: sign(pair.privateKey, message) };
  });
  verifyFor(warmUpMs, jobs);
  const { verifications, elapsedMs } = verifyFor(durationMs, jobs);
  return {
    verificationsPerSecond: (verifications * 1000) / elapsedMs,
    verifications,
    seconds: elapsedMs / 1000,
  };
}
