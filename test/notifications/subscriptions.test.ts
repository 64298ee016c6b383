/** Subscription upkeep with an injected clock: create, renew before expiry, recreate, lifecycle events, replace, remove. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as runSubscriptionsCommand } from "../../engine/hosts/cli/commands/subscriptions";
import { clientStateFor } from "../../engine/inbound/notifications/client-state";
import { maxLifetimeMs } from "../../engine/inbound/notifications/subscriptions/lifetime";
import { reconcileSubscriptions } from "../../engine/inbound/notifications/subscriptions/manager";
import type { SubscriptionRecord } from "../../engine/inbound/notifications/types";
import { graph } from "../sandbox/helpers";
import { captured } from "../support/capture-output";
import { startNotifyStack, type NotifyStack } from "./support/stack";

const MINUTE = 60_000;
let stack: NotifyStack;

beforeAll(async () => { stack = await startNotifyStack(); });
afterAll(async () => { await stack?.close(); });

const quiet = () => undefined;
const record = async (): Promise<SubscriptionRecord> => (await stack.deps.subscriptions.list())[0] as SubscriptionRecord;
const patches = () => stack.sandbox.requests().filter((r) => r.method === "PATCH" && r.path.startsWith("/v1.0/subscriptions/"));
const live = async (id: string) => graph(stack.sandbox, "GET", `/subscriptions/${id}`);

async function lifecycle(event: string): Promise<void> {
  const { subscriptionId } = await record();
  const sent = await fetch(`${stack.sandbox.url}/_sandbox/subscriptions/${subscriptionId}/lifecycle`, { method: "POST", body: JSON.stringify({ lifecycleEvent: event }) });
  expect(sent.status).toBe(202);
  expect(await stack.drain()).toBe(1);
}

describe("subscription manager", () => {
  it("creates the subscription with the resource's maximum lifetime", async () => {
    expect(await reconcileSubscriptions(stack.deps, quiet)).toMatchObject({ created: ["users"], renewed: [], failed: [] });
    const saved = await record();
    const lifetime = Date.parse(saved.expiresAt) - stack.clock.now();
    expect(lifetime).toBeLessThanOrEqual(maxLifetimeMs("users"));
    expect(lifetime).toBeGreaterThan(maxLifetimeMs("users") - 10 * MINUTE);
    expect((await live(saved.subscriptionId)).body.expirationDateTime).toBe(saved.expiresAt);
  });

  it("keeps it until a quarter of its lifetime is left, then renews it in place", async () => {
    const first = await record();
    const renewAt = Date.parse(first.expiresAt) - maxLifetimeMs("users") / 4;
    stack.clock.advance(renewAt - MINUTE - stack.clock.now());
    expect(await reconcileSubscriptions(stack.deps, quiet)).toMatchObject({ kept: ["users"], renewed: [] });
    expect(patches()).toHaveLength(0);
    stack.clock.advance(2 * MINUTE);
    expect(await reconcileSubscriptions(stack.deps, quiet)).toMatchObject({ renewed: ["users"], kept: [] });
    const renewed = await record();
    expect(renewed.subscriptionId).toBe(first.subscriptionId);
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    expect((await live(renewed.subscriptionId)).body.expirationDateTime).toBe(renewed.expiresAt);
    expect(patches()).toHaveLength(1);
  });

  it("creates it again when Graph has already dropped it (the timer missed the expiry)", async () => {
    const old = await record();
    stack.clock.advance(Date.parse(old.expiresAt) - stack.clock.now() + MINUTE);
    expect(await reconcileSubscriptions(stack.deps, quiet)).toMatchObject({ created: ["users"], failed: [] });
    const fresh = await record();
    expect(fresh.subscriptionId).not.toBe(old.subscriptionId);
    expect((await live(fresh.subscriptionId)).status).toBe(200);
  });

  it("renews on reauthorizationRequired and on missed", async () => {
    const before = patches().length;
    await lifecycle("reauthorizationRequired");
    expect(await record()).toMatchObject({ lastLifecycleEvent: "reauthorizationRequired" });
    await lifecycle("missed");
    expect(await record()).toMatchObject({ lastLifecycleEvent: "missed" });
    expect(patches()).toHaveLength(before + 2);
    expect(stack.events().filter((e) => e.event === "notifications_missed")).toHaveLength(1);
  });

  it("recreates on subscriptionRemoved, and notifications flow through the new subscription", async () => {
    const old = await record();
    await lifecycle("subscriptionRemoved");
    const fresh = await record();
    expect(fresh).toMatchObject({ lastLifecycleEvent: "subscriptionRemoved" });
    expect(fresh.subscriptionId).not.toBe(old.subscriptionId);
    expect((await live(old.subscriptionId)).status).toBe(404);
    const user = await graph(stack.sandbox, "POST", "/users", {
      accountEnabled: true, displayName: "Rae", mailNickname: "rae", userPrincipalName: "rae@contoso.com", department: "IT",
      passwordProfile: { password: "xWwvJ]6NMw+bWH-d" },
    });
    expect(await stack.drain()).toBe(1);
    expect(stack.sandbox.tenant.groups.find((g) => g.displayName === "IT Department")?.members).toContain(user.body.id);
  });

  it("lists the subscriptions with `intents subscriptions`", async () => {
    const saved = await record();
    const listed = await captured(() => runSubscriptionsCommand(["--storage", stack.connectionString, "--json"]));
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([saved]);
    const { code, out } = await captured(() => runSubscriptionsCommand(["--storage", stack.connectionString]));
    expect(code).toBe(0);
    expect(out).toContain(`users  created,updated  ${saved.subscriptionId}`);
    expect(out).toMatch(/\(\d+d \d+h left\)/);
    expect(out).toContain("last lifecycle event subscriptionRemoved");
  });

  it("ignores a lifecycle notification with a wrong clientState", async () => {
    const before = await record();
    const answer = await fetch(`${stack.server.url}/api/notifications`, {
      method: "POST",
      body: JSON.stringify({ value: [{ subscriptionId: before.subscriptionId, lifecycleEvent: "subscriptionRemoved", clientState: "nope" }] }),
    });
    expect(answer.status).toBe(202);
    expect(await stack.drain()).toBe(0);
    expect(await record()).toEqual(before);
  });

  it("replaces the subscription when the shared secret (so the clientState) was rotated", async () => {
    const old = await record();
    const rotated = { ...stack.deps, clientState: async () => clientStateFor("rotated-secret") };
    expect(await reconcileSubscriptions(rotated, quiet)).toMatchObject({ created: ["users"] });
    const fresh = await record();
    expect(fresh.clientStateId).not.toBe(old.clientStateId);
    expect((await live(old.subscriptionId)).status).toBe(404);
    expect(await reconcileSubscriptions(rotated, quiet)).toMatchObject({ kept: ["users"] });
    expect(await reconcileSubscriptions(stack.deps, quiet)).toMatchObject({ created: ["users"] });
  });

  it("replaces a subscription whose change types changed and removes one no intent needs", async () => {
    const old = await record();
    const [binding] = stack.deps.triggers;
    const widened = { ...stack.deps, triggers: [{ intent: binding!.intent, trigger: { ...binding!.trigger, changeTypes: ["created", "deleted"] as const } }] };
    expect(await reconcileSubscriptions(widened, quiet)).toMatchObject({ created: ["users"] });
    const replaced = await record();
    expect((await live(old.subscriptionId)).status).toBe(404);
    expect((await live(replaced.subscriptionId)).body.changeType).toBe("created,deleted");
    expect(await reconcileSubscriptions({ ...stack.deps, triggers: [] }, quiet)).toMatchObject({ removed: ["users"] });
    expect(await stack.deps.subscriptions.list()).toEqual([]);
    expect((await live(replaced.subscriptionId)).status).toBe(404);
  });
});
