import type { Clock } from "../../core/clock";
import { retryDelay, type AttemptOutcome, type RetryPolicy } from "./retry-policy";

export interface RetryLoopOptions {
  policy: RetryPolicy;
  idempotent: boolean;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
  /** Told before each wait; for events (never give it a body or a token). */
  onRetry?: (info: { attempt: number; outcome: AttemptOutcome; delayMs: number }) => void;
}

export interface RetryLoopResult<T> {
  value: T;
  outcome: AttemptOutcome;
  attempts: number;
}

/**
 * Runs `attempt` until the retry decision says stop, sleeping on the injected clock in between.
 * Attempts report failures as outcomes rather than throwing, so the last one is always returned
 * to the caller, who decides what an exhausted 429 or network error means.
 */
export async function retryLoop<T>(
  attempt: (attemptNumber: number) => Promise<{ outcome: AttemptOutcome; value: T }>,
  options: RetryLoopOptions,
): Promise<RetryLoopResult<T>> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    const { outcome, value } = await attempt(attemptNumber);
    const delayMs = retryDelay(outcome, {
      attempt: attemptNumber,
      policy: options.policy,
      idempotent: options.idempotent,
      nowMs: options.clock.now(),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    if (delayMs === undefined) return { value, outcome, attempts: attemptNumber };
    options.onRetry?.({ attempt: attemptNumber, outcome, delayMs });
    await options.clock.sleep(delayMs, options.signal);
  }
}
