import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createGraphClient } from "../../../engine/clients/graph/client";
import type { GraphClient } from "../../../engine/clients/graph/types";
import { DEMO_FIXTURE_PATH, startSandbox, type FaultRuleInput, type Sandbox, type TenantFixture } from "../../../sandbox/index";
import { createManualClock, type ManualClock } from "../../support/manual-clock";

const ADELE = "adele.vance@contoso.com";
const GROUPS = 30;

let sandbox: Sandbox | undefined;
let client: (GraphClient & { close(): Promise<void> }) | undefined;
afterEach(async () => {
  await client?.close();
  await sandbox?.close();
  client = sandbox = undefined;
});

/** The demo tenant plus 30 security groups Adele belongs to. */
function fixtureWithGroups(): TenantFixture {
  const fixture = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, "utf8")) as TenantFixture;
  const adele = fixture.users.find((user) => user.userPrincipalName === ADELE)!;
  for (let i = 1; i <= GROUPS; i++) {
    const template = fixture.groups.find((group) => group.displayName === "IT Department")!;
    fixture.groups.push({ ...template, id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, displayName: `Project ${i}`, mailNickname: `project-${i}`, members: [adele.id] });
  }
  return fixture;
}

async function start(clock: ManualClock, ...faults: FaultRuleInput[]): Promise<{ sandbox: Sandbox; client: GraphClient }> {
  sandbox = await startSandbox({ fixture: fixtureWithGroups(), now: clock.now });
  for (const rule of faults) {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
    expect(answer.status).toBeLessThan(300);
  }
  client = createGraphClient({ baseUrl: sandbox.graphBaseUrl, tokens: { getToken: () => Promise.resolve("sandbox-token") }, clock });
  return { sandbox, client };
}

const adeleId = (tenant: Sandbox["tenant"]): string => tenant.users.find((user) => user.userPrincipalName === ADELE)!.id;

describe("Graph client against the sandbox tenant", () => {
  it("rides out a 429 storm with no request inside a Retry-After window", async () => {
    const clock = createManualClock(Date.parse("2026-11-23T06:00:00Z"));
    const { sandbox, client } = await start(clock, { kind: "throttle", method: "GET", path: "/v1.0/users/*", retryAfter: 2, times: 3 });
    const answer = await client.request({ method: "GET", path: `/users/${encodeURIComponent(ADELE)}`, query: { $select: "id,userPrincipalName" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ userPrincipalName: ADELE });
    expect(answer.attempts).toBe(4);
    const arrivals = sandbox.requests().filter((entry) => entry.path.startsWith("/v1.0/users/")).map((entry) => Date.parse(entry.time));
    expect(arrivals).toHaveLength(4);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(2_000);
  });

  it("removes a user from 30 groups in 2 batches, resubmitting the throttled items", async () => {
    const clock = createManualClock(Date.parse("2026-11-23T06:00:00Z"));
    const { sandbox, client } = await start(clock, { kind: "throttle", method: "DELETE", path: "/v1.0/groups/*", retryAfter: 3, times: 4 });
    const user = adeleId(sandbox.tenant);
    const groups = sandbox.tenant.groups.filter((group) => group.displayName.startsWith("Project "));
    const answers = await client.batch(groups.map((group) => ({ method: "DELETE" as const, path: `/groups/${group.id}/members/${user}/$ref` })));

    expect(answers.map((answer) => answer.status)).toEqual(groups.map(() => 204));
    expect(answers.filter((answer) => answer.attempts === 2)).toHaveLength(4);
    const batches = sandbox.requests().filter((entry) => entry.path === "/v1.0/$batch");
    // 2 round trips for 30 requests, plus one resubmission per chunk that had throttled items.
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(clock.sleeps.every((ms) => ms === 3_000)).toBe(true);
    expect(sandbox.tenant.groups.filter((group) => group.members.includes(user) && group.displayName.startsWith("Project "))).toEqual([]);
  });

  it("does not replay a member add after a connection reset unless the step says it is idempotent", async () => {
    const clock = createManualClock();
    const { sandbox, client } = await start(clock, { kind: "reset", method: "POST", path: "/v1.0/groups/*/members/$ref", times: 2 });
    const user = adeleId(sandbox.tenant);
    // A Project group without Adele: an ordinary security group she can be added to.
    const group = sandbox.tenant.groups.find((candidate) => candidate.displayName === "Project 1")!;
    group.members = [];
    const add = { method: "POST" as const, path: `/groups/${group.id}/members/$ref`, body: { "@odata.id": `${sandbox.graphBaseUrl}/directoryObjects/${user}` } };

    await expect(client.request(add)).rejects.toMatchObject({ code: "GRAPH_UNREACHABLE" });
    expect(sandbox.requests().filter((entry) => entry.path.endsWith("/members/$ref"))).toHaveLength(1);

    const answer = await client.request({ ...add, idempotent: true });
    expect([answer.status, answer.attempts]).toEqual([204, 2]);
    expect(group.members).toContain(user);
  });

  it("retries a PATCH through 503s and reports Graph's own error for a refused change", async () => {
    const clock = createManualClock();
    const { sandbox, client } = await start(clock, { kind: "unavailable", method: "PATCH", path: "/v1.0/users/*", times: 2 });
    const answer = await client.request({ method: "PATCH", path: `/users/${encodeURIComponent(ADELE)}`, body: { accountEnabled: false } });
    expect([answer.status, answer.attempts]).toEqual([204, 3]);
    expect(sandbox.tenant.users.find((user) => user.userPrincipalName === ADELE)?.accountEnabled).toBe(false);

    const missing = await client.request({ method: "GET", path: "/users/ghost%40contoso.com" });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect(missing.requestId).toEqual(expect.any(String));
  });
});
