/**
 * When a failed delivery is tried again: exponential in the attempts made, capped, with jitter so
 * that deliveries that failed together (a receiver that was down) do not all come back together.
 */

export interface RetrySchedule {
  /** Attempts in all; after the last one fails the delivery is DEAD. */
  attemptsMax: number;
  /** The wait after the first failed attempt, before jitter. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

/**
 * The wait after attempt `attempt` (1 for the first) failed: d = min(cap, base * 2^(attempt-1)),
 * then uniform in [d/2, d] ("equal jitter": never less than half the exponential step, so the
 * schedule still grows, never more than the cap).
 */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const step = Math.min(schedule.capMs, schedule.baseMs * 2 ** Math.min(exponent, 52));
  return Math.round(step / 2 + random() * (step / 2));
}
