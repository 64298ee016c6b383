/** A members trigger: "when someone leaves the IT Department group, revoke their sessions", over the real loop. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/index";
import { reconcileSubscriptions } from "../../engine/inbound/notifications/subscriptions/manager";
import { graph } from "../sandbox/helpers";
import { startNotifyStack, type NotifyStack } from "./support/stack";
import { builtinKindSpecs } from "../../engine/kinds";

const IT = "72eba7ab-449c-5afe-9555-efd3244f4f24";
const ADELE = "047a86fd-4f51-5e2f-a12d-75c370f133fd";
const INTENT = `apiVersion: intents/v1
kind: Intent
name: IT Leaver Sign-out
description: Revokes the sessions of whoever leaves the IT Department group.
risk: reversible
permissions: { graph: [User.ReadWrite.All, GroupMember.Read.All] }
fields:
  userId: { label: User Id, type: string, required: true }
trigger:
  resource: groups/${IT}/members
  changeTypes: [deleted]
  when: "{{eq resource.userType 'Member'}}"
  fields: { userId: "{{resource.id}}" }
steps:
  - id: revoke
    kind: graph:request
    with: { method: POST, path: "/users/{id}/revokeSignInSessions", params: { id: "{{fields.userId}}" } }
    idempotent: true
result:
  messages: { succeeded: "Signed out.", failed: "Not signed out: {{error.message}}" }
`;

let stack: NotifyStack;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "members-intents-"));
  writeFileSync(join(dir, "it-leaver.yaml"), INTENT);
  stack = await startNotifyStack(dir);
});
afterAll(async () => { await stack?.close(); });

const revokes = () => stack.sandbox.requests().filter((r) => r.path === `/v1.0/users/${ADELE}/revokeSignInSessions`);
const member = (method: "POST" | "DELETE") =>
  method === "POST"
    ? graph(stack.sandbox, "POST", `/groups/${IT}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${ADELE}` })
    : graph(stack.sandbox, "DELETE", `/groups/${IT}/members/${ADELE}/$ref`);

describe("members trigger", () => {
  it("is linted: a members trigger has no updated change", () => {
    const codes = loadIntentText("x.yaml", INTENT.replace("changeTypes: [deleted]", "changeTypes: [updated]"), { kinds: builtinKindSpecs() }).diagnostics.map((d) => d.code);
    expect(codes).toEqual(["SPEC_TRIGGER_INVALID"]);
  });

  it("subscribes to the group's updates and takes a member baseline", async () => {
    expect(await reconcileSubscriptions(stack.deps, () => undefined)).toMatchObject({ created: [`groups/${IT}`], failed: [] });
    const [record] = await stack.deps.subscriptions.list();
    expect(record).toMatchObject({ resource: `groups/${IT}`, changeTypes: ["updated"] });
    expect((await stack.deps.snapshots.get(IT))?.version).toBe(0);
  });

  it("runs for a member removed, not for one added, and once per removal", async () => {
    expect((await member("POST")).status).toBe(204);
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(0);
    expect((await member("DELETE")).status).toBe(204);
    // The removal notifies the group; the revoke then changes only the user, whom nothing watches here.
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(1);
    expect((await stack.deps.snapshots.get(IT))?.members).not.toContain(ADELE);
  });

  // Memberships are diffed against the last snapshot, so an add and a remove that both happen before
  // either notification is handled cancel out; here each is handled before the next.
  it("does nothing for a redelivered group notification, but runs again for a second removal", async () => {
    const last = (await (await fetch(`${stack.sandbox.url}/_sandbox/subscriptions`)).json() as any).deliveries.filter((d: any) => d.kind === "change").at(-1);
    const again = await fetch(`${stack.server.url}/api/notifications`, { method: "POST", body: JSON.stringify({ value: last.items }) });
    expect(again.status).toBe(202);
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(1);
    await member("POST");
    expect(await stack.drain()).toBe(1);
    await member("DELETE");
    expect(await stack.drain()).toBe(1);
    expect(revokes()).toHaveLength(2);
    expect(stack.events().filter((e) => e.event === "result" && e.intentName === "IT Leaver Sign-out")).toHaveLength(2);
  });
});
