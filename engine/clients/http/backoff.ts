/**
 * Exponential backoff with full jitter (a uniformly random wait between 0 and the exponential
 * ceiling), which spreads retries of many clients apart instead of synchronising them.
 * `retryNumber` is 1 for the first retry.
 */
export function backoffDelay(
  retryNumber: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}
