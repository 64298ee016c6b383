/**
 * A runbook intent through the real engine: past the HTTP budget it answers 202 running, the queued
 * continuation resumes it and polls the same Automation job, and GET /api/runs reports the end.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { continuationHandler } from "../../engine/hosts/functions/handlers";
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { startQueuePoller, type QueuePoller } from "../../engine/hosts/local/queue-poller";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { convertToSharedYaml } from "../support/convert-to-shared";
import { createManualClock } from "../support/manual-clock";
import { webhook } from "./support/harness";

const SECRET = "long-run-secret";
/** Ten minutes: far past the HTTP budget, so the run must go through the queue. */
const CONVERT = convertToSharedYaml({ timeoutMs: 600_000 });

const clock = createManualClock(Date.now());
let azurite: RunningAzurite;
let sandbox: Sandbox;
let host: ComposedHost;
let server: LocalServer;
let poller: QueuePoller;

beforeAll(async () => {
  const intentsDir = mkdtempSync(join(tmpdir(), "long-run-intents-"));
  writeFileSync(join(intentsDir, "convert-to-shared.yaml"), CONVERT);
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", INTENT_SHARED_SECRET: SECRET,
    ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    RUN_BUDGET_MS: "0",
  }, { clock, intentsDir });
  const deps = async () => host.deps;
  server = await startLocalServer({
    routes: appRoutes(deps),
    maxBodyBytes: MAX_BODY_BYTES,
  });
  poller = startQueuePoller({ queue: new QueueClient(azurite.connectionString, CONTINUATION_QUEUE), handler: continuationHandler(deps) }, false);
});

afterAll(async () => {
  await server?.close();
  await host?.close();
  await sandbox?.close();
  await azurite?.close();
});

const jobCreations = () => sandbox.requests().filter((r) => r.method === "PUT" && r.path.includes("/jobs/"));

describe("a run that outlives the HTTP budget", () => {
  it("gives the ARM token to the Automation client alone: the settings intents read do not hold it", () => {
    expect(host.deps.services.settings.ARM_ACCESS_TOKEN).toBeUndefined();
    expect(host.deps.services.settings.AUTOMATION_ACCOUNT_NAME).toBe("aa-intents");
    expect(host.deps.services.kinds.ids()).toContain("automation:runbook");
  });

  it("answers 202 running, continues from the queue and reports success", async () => {
    const response = await fetch(`${server.url}/api/intent`, {
      method: "POST", headers: { "x-intent-secret": SECRET },
      body: JSON.stringify(webhook("Convert To Shared", { "User Email": "adele.vance@contoso.com" }, 6001)),
    });
    const answer = (await response.json()) as { runId: string; status: string; message: string };
    expect(response.status).toBe(202);
    expect(answer.status).toBe("running");
    const status = async () => {
      const r = await fetch(`${server.url}/api/runs/${answer.runId}`, { headers: { "x-intent-secret": SECRET } });
      return { code: r.status, body: (await r.json()) as { status: string; message: string; steps: Array<{ id: string; status: string }> } };
    };
    expect((await status()).code).toBe(202);
    for (let round = 0; round < 10 && (await status()).body.status === "running"; round++) {
      clock.advance(60_000);
      await poller.pollOnce();
    }
    const done = await status();
    expect(done.code).toBe(200);
    expect(done.body.status).toBe("succeeded");
    expect(done.body.message).toBe("The mailbox of adele.vance@contoso.com is now shared.");
    expect(done.body.steps).toEqual([expect.objectContaining({ id: "convert", status: "changed" })]);
    expect(jobCreations().length).toBe(1);
  });
});
