import { backoffDelay } from "./backoff";
import { parseRetryAfter } from "./retry-after";
import type { RetryPolicy } from "../../core/retry";

export type { RetryPolicy };

const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };
const MAX_ATTEMPTS_LIMIT = 10;

/** Overlays overrides on a policy, keeping attempts within 1..10 and delays non-negative. */
export function resolveRetryPolicy(...layers: Array<Partial<RetryPolicy> | undefined>): RetryPolicy {
  const merged: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const layer of layers) {
    if (layer?.maxAttempts !== undefined) merged.maxAttempts = layer.maxAttempts;
    if (layer?.baseDelayMs !== undefined) merged.baseDelayMs = layer.baseDelayMs;
    if (layer?.maxDelayMs !== undefined) merged.maxDelayMs = layer.maxDelayMs;
  }
  merged.maxAttempts = Math.min(MAX_ATTEMPTS_LIMIT, Math.max(1, Math.floor(merged.maxAttempts)));
  merged.baseDelayMs = Math.max(0, merged.baseDelayMs);
  merged.maxDelayMs = Math.max(0, merged.maxDelayMs);
  return merged;
}

/** What one attempt produced, as far as the retry decision cares. */
export type AttemptOutcome =
  | { kind: "response"; status: number; retryAfter?: string }
  | { kind: "network"; neverSent: boolean }
  | { kind: "timeout" };

export interface RetryContext {
  /** Attempts made so far (1 after the first). */
  attempt: number;
  policy: RetryPolicy;
  /** True when sending the request twice has the same effect as sending it once. */
  idempotent: boolean;
  nowMs: number;
  random?: () => number;
}

/**
 * The one retry decision: the wait before the next attempt, or undefined to stop.
 * 429 and 503 prove the request was not executed, so any request may be resent; a 504, a timeout
 * or a broken connection may hide a request that did execute, so only idempotent ones are.
 * A Retry-After longer than the policy's cap stops the retries rather than being shortened:
 * sending inside the server's window would only earn another 429.
 */
export function retryDelay(outcome: AttemptOutcome, context: RetryContext): number | undefined {
  if (context.attempt >= context.policy.maxAttempts) return undefined;
  if (!isRetryable(outcome, context.idempotent)) return undefined;
  const retryAfter = outcome.kind === "response" ? parseRetryAfter(outcome.retryAfter, context.nowMs) : undefined;
  if (retryAfter !== undefined) return retryAfter <= context.policy.maxDelayMs ? retryAfter : undefined;
  return backoffDelay(context.attempt, context.policy.baseDelayMs, context.policy.maxDelayMs, context.random);
}

function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  switch (outcome.kind) {
    case "response":
      return outcome.status === 429 || outcome.status === 503 || (outcome.status === 504 && idempotent);
    case "network":
      return idempotent || outcome.neverSent;
    case "timeout":
      return idempotent;
  }
}

/** GET, PUT, PATCH and DELETE are idempotent by HTTP's definition; a POST only when declared. */
export function isIdempotent(method: string, declared: boolean | undefined): boolean {
  return declared ?? method !== "POST";
}
