import { describe, expect, it } from "vitest";
import type { GraphRequest } from "../../../engine/clients/graph/types";
import { createManualClock } from "../../support/manual-clock";
import { clientFor, serve } from "./helpers";
import { throttled, type ArrivedRequest, type Reply, type ScriptedServer } from "./scripted-server";

interface WireItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

let server: ScriptedServer | undefined;

function itemsOf(request: ArrivedRequest): WireItem[] {
  return (request.body as { requests: WireItem[] }).requests;
}

/** A /$batch endpoint that answers each item with `answer` and lists responses in reverse order. */
function batchEndpoint(answer: (item: WireItem, round: number) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const rounds = new Map<string, number>();
  return (request: ArrivedRequest): Reply => {
    const responses = itemsOf(request).map((item) => {
      const round = (rounds.get(item.url) ?? 0) + 1;
      rounds.set(item.url, round);
      return { id: item.id, ...answer(item, round) };
    });
    return { status: 200, body: { responses: responses.reverse() } };
  };
}

const removals = (count: number): GraphRequest[] =>
  Array.from({ length: count }, (_, i) => ({ method: "DELETE" as const, path: `/groups/g${i + 1}/members/u1/$ref` }));

describe("batch", () => {
  it("sends 30 requests in 2 round trips of at most 20, and answers in input order", async () => {
    server = await serve(batchEndpoint((item) => ({ status: 204, headers: { "Request-Id": `r-${item.url}` } })));
    const { client } = clientFor(server, { clock: createManualClock() });
    const requests = removals(30);
    const answers = await client.batch(requests);

    expect(server.requests.map((r) => [r.method, r.path])).toEqual([["POST", "/v1.0/$batch"], ["POST", "/v1.0/$batch"]]);
    const sent = server.requests.flatMap(itemsOf);
    expect(server.requests.map((r) => itemsOf(r).length).sort()).toEqual([10, 20]);
    expect(new Set(sent.map((item) => item.id)).size).toBe(30);
    expect(sent.map((item) => item.url).sort()).toEqual(requests.map((r) => r.path).sort());
    expect(answers.map((a) => a.requestId)).toEqual(requests.map((r) => `r-${r.path}`));
    expect(answers.every((a) => a.status === 204 && a.attempts === 1 && a.body === null)).toBe(true);
  });

  it("writes relative urls with the query and a Content-Type beside every body", async () => {
    server = await serve(batchEndpoint(() => ({ status: 200, body: { ok: true } })));
    const { client } = clientFor(server);
    await client.batch([
      { method: "GET", path: "/users/adele%40contoso.com", query: { $select: "id,accountEnabled" } },
      { method: "PATCH", path: "/users/u1", body: { accountEnabled: false } },
    ]);
    expect(itemsOf(server.requests[0]!)).toEqual([
      { id: "1", method: "GET", url: "/users/adele%40contoso.com?$select=id%2CaccountEnabled" },
      { id: "2", method: "PATCH", url: "/users/u1", headers: { "Content-Type": "application/json" }, body: { accountEnabled: false } },
    ]);
  });

  it("resubmits only the throttled items, after the largest Retry-After among them", async () => {
    const clock = createManualClock();
    const retryAfter: Record<string, string> = { "/groups/g2/members/u1/$ref": "2", "/groups/g4/members/u1/$ref": "7" };
    server = await serve(
      batchEndpoint((item, round) => {
        const wait = retryAfter[item.url];
        return round === 1 && wait !== undefined ? { status: 429, headers: { "Retry-After": wait }, body: { error: { code: "TooManyRequests" } } } : { status: 204 };
      }),
      clock,
    );
    const { client, events } = clientFor(server, { clock });
    const answers = await client.batch(removals(5));

    expect(server.requests).toHaveLength(2);
    expect(itemsOf(server.requests[1]!).map((item) => item.url).sort()).toEqual(Object.keys(retryAfter).sort());
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(7_000);
    expect(clock.sleeps).toEqual([7_000]);
    expect(answers.map((a) => [a.status, a.attempts])).toEqual([[204, 1], [204, 2], [204, 1], [204, 2], [204, 1]]);
    expect(events.find((e) => e.name === "graph.batch")?.fields).toMatchObject({ items: 5, roundTrips: 2, resubmitted: 2 });
  });

  it("returns an item's last 429 when its attempts run out", async () => {
    const clock = createManualClock();
    server = await serve(batchEndpoint((item) => (item.url.includes("g1/") ? { status: 429, headers: { "retry-after": "1" } } : { status: 204 })), clock);
    const { client } = clientFor(server, { clock, retry: { maxAttempts: 3 } });
    const answers = await client.batch(removals(2));
    expect(answers.map((a) => [a.status, a.attempts])).toEqual([[429, 3], [204, 1]]);
    expect(server.requests).toHaveLength(3);
  });

  it("resubmits an item's 504 only when the item is idempotent", async () => {
    const clock = createManualClock();
    server = await serve(batchEndpoint((_, round) => (round === 1 ? { status: 504 } : { status: 200, body: {} })), clock);
    const { client } = clientFor(server, { clock });
    const answers = await client.batch([
      { method: "GET", path: "/users/u1" },
      { method: "POST", path: "/users/u1/revokeSignInSessions", body: {} },
    ]);
    expect(answers.map((a) => [a.status, a.attempts])).toEqual([[200, 2], [504, 1]]);
    expect(itemsOf(server.requests[1]!).map((item) => item.url)).toEqual(["/users/u1"]);
  });

  it("retries a throttled /$batch itself by the same policy", async () => {
    const clock = createManualClock();
    const endpoint = batchEndpoint(() => ({ status: 204 }));
    server = await serve((request, index) => (index === 0 ? throttled("4") : endpoint(request)), clock);
    const { client } = clientFor(server, { clock });
    const answers = await client.batch([{ method: "POST", path: "/users/u1/revokeSignInSessions", body: {} }]);
    expect(answers.map((a) => a.status)).toEqual([204]);
    expect(clock.sleeps).toEqual([4_000]);
  });

  it("does not resend a batch holding a non-idempotent write after a connection reset", async () => {
    server = await serve(() => ({ reset: true }));
    const { client } = clientFor(server, { clock: createManualClock() });
    await expect(client.batch([{ method: "POST", path: "/groups/g1/members/$ref", body: { "@odata.id": "x" } }])).rejects.toMatchObject({
      code: "GRAPH_UNREACHABLE",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("sends dependsOn as the ids of earlier items, and leaves a 424 (its dependency failed) to the caller", async () => {
    const clock = createManualClock();
    server = await serve(
      batchEndpoint((item, round) => (item.method === "PATCH" ? (round === 1 ? { status: 429, headers: { "Retry-After": "2" } } : { status: 204 }) : { status: 424, body: { error: { code: "FailedDependency" } } })),
      clock,
    );
    const { client } = clientFor(server, { clock });
    const answers = await client.batch([
      { method: "PATCH", path: "/users/u1", body: { accountEnabled: false } },
      { method: "POST", path: "/users/u2/sendMail", body: {}, idempotent: true, dependsOn: [0] },
    ]);
    expect(itemsOf(server.requests[0]!).map((item) => [item.id, item.dependsOn])).toEqual([["1", undefined], ["2", ["1"]]]);
    // The write alone is resubmitted after its Retry-After; the mail Graph did not run is not.
    expect(server.requests.map((request) => itemsOf(request).map((item) => item.method))).toEqual([["PATCH", "POST"], ["PATCH"]]);
    expect(answers.map((a) => [a.status, a.attempts])).toEqual([[204, 2], [424, 1]]);
  });

  it("resubmits a throttled item that depended on one that succeeded, without the dependency", async () => {
    const clock = createManualClock();
    server = await serve(batchEndpoint((item, round) => (item.method === "POST" && round === 1 ? { status: 503, headers: { "Retry-After": "3" } } : { status: item.method === "POST" ? 202 : 204 })), clock);
    const { client } = clientFor(server, { clock });
    const answers = await client.batch([
      { method: "PATCH", path: "/users/u1", body: { accountEnabled: false } },
      { method: "POST", path: "/users/u2/sendMail", body: {}, idempotent: true, dependsOn: [0] },
    ]);
    expect(itemsOf(server.requests[1]!)).toEqual([{ id: "2", method: "POST", url: "/users/u2/sendMail", headers: { "Content-Type": "application/json" }, body: {} }]);
    expect(answers.map((a) => [a.status, a.attempts])).toEqual([[204, 1], [202, 2]]);
    expect(clock.sleeps).toEqual([3_000]);
  });

  it("refuses a dependency Graph could not resolve: a later item, or one in another round trip of 20", async () => {
    server = await serve(batchEndpoint(() => ({ status: 204 })));
    const { client } = clientFor(server, { clock: createManualClock() });
    await expect(client.batch([{ method: "DELETE", path: "/users/u1", dependsOn: [1] }, { method: "DELETE", path: "/users/u2" }])).rejects.toMatchObject({ code: "INTERNAL" });
    const across = removals(21).map((request, i) => (i === 20 ? { ...request, dependsOn: [19] } : request));
    await expect(client.batch(across)).rejects.toMatchObject({ code: "INTERNAL" });
    expect(server.requests).toHaveLength(0);
  });

  it("counts the sends of an item whose /$batch was sent again after its answer was lost", async () => {
    const clock = createManualClock();
    const endpoint = batchEndpoint(() => ({ status: 204 }));
    server = await serve((request, index) => (index === 0 ? { status: 504 } : endpoint(request)), clock);
    const { client } = clientFor(server, { clock });
    const answers = await client.batch([{ method: "PATCH", path: "/users/u1", body: { accountEnabled: false } }]);
    expect(answers.map((a) => [a.status, a.attempts, a.afterLostAnswer])).toEqual([[204, 2, true]]);
  });
});
