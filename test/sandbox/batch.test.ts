import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox";
import { control, DEMO, graph, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });
beforeEach(async () => { await control(sandbox, "DELETE", "/faults"); });

const byId = (responses: { id: string }[]) => Object.fromEntries(responses.map((r) => [r.id, r])) as unknown as Record<string, { status: number; headers: Record<string, string>; body?: any }>;

describe("sandbox $batch", () => {
  it("runs items, sequences dependsOn, and logs each item with its batch", async () => {
    const answer = await graph(sandbox, "POST", "/$batch", {
      requests: [
        { id: "1", method: "GET", url: `/users/${DEMO.grace}?$select=id,accountEnabled` },
        { id: "2", method: "PATCH", url: `/users/${DEMO.grace}`, headers: { "Content-Type": "application/json" }, body: { jobTitle: "CMO" }, dependsOn: ["1"] },
        { id: "3", method: "POST", url: `/users/${DEMO.grace}/revokeSignInSessions`, headers: { "Content-Type": "application/json" }, body: {}, dependsOn: ["2"] },
      ],
    });
    expect(answer.status).toBe(200);
    const items = byId(answer.body.responses);
    expect(items["1"]).toMatchObject({ status: 200, body: { id: DEMO.grace, accountEnabled: true } });
    expect(items["2"]?.status).toBe(204);
    expect(items["3"]).toMatchObject({ status: 200, body: { value: true } });
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.grace)?.jobTitle).toBe("CMO");
    const log = sandbox.requests();
    const outer = log.find((r) => r.path === "/v1.0/$batch")!;
    expect(log.filter((r) => r.batch?.sequence === outer.sequence).map((r) => r.batch?.itemId).sort()).toEqual(["1", "2", "3"]);
  });

  it("answers 424 to items whose dependency failed", async () => {
    const answer = await graph(sandbox, "POST", "/$batch", {
      requests: [
        { id: "a", method: "GET", url: "/users/ghost@contoso.com" },
        { id: "b", method: "PATCH", url: `/users/${DEMO.grace}`, headers: { "content-type": "application/json" }, body: { jobTitle: "Never" }, dependsOn: ["a"] },
      ],
    });
    const items = byId(answer.body.responses);
    expect(items.a?.status).toBe(404);
    expect(items.b?.status).toBe(424);
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.grace)?.jobTitle).not.toBe("Never");
  });

  it("refuses more than 20 items, duplicate ids (ignoring case) and a body without Content-Type", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/domains" }));
    expect((await graph(sandbox, "POST", "/$batch", { requests: many })).status).toBe(400);
    const duplicate = await graph(sandbox, "POST", "/$batch", { requests: [{ id: "x", method: "GET", url: "/domains" }, { id: "X", method: "GET", url: "/domains" }] });
    expect(duplicate.status).toBe(400);
    const noType = await graph(sandbox, "POST", "/$batch", { requests: [{ id: "1", method: "PATCH", url: `/users/${DEMO.grace}`, body: { jobTitle: "x" } }] });
    expect(noType.status).toBe(400);
    expect(noType.body.error.innerError["request-id"]).toEqual(expect.any(String));
  });

  it("throttles a single item with its own Retry-After when a fault rule matches it", async () => {
    await control(sandbox, "POST", "/faults", { kind: "throttle", method: "GET", path: `/v1.0/users/${DEMO.ben}`, retryAfter: 7, times: 1 });
    const answer = await graph(sandbox, "POST", "/$batch", {
      requests: [{ id: "1", method: "GET", url: `/users/${DEMO.ben}` }, { id: "2", method: "GET", url: `/users/${DEMO.adele}` }],
    });
    const items = byId(answer.body.responses);
    expect(answer.status).toBe(200);
    expect(items["1"]?.status).toBe(429);
    expect(items["1"]?.headers["retry-after"]).toBe("7");
    expect(items["1"]?.body.error).toMatchObject({ code: "TooManyRequests", message: "Please retry again later.", innerError: { code: "429", status: "429", message: "Please retry after" } });
    expect(items["2"]?.status).toBe(200);
  });

  it("adds a latency rule once per batch round trip, not once per item", async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ kind: "latency", latencyMs: 50 }) });
    const started = performance.now();
    const answer = await graph(sandbox, "POST", "/$batch", { requests: Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: "GET", url: "/domains", dependsOn: i ? [String(i - 1)] : [] })) });
    const elapsed = performance.now() - started;
    expect(answer.body.responses.every((r: { status: number }) => r.status === 200)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(250); // five sequenced items each delayed would take 300 ms
  });

  it("applies permissions per item", async () => {
    const withheld = structuredClone(sandbox.tenant);
    const restricted = await startTestSandbox({ ...withheld, permissions: ["User.Read.All"] });
    try {
      const answer = await graph(restricted, "POST", "/$batch", {
        requests: [
          { id: "read", method: "GET", url: `/users/${DEMO.ben}` },
          { id: "write", method: "PATCH", url: `/users/${DEMO.ben}`, headers: { "content-type": "application/json" }, body: { jobTitle: "x" } },
        ],
      });
      const items = byId(answer.body.responses);
      expect(items.read?.status).toBe(200);
      expect(items.write?.status).toBe(403);
      expect(items.write?.body.error.code).toBe("Authorization_RequestDenied");
    } finally {
      await restricted.close();
    }
  });
});
