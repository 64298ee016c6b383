import { describe, expect, it } from "vitest";
import { graphResponseError } from "../../../engine/clients/graph/errors";
import { graphClientFromSettings } from "../../../engine/clients/graph/index";
import { IntentError } from "../../../engine/core/errors";
import { createManualClock } from "../../support/manual-clock";
import { clientFor, closeAfterTest, serve, TEST_TOKEN } from "./helpers";
import { startScriptedServer, throttled, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer | undefined;

const denied = {
  status: 403,
  headers: { "Request-Id": "7f1c-req" },
  body: {
    error: {
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
      innerError: { date: "2026-11-23T06:00:00", "request-id": "7f1c-req", "client-request-id": "7f1c-req" },
    },
  },
};

describe("Graph client answers", () => {
  it("sends the token, JSON and encoded query to the base URL's path, and returns any status as a response", async () => {
    server = await serve(() => denied);
    const { client } = clientFor(server);
    const answer = await client.request({
      method: "PATCH",
      path: "/users/adele%40contoso.com",
      query: { $select: "id,displayName", $filter: "displayName eq 'O''Neil & Co'" },
      body: { accountEnabled: false },
      headers: { "ConsistencyLevel": "eventual" },
    });
    const arrived = server.requests[0]!;
    expect(arrived.path).toBe("/v1.0/users/adele%40contoso.com");
    expect(arrived.rawUrl).toContain("?$select=id%2CdisplayName&$filter=");
    expect(arrived.query).toEqual({ $select: "id,displayName", $filter: "displayName eq 'O''Neil & Co'" });
    expect(arrived.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(arrived.headers["content-type"]).toBe("application/json");
    expect(arrived.headers.consistencylevel).toBe("eventual");
    expect(arrived.body).toEqual({ accountEnabled: false });
    expect(answer).toMatchObject({ status: 403, attempts: 1, requestId: "7f1c-req", headers: { "request-id": "7f1c-req" } });
    expect(answer.body).toEqual(denied.body);
  });

  it("keeps non-JSON text and gives null for an empty body", async () => {
    server = await serve((_, index) => (index === 0 ? { status: 200, text: "plain words" } : { status: 204 }));
    const { client } = clientFor(server);
    expect((await client.request({ method: "GET", path: "/a" })).body).toBe("plain words");
    expect((await client.request({ method: "DELETE", path: "/b" })).body).toBeNull();
  });

  it("turns an error answer into an IntentError with status, Graph code, message and request-id", async () => {
    server = await serve(() => denied);
    const { client } = clientFor(server);
    const request = { method: "PATCH" as const, path: "/users/adele%40contoso.com", body: {} };
    const error = graphResponseError(request, await client.request(request));
    expect(error.code).toBe("GRAPH_ERROR");
    expect(error.message).toBe(
      "[PATCH] /users/adele%40contoso.com: 403 Authorization_RequestDenied Insufficient privileges to complete the operation. (request-id 7f1c-req)",
    );
    expect(error.details).toMatchObject({ status: 403, graphCode: "Authorization_RequestDenied", requestId: "7f1c-req" });
    expect(error.fix).toMatch(/permission/);
  });

  it("reports a throttled answer as GRAPH_THROTTLED and retryable", () => {
    const reply = throttled("5") as { status: number; body: unknown };
    const error = graphResponseError({ method: "GET", path: "/users" }, { status: 429, headers: {}, body: reply.body, attempts: 5 });
    expect(error.code).toBe("GRAPH_THROTTLED");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("[GET] /users: 429 TooManyRequests Please retry again later. (request-id req-429)");
  });

  it("emits graph.request with method, path, status, attempts and duration, never the token, query values or body", async () => {
    const clock = createManualClock();
    server = await serve((_, index) => (index === 0 ? throttled("3") : { status: 200, body: { secretish: "x" } }), clock);
    const { client, events } = clientFor(server, { clock });
    await client.request({ method: "GET", path: "/users", query: { $filter: "mail eq 'jane@contoso.com'" } });
    const done = events.filter((e) => e.name === "graph.request");
    expect(done).toHaveLength(1);
    expect(done[0]!.fields).toEqual({ method: "GET", path: "/users", status: 200, attempts: 2, durationMs: 3_000 });
    expect(events.map((e) => e.name)).toEqual(["graph.retry", "graph.request"]);
    const serialized = JSON.stringify(events);
    for (const leak of [TEST_TOKEN, "jane@contoso.com", "secretish", "Bearer"]) expect(serialized).not.toContain(leak);
  });

  it("refuses a header value with a line break before sending anything", async () => {
    server = await serve(() => ({ status: 200 }));
    const { client } = clientFor(server);
    await expect(client.request({ method: "GET", path: "/me", headers: { "x-a": "1\r\nx-b: 2" } })).rejects.toMatchObject({ code: "STEP_INPUT_INVALID" });
    expect(server.requests).toHaveLength(0);
  });

  it("builds from settings: GRAPH_BASE_URL and a static GRAPH_ACCESS_TOKEN", async () => {
    server = await serve(() => ({ status: 200, body: {} }));
    const client = closeAfterTest(graphClientFromSettings({ GRAPH_BASE_URL: `${server.origin}/v1.0`, GRAPH_ACCESS_TOKEN: "static-sandbox-token" }));
    await client.request({ method: "GET", path: "/me" });
    expect(server.requests[0]).toMatchObject({ path: "/v1.0/me", headers: { authorization: "Bearer static-sandbox-token" } });
  });

  it("reuses kept-alive connections across sequential requests", async () => {
    server = await serve(() => ({ status: 200, body: {} }));
    const { client } = clientFor(server);
    for (let i = 0; i < 10; i++) await client.request({ method: "GET", path: `/users/u${i}` });
    // undici may open a second socket while the first is being released; never one per request.
    expect(new Set(server.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it("fails with GRAPH_AUTH, sending nothing, when no token can be had", async () => {
    server = await serve(() => ({ status: 200 }));
    const tokens = { getToken: () => Promise.reject(new IntentError("GRAPH_AUTH", "No access token for Microsoft Graph from the managed identity credential")) };
    const { client, events } = clientFor(server, { tokens });
    await expect(client.request({ method: "GET", path: "/me" })).rejects.toMatchObject({ code: "GRAPH_AUTH" });
    expect(server.requests).toHaveLength(0);
    expect(events.map((e) => [e.name, e.fields.error])).toEqual([["graph.request", "GRAPH_AUTH"]]);
  });

  it("works against any base path, as a national cloud's URL has", async () => {
    server = await serve(() => ({ status: 200, body: { value: [] } }));
    const { client } = clientFor(server, { baseUrl: `${server.origin}/gov/v1.0/` });
    await client.request({ method: "GET", path: "/organization" });
    expect(server.requests[0]!.path).toBe("/gov/v1.0/organization");
  });

  it("says GRAPH_UNREACHABLE with no token in the message when nothing listens", async () => {
    const stopped = await startScriptedServer(() => ({ status: 200 }));
    const origin = stopped.origin;
    await stopped.close();
    const { client } = clientFor({ origin, requests: [], close: async () => undefined }, { clock: createManualClock(), retry: { maxAttempts: 2 } });
    const error = await client.request({ method: "POST", path: "/users", body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntentError);
    // A refused connection proves nothing was sent, so even a POST was tried again.
    expect((error as IntentError).message).toBe("[POST] /users: Microsoft Graph could not be reached (ECONNREFUSED) after 2 attempts");
    expect((error as IntentError).code).toBe("GRAPH_UNREACHABLE");
  });
});
