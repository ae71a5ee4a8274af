/**
 * Deterministic randomness for the seed: mulberry32 for choices and amounts, ids from a namespace and
 * a counter (a 32-bit generator would repeat 128-bit ids long before a million rows), and Zipf-like
 * choice for the heavy-tailed fan-in.
 */
import { createHash } from 'node:crypto';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, below). */
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}

/** Version-4-shaped UUIDs: 60 bits from the namespace, then a counter, so each run's ids are distinct. */
export function idMaker(namespace: string): () => string {
  const hex = createHash('sha256').update(namespace).digest('hex');
  const head = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-8`;
  let counter = 0;
  return () => {
    counter += 1;
    const tail = counter.toString(16).padStart(15, '0');
    return `${head}${tail.slice(0, 3)}-${tail.slice(3)}`;
  };
}

/** Index i with weight 1 / (i + 1)^exponent: a few items get most of the choices. */
export function zipf(count: number, exponent = 1.1): (random: Random) => number {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let index = 0; index < count; index++) {
    total += 1 / (index + 1) ** exponent;
    cumulative[index] = total;
  }
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}
