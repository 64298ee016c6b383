import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../engine/clients/http/backoff";
import { parseRetryAfter } from "../../../engine/clients/http/retry-after";
import { resolveRetryPolicy, retryDelay, type AttemptOutcome } from "../../../engine/clients/http/retry-policy";

const now = Date.parse("2026-11-23T06:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("10", now)).toBe(10_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP-date relative to now, and a past date as no wait", () => {
    expect(parseRetryAfter("Mon, 23 Nov 2026 06:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 05:59:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    for (const value of [undefined, "", "soon", "-5", "1.5", "12 s"]) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("doubles its ceiling per retry up to the cap, scaled by the jitter", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1_000, 10_000, () => 0.5))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect(backoffDelay(3, 1_000, 10_000, () => 0)).toBe(0);
  });
});

describe("retryDelay", () => {
  const policy = resolveRetryPolicy({ maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 });
  const decide = (outcome: AttemptOutcome, idempotent: boolean, attempt = 1) => retryDelay(outcome, { attempt, policy, idempotent, nowMs: now, random: () => 1 });

  it("retries 429 and 503 for any request, 504 only for idempotent ones", () => {
    expect(decide({ kind: "response", status: 429, retryAfter: "4" }, false)).toBe(4_000);
    expect(decide({ kind: "response", status: 503 }, false)).toBe(1_000);
    expect(decide({ kind: "response", status: 504 }, true)).toBe(1_000);
    expect(decide({ kind: "response", status: 504 }, false)).toBeUndefined();
  });
  it("never retries other statuses", () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 500]) expect(decide({ kind: "response", status }, true)).toBeUndefined();
  });
  it("retries network failures and timeouts only when idempotent, unless the request was never sent", () => {
    expect(decide({ kind: "network", neverSent: false }, true)).toBe(1_000);
    expect(decide({ kind: "network", neverSent: false }, false)).toBeUndefined();
    expect(decide({ kind: "network", neverSent: true }, false)).toBe(1_000);
    expect(decide({ kind: "timeout" }, true)).toBe(1_000);
    expect(decide({ kind: "timeout" }, false)).toBeUndefined();
  });
  it("stops when attempts are used up", () => {
    expect(decide({ kind: "response", status: 429, retryAfter: "1" }, true, 2)).toBe(1_000);
    expect(decide({ kind: "response", status: 429, retryAfter: "1" }, true, 3)).toBeUndefined();
  });
  it("clamps attempts to 1..10", () => {
    expect(resolveRetryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
    expect(resolveRetryPolicy({ maxAttempts: 11 }).maxAttempts).toBe(10);
    expect(resolveRetryPolicy(undefined, { baseDelayMs: 5 })).toEqual({ maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 60_000 });
  });
});
