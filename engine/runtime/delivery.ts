/**
 * A delivery (a step that hands a generated secret to a person) that fails for a reason that may
 * pass is not the end of the run: the run waits and tries the delivery again, from its queue,
 * while the secret stays sealed in the run's checkpoints, until it is delivered or a day has
 * passed. Repeating a delivery is harmless (a second copy of the same mail); losing it would leave
 * a credential set that nobody knows.
 */
import type { DeliveryRetry, ReportedError } from "./types";

/** How long a delivery is tried before the run ends partial with it undelivered. */
export const DELIVERY_WINDOW_MS = 24 * 3_600_000;
const FIRST_WAIT_MS = 60_000;
const LONGEST_WAIT_MS = 30 * 60_000;

/**
 * When to try a failed delivery again, or undefined when it may not be: its failure will not pass,
 * or the window since its first failure is over. `earlier`: the failures so far.
 */
export function nextDelivery(error: ReportedError | undefined, earlier: DeliveryRetry | undefined, now: number): { resumeAfterMs: number; retry: DeliveryRetry } | undefined {
  if (!error?.retryable) return undefined;
  const since = earlier?.since ?? now;
  if (now - since >= DELIVERY_WINDOW_MS) return undefined;
  const failures = (earlier?.failures ?? 0) + 1;
  return { resumeAfterMs: Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - 1)), retry: { failures, since } };
}
