import { describe, expect, it } from "vitest";
import { IntentError } from "../../../engine/core/errors";
import { createManualClock } from "../../support/manual-clock";
import { clientFor, serve } from "./helpers";
import { throttled, unavailable, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer | undefined;

describe("Graph client retries", () => {
  it("rides out a 429 storm and never sends inside a Retry-After window", async () => {
    const clock = createManualClock(1_000_000);
    const windows = ["1", "3", "2", "5"];
    server = await serve((request) => {
      const seen = server?.requests.filter((r) => r.path === request.path).length ?? 0;
      return seen <= windows.length ? throttled(windows[(seen - 1) % windows.length]) : { status: 200, body: { id: request.path } };
    }, clock);
    const { client } = clientFor(server, { clock });
    const paths = ["/users/a", "/users/b", "/users/c", "/users/d", "/users/e", "/users/f"];
    const answers = await Promise.all(paths.map((path) => client.request({ method: "GET", path })));

    expect(answers.map((a) => [a.status, a.attempts])).toEqual(paths.map(() => [200, 5]));
    for (const path of paths) {
      const arrivals = server.requests.filter((r) => r.path === `/v1.0${path}`).map((r) => r.at);
      expect(arrivals).toHaveLength(5);
      windows.forEach((seconds, i) => {
        expect(arrivals[i + 1]! - arrivals[i]!).toBeGreaterThanOrEqual(Number(seconds) * 1000);
      });
    }
  });

  it("backs off exponentially on 503 without Retry-After, within the delay cap", async () => {
    const clock = createManualClock();
    server = await serve((_, index) => (index < 4 ? unavailable() : { status: 200, body: { ok: true } }), clock);
    const { client } = clientFor(server, { clock, random: () => 0.999_999, retry: { baseDelayMs: 1_000, maxDelayMs: 5_000 } });
    const answer = await client.request({ method: "GET", path: "/me" });
    expect(answer.status).toBe(200);
    expect(answer.attempts).toBe(5);
    expect(clock.sleeps).toEqual([999, 1_999, 3_999, 4_999]);
  });

  it("jitters each backoff between 0 and its exponential ceiling, and returns the last 503 when attempts run out", async () => {
    const clock = createManualClock();
    server = await serve(() => unavailable(), clock);
    // Each wait is the random draw times that retry's ceiling (100, 200, 400, 800, then capped at 1000).
    const draws = [0.5, 0.25, 0, 0.75, 0.999];
    const { client } = clientFor(server, { clock, random: () => draws.shift() ?? 1, retry: { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 6 } });
    const answer = await client.request({ method: "DELETE", path: "/groups/g/members/u/$ref" });
    expect(answer.status).toBe(503);
    expect(answer.attempts).toBe(6);
    expect(server.requests).toHaveLength(6);
    expect(clock.sleeps).toEqual([50, 50, 0, 600, 999]);
  });

  it("never makes more than 10 attempts whatever the policy asks", async () => {
    const clock = createManualClock();
    server = await serve(() => throttled("0"), clock);
    const { client } = clientFor(server, { clock, retry: { maxAttempts: 50 } });
    const answer = await client.request({ method: "GET", path: "/users" });
    expect(answer.status).toBe(429);
    expect(answer.attempts).toBe(10);
    expect(server.requests).toHaveLength(10);
  });

  it("honours Retry-After given as an HTTP-date", async () => {
    const start = Date.parse("2026-11-23T06:00:00Z");
    const clock = createManualClock(start);
    const later = new Date(start + 7_000).toUTCString();
    server = await serve((_, index) => (index === 0 ? throttled(later) : { status: 204 }), clock);
    const { client } = clientFor(server, { clock });
    const answer = await client.request({ method: "PATCH", path: "/users/u1", body: { accountEnabled: false } });
    expect(answer.status).toBe(204);
    expect(clock.sleeps).toEqual([7_000]);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(7_000);
  });

  it("stops rather than sending inside a Retry-After longer than the delay cap", async () => {
    const clock = createManualClock();
    server = await serve(() => throttled("120"), clock);
    const { client } = clientFor(server, { clock });
    const answer = await client.request({ method: "GET", path: "/users" });
    expect(answer.status).toBe(429);
    expect(answer.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("Graph client write safety", () => {
  it("does not replay a non-idempotent POST after a connection reset", async () => {
    server = await serve((_, index) => (index === 0 ? { reset: true } : { status: 201, body: { id: "new" } }));
    const { client } = clientFor(server, { clock: createManualClock() });
    const sent = client.request({ method: "POST", path: "/users", body: { displayName: "Jane" } });
    await expect(sent).rejects.toMatchObject({ code: "GRAPH_UNREACHABLE" });
    await expect(sent).rejects.toBeInstanceOf(IntentError);
    expect(server.requests).toHaveLength(1);
  });

  it("does not replay a non-idempotent POST after a 504, where it may have executed", async () => {
    server = await serve((_, index) => (index === 0 ? { status: 504, text: "" } : { status: 201, body: {} }));
    const { client } = clientFor(server, { clock: createManualClock() });
    const answer = await client.request({ method: "POST", path: "/users/u1/revokeSignInSessions", body: {} });
    expect(answer.status).toBe(504);
    expect(server.requests).toHaveLength(1);
  });

  it("replays a non-idempotent POST after a 429, which proves nothing happened", async () => {
    const clock = createManualClock();
    server = await serve((_, index) => (index === 0 ? throttled("2") : { status: 201, body: { id: "new" } }), clock);
    const { client } = clientFor(server, { clock });
    const answer = await client.request({ method: "POST", path: "/users", body: { displayName: "Jane" } });
    expect(answer).toMatchObject({ status: 201, attempts: 2, body: { id: "new" } });
    expect(server.requests.map((r) => r.body)).toEqual([{ displayName: "Jane" }, { displayName: "Jane" }]);
  });

  it("replays an idempotent PATCH, and a POST declared idempotent, after a connection reset", async () => {
    server = await serve((request) => {
      const seen = server?.requests.filter((r) => r.path === request.path).length ?? 0;
      return seen === 1 ? { reset: true } : { status: 204 };
    });
    const { client } = clientFor(server, { clock: createManualClock() });
    const patch = await client.request({ method: "PATCH", path: "/users/u1", body: { accountEnabled: false } });
    const post = await client.request({ method: "POST", path: "/users/u1/revokeSignInSessions", body: {}, idempotent: true });
    expect([patch.status, patch.attempts, post.status, post.attempts]).toEqual([204, 2, 204, 2]);
  });
});

describe("Graph client token refresh", () => {
  it("resends once with a fresh token when Graph rejects the cached one, even a POST", async () => {
    const issued = ["revoked", "fresh"];
    const invalidated: string[] = [];
    const tokens = {
      getToken: () => Promise.resolve(issued[0]!),
      invalidate: (token: string) => {
        invalidated.push(token);
        if (issued[0] === token) issued.shift();
      },
    };
    server = await serve((request) =>
      request.headers.authorization === "Bearer fresh" ? { status: 201, body: { id: "new" } } : { status: 401, body: { error: { code: "InvalidAuthenticationToken" } } },
    );
    const { client } = clientFor(server, { clock: createManualClock(), tokens });
    const answer = await client.request({ method: "POST", path: "/users", body: {} });
    expect([answer.status, answer.attempts]).toEqual([201, 2]);
    expect(invalidated).toEqual(["revoked"]);

    const again = await client.request({ method: "GET", path: "/me" });
    expect([again.status, again.attempts]).toEqual([201, 1]);
  });

  it("returns a second 401 instead of looping", async () => {
    server = await serve(() => ({ status: 401, body: { error: { code: "InvalidAuthenticationToken" } } }));
    const tokens = { getToken: () => Promise.resolve("bad"), invalidate: () => undefined };
    const { client } = clientFor(server, { clock: createManualClock(), tokens });
    const answer = await client.request({ method: "GET", path: "/me" });
    expect([answer.status, answer.attempts]).toEqual([401, 2]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("Graph client timeouts", () => {
  it("gives up at once, sending nothing, when the caller has already cancelled", async () => {
    server = await serve(() => ({ status: 200 }));
    const { client } = clientFor(server, { clock: createManualClock() });
    await expect(client.request({ method: "GET", path: "/me" }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "STEP_TIMEOUT",
      message: "[GET] /me: cancelled before Microsoft Graph answered",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("times out each attempt, retries an idempotent GET, then reports STEP_TIMEOUT", async () => {
    server = await serve(() => ({ hang: true }));
    // Long enough for each attempt to reach the server on a loaded machine before it is abandoned.
    const { client, events } = clientFor(server, { clock: createManualClock(), timeoutMs: 250, retry: { maxAttempts: 2 } });
    const error = await client.request({ method: "GET", path: "/users/adele%40contoso.com", query: { $select: "id" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntentError);
    expect((error as IntentError).code).toBe("STEP_TIMEOUT");
    expect((error as IntentError).message).toBe("[GET] /users/adele%40contoso.com: timed out after 250 ms after 2 attempts");
    expect(server.requests).toHaveLength(2);
    expect(events.find((e) => e.name === "graph.request")?.fields).toMatchObject({ error: "STEP_TIMEOUT" });
  });

  it("does not resend a timed-out non-idempotent POST", async () => {
    server = await serve(() => ({ hang: true }));
    const { client } = clientFor(server, { clock: createManualClock(), timeoutMs: 50 });
    // Long enough that a loaded machine's server has read the request before the client gives up
    // (at 30 ms it sometimes had not, and the one request was never seen).
    await expect(client.request({ method: "POST", path: "/users", body: {} }, { timeoutMs: 300 })).rejects.toThrow(
      "[POST] /users: timed out after 300 ms",
    );
    expect(server.requests).toHaveLength(1);
  });
});
