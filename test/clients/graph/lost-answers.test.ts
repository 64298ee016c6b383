/**
 * What the client tells of an answer after a lost one, how many requests it lets in flight, and how
 * a caller with a start-by time gives up waiting for a slot without sending anything.
 */
import { describe, expect, it } from "vitest";
import { IntentError } from "../../../engine/core/errors";
import { classifyGraph, responseView } from "../../../engine/kinds/graph/input";
import { createManualClock } from "../../support/manual-clock";
import { clientFor, serve } from "./helpers";

describe("answers after a lost one", () => {
  it("marks a DELETE's 404 after a 504 as the lost attempt's work, which the graph kinds count as ok", async () => {
    const server = await serve((_, index) => (index === 0 ? { status: 504, body: { error: { code: "GatewayTimeout", message: "late" } } } : { status: 404, body: { error: { code: "Request_ResourceNotFound", message: "gone" } } }));
    const { client } = clientFor(server, { clock: createManualClock(), random: () => 0 });
    const response = await client.request({ method: "DELETE", path: "/users/u/authentication/phoneMethods/m" });
    expect(response).toMatchObject({ status: 404, attempts: 2, afterLostAnswer: true });
    expect(classifyGraph(responseView(response, "DELETE"))).toEqual({ success: true, status: 404, outcome: "ok" });
    // A first-time 404 is not found, and a 404 on anything but a DELETE says nothing of a lost attempt.
    expect(classifyGraph(responseView({ ...response, afterLostAnswer: false }, "DELETE")).success).toBe(false);
    expect(classifyGraph(responseView(response, "GET")).success).toBe(false);
  });

  it("marks an answer after a dropped connection, and not one after a 503 (which Graph never acted on)", async () => {
    const server = await serve((_, index) => (index === 0 ? { reset: true } : index === 1 ? { status: 503 } : { status: 204 }));
    const { client } = clientFor(server, { clock: createManualClock(), random: () => 0 });
    expect(await client.request({ method: "PATCH", path: "/users/u", body: { jobTitle: "x" } })).toMatchObject({ status: 204, attempts: 3, afterLostAnswer: true });
    const second = await serve((_, index) => (index === 0 ? { status: 503 } : { status: 204 }));
    const { client: other } = clientFor(second, { clock: createManualClock(), random: () => 0 });
    expect((await other.request({ method: "PATCH", path: "/users/u", body: { jobTitle: "x" } })).afterLostAnswer).toBeUndefined();
  });

  it("classifies 500, 502 and 504 as outcome unknown, and those and 429/503 as transient", () => {
    const of = (status: number) => classifyGraph({ status, headers: {}, body: null });
    expect([500, 502, 504].map((s) => of(s).outcomeUnknown)).toEqual([true, true, true]);
    expect([429, 503, 400].map((s) => of(s).outcomeUnknown ?? false)).toEqual([false, false, false]);
    expect([429, 500, 502, 503, 504, 400].map((s) => of(s).transient ?? false)).toEqual([true, true, true, true, true, false]);
  });

  it("says a write that got no answer may have happened, and one never sent did not", async () => {
    const server = await serve(() => ({ reset: true }));
    const { client } = clientFor(server, { clock: createManualClock(), random: () => 0, retry: { maxAttempts: 1 } });
    const error = await client.request({ method: "POST", path: "/users", body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "GRAPH_UNREACHABLE", outcomeUnknown: true });
    const { client: nowhere } = clientFor({ origin: "http://127.0.0.1:1", requests: [], close: async () => undefined }, { clock: createManualClock(), retry: { maxAttempts: 1 } });
    expect(await nowhere.request({ method: "POST", path: "/users", body: {} }).catch((e: unknown) => e)).toMatchObject({ code: "GRAPH_UNREACHABLE", outcomeUnknown: false });
  });
});

describe("requests in flight (GRAPH_CONCURRENCY)", () => {
  it("never has more than its limit in flight, and a caller that must start by a time sends nothing when no slot frees up", async () => {
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Released only once both slots' requests are at the server: on a loaded machine the second may
    // arrive well after the deferred caller gave up.
    let bothArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (bothArrived = resolve));
    const server = await serve(async () => {
      most = Math.max(most, ++inFlight);
      if (inFlight === 2) bothArrived();
      await held;
      inFlight--;
      return { status: 200, body: {} };
    });
    const clock = createManualClock(1_000);
    const { client } = clientFor(server, { clock, connections: 2 });
    const busy = [client.request({ method: "GET", path: "/a" }), client.request({ method: "GET", path: "/b" })];
    const queued = client.request({ method: "GET", path: "/c" });
    const deferred = await client.request({ method: "POST", path: "/users", body: {} }, { startBy: clock.now() + 50 }).catch((e: unknown) => e);
    expect(deferred).toBeInstanceOf(IntentError);
    expect(deferred).toMatchObject({ code: "BUDGET_DEFERRED", retryable: true });
    await arrived;
    release();
    await Promise.all([...busy, queued]);
    expect(most).toBe(2);
    const paths = server.requests.map((r) => r.path);
    // a and b race each other to the server; c waits for a slot, and the deferred POST never goes.
    expect([...paths.slice(0, 2)].sort().concat(paths.slice(2))).toEqual(["/v1.0/a", "/v1.0/b", "/v1.0/c"]);
  });
});
