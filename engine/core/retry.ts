/** How often and how patiently a call is retried: an intent step may override it, the HTTP clients honour it. */
export interface RetryPolicy {
  /** Attempts in all, including the first (1 = never retry). At most 10. */
  maxAttempts: number;
  /** First backoff delay when the answer has no Retry-After. */
  baseDelayMs: number;
  /** No wait is ever longer than this, Retry-After included. */
  maxDelayMs: number;
}
