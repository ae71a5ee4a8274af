/**
 * The yardstick every ledger number is printed beside: raw SHA-256 over 64-byte inputs (the size of
 * an interior node's two children), one createHash per hash exactly as services/crypto sha256 does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface Sha256Rate {
  hashesPerSecond: number;
  /** Milliseconds for one hash: what a proof's latency is compared with. */
  msPerHash: number;
  hashes: number;
  seconds: number;
}

const inputBytes = 64;
const roundHashes = 1000;
const warmUpMs = 100;

function hashFor(durationMs: number, inputs: readonly Buffer[]): { hashes: number; elapsedMs: number } {
  const started = performance.now();
  let hashes = 0;
  let sink = 0;
  while (performance.now() - started < durationMs) {
    for (let offset = 0; offset < roundHashes; offset++) {
      const input = inputs[offset % inputs.length] as Buffer;
      sink ^= createHash('sha256').update(input).digest()[0] ?? 0;
    }
    hashes += roundHashes;
  }
  const elapsedMs = performance.now() - started;
  // Keeps the digests observable so no engine may drop the work.
  if (sink === -1) console.log(sink);
  return { hashes, elapsedMs };
}

/** Hashes 64-byte inputs for about durationMs, after a short warm-up. */
export function measureSha256Rate(durationMs = 1000): Sha256Rate {
  const inputs = Array.from({ length: 16 }, () => randomBytes(inputBytes));
  hashFor(warmUpMs, inputs);
  const { hashes, elapsedMs } = hashFor(durationMs, inputs);
  const hashesPerSecond = (hashes * 1000) / elapsedMs;
  return { hashesPerSecond, msPerHash: 1000 / hashesPerSecond, hashes, seconds: elapsedMs / 1000 };
}
