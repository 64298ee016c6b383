/**
 * A step's `timeoutMs`, enforced by the interpreter whatever the kind does: the kind's call is
 * raced against it and, on expiry, the signal the kind was given aborts so its requests stop.
 * The timer is a real one, not the run's clock: it bounds wall time spent waiting on a tenant,
 * and a manual test clock answers every sleep at once, which would expire every step.
 */
import { IntentError } from "../core/errors";
import type { CompiledStep } from "../language/spec/types";

// Steps without a timeout share one signal that never aborts, so the hot path allocates nothing.
const NEVER_ABORTED = new AbortController().signal;

export function stepTimeoutError(step: CompiledStep): IntentError {
  return new IntentError("STEP_TIMEOUT", `Step "${step.id}" did not finish within ${step.timeoutMs} ms.`, {
    retryable: true,
    fix: "Try again later; if the tenant is often this slow, raise the step's timeoutMs.",
  });
}

/** Runs `call` with a signal that aborts when the step's timeout expires; rejects with STEP_TIMEOUT then. */
export async function withStepTimeout<T>(step: CompiledStep, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = step.timeoutMs;
  if (timeoutMs === undefined) return call(NEVER_ABORTED);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = stepTimeoutError(step);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
