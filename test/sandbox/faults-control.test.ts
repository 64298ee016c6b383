import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox";
import { control, DEMO, graph, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });
beforeEach(async () => {
  await control(sandbox, "DELETE", "/faults");
  await control(sandbox, "DELETE", "/requests");
});

describe("sandbox fault rules", () => {
  it("throttles N times with Retry-After and throttle headers, then lets requests through", async () => {
    const rule = await control(sandbox, "POST", "/faults", { kind: "throttle", path: "/v1.0/users/*", retryAfter: 3, times: 2 });
    expect(rule.status).toBe(201);
    const first = await graph(sandbox, "GET", `/users/${DEMO.adele}`);
    const second = await graph(sandbox, "GET", `/users/${DEMO.adele}`);
    const third = await graph(sandbox, "GET", `/users/${DEMO.adele}`);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(first.headers.get("x-ms-throttle-scope")).toContain("Tenant_Application");
    expect(first.body.error.innerError).toMatchObject({ code: "429", status: "429", date: "2026-01-02T03:04:05" });
    const other = await graph(sandbox, "GET", "/domains");
    expect(other.status).toBe(200);
    expect(third.headers.get("x-ms-resource-unit")).toBe("1");
    expect((await graph(sandbox, "GET", "/subscribedSkus")).headers.get("x-ms-resource-unit")).toBe("3");
  });

  it("answers 503 and 504 by method, and spreads a rate evenly", async () => {
    await control(sandbox, "POST", "/faults", { rules: [{ kind: "unavailable", method: "POST", path: "*", retryAfter: 1 }, { kind: "timeout", method: "DELETE", path: "*", rate: 0.5 }] });
    const post = await graph(sandbox, "POST", `/users/${DEMO.adele}/revokeSignInSessions`);
    expect(post.status).toBe(503);
    expect(post.body.error.code).toBe("serviceNotAvailable");
    expect(post.headers.get("retry-after")).toBe("1");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await graph(sandbox, "DELETE", `/users/${DEMO.conor}/manager/$ref`)).status);
    expect(statuses.filter((s) => s === 504)).toHaveLength(2);
    expect(statuses[0]).not.toBe(statuses[1]);
  });

  it("adds latency to every request matching a catch-all rule", async () => {
    await control(sandbox, "POST", "/faults", { kind: "latency", latencyMs: 60 });
    const started = performance.now();
    const answer = await graph(sandbox, "GET", "/domains");
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("resets the connection when a reset rule fires", async () => {
    await control(sandbox, "POST", "/faults", { kind: "reset", path: "/v1.0/domains", times: 1 });
    await expect(graph(sandbox, "GET", "/domains")).rejects.toThrow();
    expect((await graph(sandbox, "GET", "/domains")).status).toBe(200);
  });

  it("refuses an invalid rule with a clear message, lists and deletes rules one by one", async () => {
    const bad = await control(sandbox, "POST", "/faults", { kind: "explode" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("kind must be one of");
    const added = await control(sandbox, "POST", "/faults", { kind: "throttle", path: "/v1.0/nothing" });
    expect((await control(sandbox, "GET", "/faults")).body.value).toHaveLength(1);
    expect((await control(sandbox, "DELETE", `/faults/${added.body.id}`)).status).toBe(204);
    expect((await control(sandbox, "GET", "/faults")).body.value).toHaveLength(0);
  });
});

describe("faults after the call was carried out (afterApply)", () => {
  const newUser = (name: string) => ({
    accountEnabled: true, displayName: name, mailNickname: name, userPrincipalName: `${name}@contoso.com`, passwordProfile: { password: "xWwvJ]6NMw+bWH-d" },
  });

  it("creates the user, then answers 504: a retry meets Graph's conflict, and the log says what happened", async () => {
    await control(sandbox, "POST", "/faults", { kind: "timeout", method: "POST", path: "/v1.0/users", afterApply: true, times: 1 });
    const first = await graph(sandbox, "POST", "/users", newUser("lost.answer"));
    expect(first.status).toBe(504);
    expect(first.body.error.code).toBe("GatewayTimeout");
    expect(sandbox.tenant.users.filter((u) => u.userPrincipalName === "lost.answer@contoso.com")).toHaveLength(1);
    const again = await graph(sandbox, "POST", "/users", newUser("lost.answer"));
    expect(again.status).toBe(400);
    expect(sandbox.requests().filter((r) => r.path === "/v1.0/users").map((r) => [r.status, r.appliedStatus])).toEqual([[504, 201], [400, undefined]]);
  });

  it("carries out the call, then drops the connection", async () => {
    await control(sandbox, "POST", "/faults", { kind: "reset", method: "PATCH", afterApply: true, times: 1 });
    await expect(graph(sandbox, "PATCH", `/users/${DEMO.ben}`, { jobTitle: "Applied Then Reset" })).rejects.toThrow();
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.ben)?.jobTitle).toBe("Applied Then Reset");
    expect(sandbox.requests().at(-1)).toMatchObject({ method: "PATCH", status: 0, appliedStatus: 204 });
    await graph(sandbox, "PATCH", `/users/${DEMO.ben}`, { jobTitle: "Account Executive" });
  });

  it("carries out a $batch item, then answers it 504 while the others answer normally", async () => {
    await control(sandbox, "POST", "/faults", { kind: "timeout", method: "POST", path: "/v1.0/groups/*/members/$ref", afterApply: true });
    const add = { id: "1", method: "POST", url: `/groups/${DEMO.marketing}/members/$ref`, headers: { "content-type": "application/json" }, body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${DEMO.diego}` } };
    const batch = await graph(sandbox, "POST", "/$batch", { requests: [add, { id: "2", method: "GET", url: "/domains" }] });
    expect(batch.body.responses.map((r: { id: string; status: number }) => [r.id, r.status]).sort()).toEqual([["1", 504], ["2", 200]]);
    expect(sandbox.tenant.groups.find((g) => g.id === DEMO.marketing)?.members).toContain(DEMO.diego);
    expect(sandbox.requests().find((r) => r.batch && r.method === "POST")).toMatchObject({ status: 504, appliedStatus: 204 });
    await control(sandbox, "DELETE", "/faults");
    await graph(sandbox, "DELETE", `/groups/${DEMO.marketing}/members/${DEMO.diego}/$ref`);
  });

  it("creates an Automation job, then answers 504", async () => {
    await control(sandbox, "POST", "/faults", { kind: "timeout", method: "PUT", path: "/subscriptions/*", afterApply: true, times: 1 });
    const url = `${sandbox.url}/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa/jobs/lost-answer?api-version=2023-11-01`;
    const put = await fetch(url, { method: "PUT", headers: { authorization: "Bearer sandbox", "content-type": "application/json" }, body: JSON.stringify({ properties: { runbook: { name: "Convert-ToSharedMailbox" }, parameters: { UserPrincipalName: "adele.vance@contoso.com" } } }) });
    expect(put.status).toBe(504);
    const get = await fetch(url, { headers: { authorization: "Bearer sandbox" } });
    expect(get.status).toBe(200);
    expect(sandbox.requests().find((r) => r.method === "PUT")).toMatchObject({ status: 504, appliedStatus: 201 });
  });

  it("refuses a malformed rule id with 400", async () => {
    const malformed = await fetch(`${sandbox.url}/_sandbox/faults/%zz`, { method: "DELETE" });
    expect(malformed.status).toBe(400);
  });
});

describe("sandbox budget rule (Graph's resource-unit token bucket)", () => {
  it("spends resource units, answers 429 with the Retry-After that refills enough, and counts $batch items one by one", async () => {
    let now = Date.UTC(2026, 0, 1);
    const budgeted = await startSandbox({ now: () => now });
    try {
      await control(budgeted, "POST", "/faults", { kind: "budget", path: "/v1.0/users/*", capacity: 3, windowSeconds: 10 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await graph(budgeted, "GET", `/users/${DEMO.adele}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const throttled = await graph(budgeted, "GET", `/users/${DEMO.adele}`);
      expect(throttled.headers.get("retry-after")).toBe("4"); // 1 unit refills in 3.33 s
      expect(throttled.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
      now += 4_000;
      expect((await graph(budgeted, "GET", `/users/${DEMO.adele}`)).status).toBe(200);
      now += 10_000;
      const batch = await graph(budgeted, "POST", "/$batch", { requests: ["a", "b", "c", "d"].map((id) => ({ id, method: "GET", url: `/users/${DEMO.adele}` })) });
      expect(batch.status).toBe(200);
      expect(batch.body.responses.map((r: { status: number }) => r.status).sort()).toEqual([200, 200, 200, 429]);
    } finally {
      await budgeted.close();
    }
  });

  it("refuses a budget rule without capacity", async () => {
    const answer = await control(sandbox, "POST", "/faults", { kind: "budget", windowSeconds: 10 });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain("capacity");
  });
});

describe("sandbox control surface", () => {
  it("logs method, path, query, masked body, status and time; DELETE clears", async () => {
    await graph(sandbox, "PATCH", `/users/${DEMO.ben}?x=1`, { passwordProfile: { password: "Sup3r$ecret-value" } });
    const log = (await control(sandbox, "GET", "/requests")).body.value;
    expect(log).toEqual([expect.objectContaining({
      method: "PATCH", path: `/v1.0/users/${DEMO.ben}`, query: { x: "1" }, body: { passwordProfile: { password: "***" } }, status: 204, time: "2026-01-02T03:04:05.000Z",
    })]);
    expect(JSON.stringify(sandbox.requests())).not.toContain("Sup3r$ecret-value");
    const broken = await fetch(`${sandbox.graphBaseUrl}/users/${DEMO.ben}`, { method: "PATCH", headers: { authorization: "Bearer t" }, body: '{"passwordProfile": {"password": "Leak3d!secret"' });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(sandbox.requests())).not.toContain("Leak3d!secret");
    expect((await control(sandbox, "DELETE", "/requests")).status).toBe(204);
    expect(sandbox.requests()).toEqual([]);
  });

  it("masks mail content in the log, direct and inside $batch, while the stored mail keeps it", async () => {
    await control(sandbox, "DELETE", "/requests");
    const message = { subject: "Your access", body: { contentType: "Text", content: "Temporary password: Deliv3red!pw" }, toRecipients: [{ emailAddress: { address: "grace.taylor@contoso.com" } }] };
    expect((await graph(sandbox, "POST", `/users/${DEMO.adele}/sendMail`, { message, saveToSentItems: false })).status).toBe(202);
    const { body: _text, ...envelope } = message;
    const batched = { Message: { ...envelope, Body: { ContentType: "HTML", Content: "<b>Batch3d!pw</b>" } } };
    await graph(sandbox, "POST", "/$batch", { requests: [{ id: "1", method: "POST", url: `/users/${DEMO.adele}/sendMail`, headers: { "content-type": "application/json" }, body: batched }] });
    const logged = sandbox.requests();
    expect(logged.find((r) => r.path.endsWith("/sendMail") && !r.batch)?.body).toEqual({ message: { ...message, body: { contentType: "Text", content: "***" } }, saveToSentItems: false });
    expect(logged.find((r) => r.batch)?.body).toEqual({ Message: { ...envelope, Body: { ContentType: "HTML", Content: "***" } } });
    expect(JSON.stringify(logged)).not.toMatch(/Deliv3red|Batch3d/);
    const state = (await control(sandbox, "GET", "/state")).body as { sentMail: unknown[] };
    expect(JSON.stringify(state.sentMail)).toContain("Deliv3red!pw");
  });

  it("dumps the state and loads a fixture in place; a malformed fixture is refused and changes nothing", async () => {
    const dump = (await control(sandbox, "GET", "/state")).body;
    expect(dump.users.length).toBeGreaterThan(5);
    const small = { ...dump, users: dump.users.slice(0, 1), groups: [] };
    expect((await control(sandbox, "PUT", "/state", small)).status).toBe(204);
    expect(sandbox.tenant.users).toHaveLength(1);
    expect((await graph(sandbox, "GET", `/users/${DEMO.ben}`)).status).toBe(404);
    const bad = await control(sandbox, "PUT", "/state", { tenantId: "x", users: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "SANDBOX_FIXTURE_INVALID" });
    expect(sandbox.tenant.users).toHaveLength(1);
    expect((await control(sandbox, "PUT", "/state", dump)).status).toBe(204);
    expect(sandbox.tenant.users).toHaveLength(dump.users.length);
  });

  it("refuses a body over 4 MB with 413 in the Graph envelope", async () => {
    const answer = await graph(sandbox, "PATCH", `/users/${DEMO.ben}`, { jobTitle: "x".repeat(4 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: "RequestEntityTooLarge", innerError: { date: "2026-01-02T03:04:05" } });
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.ben)?.jobTitle).toBe("Account Executive");
  });

  it("sends /subscriptions/ paths to the ARM handler", async () => {
    const response = await fetch(`${sandbox.url}/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa/jobs/j1?api-version=2023-11-01`, { headers: { authorization: "Bearer sandbox" } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("ResourceNotFound");
    expect(sandbox.requests().at(-1)).toMatchObject({ path: expect.stringContaining("/subscriptions/0000/"), status: 404 });
  });
});

describe("sandbox permissions", () => {
  it("answers 403 Authorization_RequestDenied when the fixture withholds the permission", async () => {
    const state = structuredClone(sandbox.tenant);
    const restricted = await startTestSandbox({ ...state, permissions: ["User.Read.All", "Mail.Send"] });
    try {
      expect((await graph(restricted, "GET", `/users/${DEMO.adele}`)).status).toBe(200);
      const denied = await graph(restricted, "PATCH", `/users/${DEMO.adele}`, { accountEnabled: false });
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
      expect((await graph(restricted, "GET", "/subscribedSkus")).status).toBe(403);
    } finally {
      await restricted.close();
    }
  });
});
