/**
 * How long the outbox waits before the next attempt: doubling from 30 s to an hour, the upper
 * half jittered so many rows do not retry in step, and never inside the receiver's Retry-After.
 */
export const OUTBOX_BASE_DELAY_MS = 30_000;
export const OUTBOX_MAX_DELAY_MS = 3_600_000;

/** `attempts` is how many attempts have been made (1 after the first). */
export function outboxDelay(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(OUTBOX_MAX_DELAY_MS, OUTBOX_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const backoff = Math.floor(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(backoff, retryAfterMs ?? 0);
}
