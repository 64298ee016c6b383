/**
 * What the Function App writes and answers in production: events at their real severity, the
 * process-wide clients' events in the invocation they belong to, configuration errors answered
 * without naming a setting, and the subscription timer not running at start.
 */
import { HttpRequest, InvocationContext } from "@azure/functions";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAutomationClient } from "../../engine/clients/arm";
import { createGraphClient } from "../../engine/clients/graph/client";
import { ambientEvents } from "../../engine/core/current-events";
import { IntentError } from "../../engine/core/errors";
import { composeFromSettings } from "../../engine/hosts/compose/from-settings";
import { eventsFor, inInvocation } from "../../engine/hosts/functions/adapt";
import { reconcileOnFirstUse } from "../../engine/hosts/functions/first-use";
import { intentHandler } from "../../engine/hosts/functions/handlers";
import { HOST_MAX_DEQUEUE_COUNT, notificationQueueHandler, subscriptionsTimerHandler } from "../../engine/hosts/functions/notification-handlers";
import type { NotificationDeps } from "../../engine/inbound/notifications/types";
import { startScriptedServer, type ScriptedServer } from "../clients/graph/scripted-server";

interface Logged { level: string; event: Record<string, unknown> }

function invocation(id: string, triggerMetadata: Record<string, unknown> = {}): { context: InvocationContext; logged: Logged[] } {
  const logged: Logged[] = [];
  const context = new InvocationContext({
    invocationId: id,
    functionName: "test",
    triggerMetadata,
    logHandler: (level, ...args) => logged.push({ level, event: JSON.parse(String(args[0])) as Record<string, unknown> }),
  });
  return { context, logged };
}

const servers: ScriptedServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe("event severity", () => {
  it("writes errors at error, things to look at at warning, the rest at information", () => {
    const { context, logged } = invocation("sev-1");
    const events = eventsFor(context);
    events("poison", { runId: "r-1", dequeueCount: 6 });
    events("error", { code: "STORE_ERROR" });
    events("lease_lost", { runId: "r-1" });
    events("result", { runId: "r-1", status: "failed", errorCode: "GRAPH_ERROR" });
    events("result", { runId: "r-2", status: "succeeded" });
    events("subscriptions_reconciled", { created: [], renewed: [], kept: [], removed: [], failed: [{ resource: "users", code: "SUBSCRIPTION_FAILED" }] });
    events("step.finished", { runId: "r-2", stepId: "s", status: "changed" });
    expect(logged.map((l) => [l.event.event, l.level])).toEqual([
      ["poison", "error"], ["error", "error"], ["lease_lost", "warning"], ["result", "warning"], ["result", "information"],
      ["subscriptions_reconciled", "error"], ["step.finished", "information"],
    ]);
    expect(logged.every((l) => l.event.invocationId === "sev-1")).toBe(true);
  });

  it("reports a notification given up after the host's last delivery as poison, at error", async () => {
    const failing = async (): Promise<NotificationDeps> => {
      throw new IntentError("STORE_ERROR", "storage down");
    };
    const last = invocation("poison-n", { dequeueCount: HOST_MAX_DEQUEUE_COUNT });
    await expect(notificationQueueHandler(failing)({}, last.context)).rejects.toMatchObject({ code: "STORE_ERROR" });
    expect(last.logged).toEqual([{ level: "error", event: { event: "poison", invocationId: "poison-n", queue: "graph-notifications", dequeueCount: 6, code: "STORE_ERROR" } }]);
    const earlier = invocation("retry-n", { dequeueCount: 2 });
    await expect(notificationQueueHandler(failing)({}, earlier.context)).rejects.toBeDefined();
    expect(earlier.logged).toEqual([]);
  });

  it("logs a failed subscription timer run at error and still fails the run", async () => {
    const { context, logged } = invocation("timer-1");
    await expect(subscriptionsTimerHandler(async () => Promise.reject(new IntentError("CONFIG_MISSING", "x")))({}, context)).rejects.toBeDefined();
    expect(logged).toEqual([{ level: "error", event: { event: "subscriptions_failed", invocationId: "timer-1", code: "CONFIG_MISSING", on: "schedule" } }]);
  });

  it("matches host.json's maxDequeueCount", async () => {
    const { readFileSync } = await import("node:fs");
    const host = JSON.parse(readFileSync(`${__dirname}/../../host.json`, "utf8")) as { extensions: { queues: { maxDequeueCount: number } } };
    expect(HOST_MAX_DEQUEUE_COUNT).toBe(host.extensions.queues.maxDequeueCount);
  });
});

describe("configuration errors before authentication", () => {
  it("answer 503 without naming the setting, which only the error event (at error) carries", async () => {
    const { context, logged } = invocation("cfg-1");
    // The real composition from settings that lack the shared secret.
    const handler = intentHandler(async () => (await composeFromSettings({ AzureWebJobsStorage: "UseDevelopmentStorage=true" })).deps);
    const request = new HttpRequest({ method: "POST", url: "http://localhost/api/intent", body: { string: "{}" }, headers: { "content-type": "application/json" } });
    const response = await handler(request, context);
    expect(response.status).toBe(503);
    const body = JSON.stringify(response.jsonBody);
    expect(body).not.toMatch(/INTENT_SHARED_SECRET|INTENT-SHARED-SECRET|SECRET|KEY_VAULT/);
    expect(response.jsonBody).toMatchObject({ error: { code: "CONFIG_MISSING" } });
    expect(logged).toEqual([{ level: "error", event: expect.objectContaining({ event: "error", code: "CONFIG_MISSING", message: expect.stringContaining("INTENT_SHARED_SECRET") }) }]);
  });
});

describe("process-wide clients report into the invocation they serve", () => {
  it("Graph: graph.request and graph.retry go to the invocation's logger, with its invocationId", async () => {
    const server = await startScriptedServer((_request, index) => (index === 0 ? { status: 503, headers: { "retry-after": "0" }, body: { error: { code: "x", message: "busy" } } } : { status: 200, body: { id: "u-1" } }));
    servers.push(server);
    // A clock that never waits: the retry after the 503 happens at once.
    const graph = createGraphClient({ baseUrl: `${server.origin}/v1.0`, tokens: { getToken: async () => "token" }, events: ambientEvents, clock: { now: () => 0, sleep: async () => undefined } });
    const { context, logged } = invocation("graph-1");
    await inInvocation(context, () => graph.request({ method: "GET", path: "/users/u-1" }));
    await graph.close();
    expect(logged.map((l) => [l.event.event, l.level, l.event.invocationId])).toEqual([["graph.retry", "warning", "graph-1"], ["graph.request", "information", "graph-1"]]);
    expect(logged[1]?.event).toMatchObject({ method: "GET", status: 200, attempts: 2 });
    // Outside an invocation nothing is written anywhere.
    await expect(graph.request({ method: "GET", path: "/users/u-1" }).catch(() => undefined)).resolves.toBeUndefined();
  });

  it("ARM: each Automation call reports arm.request with its operation and status, never a body", async () => {
    const server = await startScriptedServer(() => ({ status: 404, body: { error: { code: "ResourceNotFound", message: "job x not found" } } }));
    servers.push(server);
    const automation = createAutomationClient(
      { subscriptionId: "sub", resourceGroup: "rg", accountName: "auto", baseUrl: server.origin, accessToken: "token" },
      { events: ambientEvents, now: () => 0 },
    );
    const { context, logged } = invocation("arm-1");
    await expect(inInvocation(context, () => automation.getJob("job-x"))).rejects.toMatchObject({ code: "AUTOMATION_ERROR" });
    expect(logged.map((l) => l.event)).toEqual([{ event: "arm.request", invocationId: "arm-1", operation: "get job", status: 404, error: "AUTOMATION_ERROR", durationMs: 0 }]);
  });
});

describe("subscription timer", () => {
  it("is registered every six hours and not at start", async () => {
    const timer = vi.fn();
    vi.resetModules();
    vi.doMock("@azure/functions", async (original) => ({ ...(await original<typeof import("@azure/functions")>()), app: { timer, http: vi.fn(), storageQueue: vi.fn() } }));
    await import("../../engine/hosts/functions/subscriptions-timer.js");
    vi.doUnmock("@azure/functions");
    expect(timer).toHaveBeenCalledTimes(1);
    expect(timer.mock.calls[0]?.[0]).toBe("renewSubscriptions");
    expect(timer.mock.calls[0]?.[1]).toMatchObject({ schedule: "0 0 */6 * * *", runOnStartup: false });
  });

  it("reconciles on first use only once per process, and again after a failure", async () => {
    let composed = 0;
    const firstUse = reconcileOnFirstUse(async () => {
      composed++;
      if (composed === 1) throw new IntentError("STORE_ERROR", "down");
      return { triggers: [], subscriptions: { list: async () => [] } } as unknown as NotificationDeps;
    });
    const { context, logged } = invocation("first-1");
    await firstUse(eventsFor(context));
    expect(logged).toEqual([{ level: "error", event: { event: "subscriptions_failed", invocationId: "first-1", code: "STORE_ERROR", on: "first use" } }]);
    await firstUse(eventsFor(context));
    await firstUse(eventsFor(context));
    expect(composed).toBe(2);
  });
});

describe("npm start on the demo tenant", () => {
  it("sets every setting a shipped intent declares, so each one runs with no settings at all", async () => {
    const { DEMO_TENANT_SETTINGS } = await import("../../engine/hosts/local/dev-stack.js");
    const { loadCatalog } = await import("../../engine/language/spec/catalog.js");
    const { builtinKindSpecs } = await import("../../engine/kinds/index.js");
    const needed = [...new Set(loadCatalog(builtinKindSpecs()).intents.flatMap((intent) => intent.settings))];
    expect(needed).toContain("DEFAULT_USAGE_LOCATION");
    for (const name of needed) expect(DEMO_TENANT_SETTINGS[name], name).toBeTruthy();
  });
});
