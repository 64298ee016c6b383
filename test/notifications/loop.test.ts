/**
 * The whole change-notification loop: subscription created through the real handshake, the sandbox
 * notifying on state changes, clientState checks, the queue, the triggered demo intent, run keys.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientStateFor } from "../../engine/inbound/notifications/client-state";
import { reconcileSubscriptions } from "../../engine/inbound/notifications/subscriptions/manager";
import { graph } from "../sandbox/helpers";
import { SECRET, startNotifyStack, type NotifyStack } from "./support/stack";

const MARKETING = "04075811-bc0f-5730-bbd5-3fc23d798f66";
const IT = "72eba7ab-449c-5afe-9555-efd3244f4f24";
let stack: NotifyStack;

beforeAll(async () => { stack = await startNotifyStack(); });
afterAll(async () => { await stack?.close(); });

const members = (groupId: string) => stack.sandbox.tenant.groups.find((g) => g.id === groupId)?.members ?? [];
const memberWrites = () => stack.sandbox.requests().filter((r) => r.method === "POST" && r.path.endsWith("/members/$ref"));
const events = (name: string) => stack.events().filter((e) => e.event === name);

function notify(body: unknown): Promise<Response> {
  return fetch(`${stack.server.url}/api/notifications`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function createUser(nickname: string, department: string): Promise<string> {
  const answer = await graph(stack.sandbox, "POST", "/users", {
    accountEnabled: true, displayName: nickname, mailNickname: nickname, userPrincipalName: `${nickname}@contoso.com`,
    department, passwordProfile: { password: "xWwvJ]6NMw+bWH-d" },
  });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

describe("Graph change notifications end to end", () => {
  it("answers the validation handshake with the decoded token as plain text", async () => {
    const token = "Validation: <script>alert(1)</script> & more";
    const answer = await fetch(`${stack.server.url}/api/notifications?validationToken=${encodeURIComponent(token)}`, { method: "POST" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await answer.text()).toBe(token);
  });

  it("creates the subscription the demo intent needs, through the sandbox's handshake to our endpoint", async () => {
    const report = await reconcileSubscriptions(stack.deps, () => undefined);
    expect(report).toMatchObject({ created: ["users"], failed: [] });
    const [record] = await stack.deps.subscriptions.list();
    const live = await graph(stack.sandbox, "GET", `/subscriptions/${record?.subscriptionId}`);
    expect(live.body).toMatchObject({ resource: "/users", changeType: "created,updated", notificationUrl: `${stack.server.url}/api/notifications` });
  });

  it("runs the demo intent when a Marketing user is created, and not for a department without a group", async () => {
    const nia = await createUser("nia.marketing", "Marketing");
    const sam = await createUser("sam.sales", "Sales");
    expect(await stack.drain()).toBe(2);
    expect(members(MARKETING)).toContain(nia);
    expect(stack.sandbox.tenant.groups.some((g) => g.members.includes(sam))).toBe(false);
    expect(events("trigger_skipped")).toHaveLength(1);
    expect(events("result").at(-1)).toMatchObject({ intentName: "Department Group Onboarding", status: "succeeded" });
  });

  it("ignores an item with a wrong clientState: accepted with 202, nothing queued, nothing runs", async () => {
    const ivy = createUserQuietly("ivy.it", "IT");
    const before = memberWrites().length;
    const [record] = await stack.deps.subscriptions.list();
    const forged = { value: [{ subscriptionId: record?.subscriptionId, changeType: "created", resource: `Users/${ivy}`, clientState: "guessed", resourceData: { id: ivy } }] };
    expect((await notify(forged)).status).toBe(202);
    expect(await stack.drain()).toBe(0);
    expect(memberWrites()).toHaveLength(before);
    expect(members(IT)).not.toContain(ivy);
    expect(events("notification_rejected").at(-1)).toMatchObject({ reason: "clientState", items: 1 });
    expect(JSON.stringify(stack.events())).not.toContain(clientStateFor(SECRET));
  });

  it("runs a redelivered notification once, even when two copies arrive in one batch", async () => {
    const ivy = stack.sandbox.tenant.users.find((u) => u.mailNickname === "ivy.it")?.id as string;
    const [record] = await stack.deps.subscriptions.list();
    const item = { subscriptionId: record?.subscriptionId, changeType: "created", resource: `Users/${ivy}`, clientState: clientStateFor(SECRET), resourceData: { id: ivy } };
    const before = memberWrites().length;
    expect((await notify({ value: [item, item] })).status).toBe(202);
    expect((await notify({ value: [item] })).status).toBe(202);
    expect(await stack.drain()).toBe(3);
    expect(memberWrites()).toHaveLength(before + 1);
    expect(members(IT)).toContain(ivy);
    expect(events("duplicate")).toHaveLength(2);
  });

  it("runs an updated trigger once per state it sees: disabling signs the user out once", async () => {
    const revokes = () => stack.sandbox.requests().filter((r) => r.path.endsWith("/revokeSignInSessions"));
    const nia = stack.sandbox.tenant.users.find((u) => u.mailNickname === "nia.marketing")?.id as string;
    await graph(stack.sandbox, "PATCH", `/users/${nia}`, { jobTitle: "Writer" });
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(0);
    await graph(stack.sandbox, "PATCH", `/users/${nia}`, { accountEnabled: false });
    // The revoke itself changes the user: that notification sees the same state, so nothing runs again.
    expect(await stack.drain()).toBe(2);
    await graph(stack.sandbox, "PATCH", `/users/${nia}`, { jobTitle: "Former writer" });
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(1);
    expect(stack.sandbox.tenant.users.find((u) => u.id === nia)?.signInSessionsValidFromDateTime).toBeDefined();
    expect(events("result").at(-1)).toMatchObject({ intentName: "Disabled Account Sign-out", status: "succeeded" });
  });

  it("refuses a body that is not a notification batch with 400 and a stable code", async () => {
    const answer = await fetch(`${stack.server.url}/api/notifications`, { method: "POST", body: "{not json" });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("NOTIFICATION_INVALID");
    expect((await notify({ items: [] })).status).toBe(400);
  });
});

/** Puts a user straight into the tenant (no Graph call, so no notification): the test sends its own. */
function createUserQuietly(nickname: string, department: string): string {
  const id = randomUUID();
  stack.sandbox.tenant.users.push({
    id, userPrincipalName: `${nickname}@contoso.com`, displayName: nickname, mailNickname: nickname, accountEnabled: true,
    userType: "Member", department, assignedLicenses: [], authenticationMethods: [],
  });
  return id;
}
