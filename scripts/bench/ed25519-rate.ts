/**
 * The yardstick for the write path: how many Ed25519 signatures one core verifies per second, with
 * the ledger's own verify (services/crypto: the small-order checks, a key import and OpenSSL's
 * verify), on 32-byte messages, the size of an eventHash.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateKeyPair, sign, verify } from '../../services/crypto/index.js';

export interface Ed25519Rate {
  verificationsPerSecond: number;
  verifications: number;
  seconds: number;
}

const samples = 16;
const warmUpMs = 100;

function verifyFor(
  durationMs: number,
  signed: ReadonlyArray<{ key: Buffer; message: Buffer; signature: Buffer }>,
) {
  const started = performance.now();
  let verifications = 0;
  let valid = 0;
  while (performance.now() - started < durationMs) {
    for (const { key, message, signature } of signed) if (verify(key, message, signature)) valid++;
    verifications += signed.length;
  }
  if (valid !== verifications) throw new Error('a valid Ed25519 signature did not verify');
  return { verifications, elapsedMs: performance.now() - started };
}

/** Verifies valid signatures for about durationMs on this thread, after a short warm-up. */
export function measureEd25519Rate(durationMs = 1000): Ed25519Rate {
  const signed = Array.from({ length: samples }, () => {
    const pair = generateKeyPair();
    const message = randomBytes(32);
    return { key: pair.publicKey, message, signature: sign(pair.privateKey, message) };
  });
  verifyFor(warmUpMs, signed);
  const { verifications, elapsedMs } = verifyFor(durationMs, signed);
  return {
    verificationsPerSecond: (verifications * 1000) / elapsedMs,
    verifications,
    seconds: elapsedMs / 1000,
  };
}
