import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deterministicJobName } from "../../engine/clients/arm";
import { automationRunbookSpec } from "../../engine/kinds/automation/runbook";
import { startArmServer, type ArmServer } from "./support/arm-server";
import { createManualClock, type ManualClock } from "../support/manual-clock";
import { driveStep, runbookServices } from "./support/drive-step";
import { runbookTenant } from "./support/tenant";

let server: ArmServer;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 0, 1));
  server = await startArmServer(runbookTenant(), clock.now);
});
afterEach(() => server.close());

const convert = { runbook: "Convert-ToSharedMailbox", parameters: { UserPrincipalName: "alex@contoso.com" } };
const alexMailbox = () => server.tenant.users.find((user) => user.id === "u-alex")!.mailbox!;

describe("automation:runbook over HTTP against the sandbox ARM API", () => {
  it("converts the mailbox to shared, reporting changed, then ok on a new run", async () => {
    const services = runbookServices(server.url, clock);
    const first = await driveStep(convert, { services, runId: "run-1", stepId: "convert" });
    expect(first.error).toBeUndefined();
    expect(alexMailbox().type).toBe("SharedMailbox");
    expect(first.answer!.response).toMatchObject({ status: "changed", jobStatus: "Completed", jobName: deterministicJobName("run-1", "convert") });
    expect(automationRunbookSpec.classify(first.answer!.response)).toMatchObject({ success: true, outcome: "changed" });
    // New → Running → Completed: two polls, backing off on the injected clock, not the wall clock.
    expect(clock.sleeps).toEqual([1_000, 2_000]);

    const again = await driveStep(convert, { services, runId: "run-2", stepId: "convert" });
    expect(again.answer!.response).toMatchObject({ status: "ok", reason: "alex@contoso.com is already a shared mailbox." });
    expect(automationRunbookSpec.classify(again.answer!.response)).toMatchObject({ success: true, outcome: "ok" });
    expect(server.jobs.list()).toHaveLength(2);
  });

  it("starts exactly one job when the run is redelivered twice", async () => {
    const services = runbookServices(server.url, clock);
    const deliveries = [];
    for (let delivery = 0; delivery < 3; delivery++) {
      deliveries.push(await driveStep(convert, { services, runId: "run-redelivered", stepId: "convert" }));
    }
    expect(server.jobs.list()).toHaveLength(1);
    expect(server.requests().filter((request) => request.method === "PUT")).toHaveLength(3);
    expect(deliveries.map((result) => (result.answer?.response as { status: string }).status)).toEqual(["changed", "changed", "changed"]);
    expect(alexMailbox().type).toBe("SharedMailbox");
  });

  it("turns a Failed job into RUNBOOK_FAILED carrying the runbook's reason", async () => {
    server.jobs.addRule({ runbook: "Convert-ToSharedMailbox", outcome: "Failed", reason: "Mailbox is on litigation hold." });
    const result = await driveStep(convert, { services: runbookServices(server.url, clock), runId: "run-f", stepId: "convert" });
    expect(result.error?.code).toBe("RUNBOOK_FAILED");
    expect(result.error?.message).toContain("Mailbox is on litigation hold.");
    expect(alexMailbox().type).toBe("UserMailbox");
  });

  it("reports a runbook's own failed result line (no mailbox) as RUNBOOK_FAILED with its reason", async () => {
    const input = { runbook: "Convert-ToSharedMailbox", parameters: { UserPrincipalName: "nomail@contoso.com" } };
    const result = await driveStep(input, { services: runbookServices(server.url, clock), runId: "run-n", stepId: "convert" });
    expect(result.error?.code).toBe("RUNBOOK_FAILED");
    expect(result.error?.message).toContain("object 'nomail@contoso.com' couldn't be found");
    expect(server.jobs.list()[0]!.status).toBe("Failed");
  });

  it("treats Suspended and Stopped jobs as failed", async () => {
    server.jobs.addRule({ outcome: "Suspended", times: 1 });
    server.jobs.addRule({ outcome: "Stopped", times: 1 });
    const services = runbookServices(server.url, clock);
    const suspended = await driveStep(convert, { services, runId: "run-s1", stepId: "convert" });
    const stopped = await driveStep(convert, { services, runId: "run-s2", stepId: "convert" });
    expect([suspended.error?.code, stopped.error?.code]).toEqual(["RUNBOOK_FAILED", "RUNBOOK_FAILED"]);
    expect(stopped.error?.message).toContain("stopped");
    expect(alexMailbox().type).toBe("UserMailbox");
  });

  it("times out with RUNBOOK_TIMEOUT, leaves the job running, and a resume polls the same job", async () => {
    server.jobs.addRule({ outcome: "slow", pollsToComplete: 8 });
    const services = runbookServices(server.url, clock);
    const timedOut = await driveStep(convert, { services, runId: "run-t", stepId: "convert", timeoutMs: 20_000 });
    expect(timedOut.error?.code).toBe("RUNBOOK_TIMEOUT");
    expect(timedOut.error?.retryable).toBe(true);
    expect(server.jobs.list()).toEqual([expect.objectContaining({ status: "Running" })]);

    const resumed = await driveStep(convert, { services, runId: "run-t", stepId: "convert", timeoutMs: 120_000 });
    expect(resumed.answer?.response).toMatchObject({ status: "changed" });
    expect(server.jobs.list()).toHaveLength(1);
    expect(alexMailbox().type).toBe("SharedMailbox");
  });

  it("suspends at the run's deadline with {jobName, startedAt} and resumes from that state without a new job", async () => {
    server.jobs.addRule({ outcome: "slow", pollsToComplete: 4 });
    const services = runbookServices(server.url, clock);
    const start = clock.now();
    const first = await driveStep(convert, { services, runId: "run-q", stepId: "convert", deadline: start + 500 });
    expect(first.suspendedState).toMatchObject({ jobName: deterministicJobName("run-q", "convert"), startedAt: start });
    expect(server.jobs.list()[0]!.status).toBe("New");

    const resumed = await driveStep(convert, { services, runId: "run-q", stepId: "convert", state: first.suspendedState });
    expect(resumed.answer?.response).toMatchObject({ status: "changed" });
    expect(server.requests().filter((request) => request.method === "PUT")).toHaveLength(1);
    expect(server.jobs.list()).toHaveLength(1);
  });

  it("keeps polling through a transient ARM outage when creating the job", async () => {
    await server.fault({ kind: "unavailable", method: "PUT", path: "/subscriptions/*/jobs/*", times: 1 });
    const result = await driveStep(convert, { services: runbookServices(server.url, clock), runId: "run-o", stepId: "convert" });
    expect(result.answer?.response).toMatchObject({ status: "changed" });
    expect(server.requests().map((request) => `${request.method} ${request.status}`)).toEqual(["PUT 503", "PUT 201", "GET 200", "GET 200", "GET 200"]);
  });

  it("completes a job after the configured time on the sandbox clock, polling sooner first and never slower than every 5 s", async () => {
    server.jobs.options = { pollsToComplete: 100, completeAfterMs: 32_000 };
    const result = await driveStep(convert, { services: runbookServices(server.url, clock), runId: "run-time", stepId: "convert" });
    expect(result.answer?.response).toMatchObject({ status: "changed" });
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 5_000]);
  });

  it("takes fault rules over HTTP through the sandbox control path, and refuses a rule without an outcome", async () => {
    const account = `${server.url}/subscriptions/s/resourceGroups/rg-intents/providers/Microsoft.Automation/automationAccounts/aa-intents`;
    const post = (body: unknown) =>
      fetch(`${account}/_sandbox/jobRules`, { method: "POST", headers: { authorization: "Bearer t", "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ runbook: "Convert-ToSharedMailbox" })).status).toBe(400);
    expect((await post({ runbook: "Convert-ToSharedMailbox", outcome: "Failed", reason: "Quota exceeded.", times: 1 })).status).toBe(201);
    const failed = await driveStep(convert, { services: runbookServices(server.url, clock), runId: "run-h1", stepId: "convert" });
    expect(failed.error?.message).toContain("Quota exceeded.");
    const next = await driveStep(convert, { services: runbookServices(server.url, clock), runId: "run-h2", stepId: "convert" });
    expect(next.answer?.response).toMatchObject({ status: "changed" });
  });

  it("records the job start as an event with names only, never the runbook's parameters", async () => {
    const events: Array<[string, Record<string, unknown>]> = [];
    await driveStep(convert, { services: runbookServices(server.url, clock, events), runId: "run-e", stepId: "convert" });
    expect(events).toEqual([["runbook.job.started", { runbook: "Convert-ToSharedMailbox", jobName: deterministicJobName("run-e", "convert"), stepId: "convert" }]]);
  });

  it("answers as soon as the job exists when wait is false", async () => {
    const result = await driveStep({ ...convert, wait: false }, { services: runbookServices(server.url, clock), runId: "run-w", stepId: "convert" });
    expect(result.answer?.response).toMatchObject({ status: "started", jobStatus: "New" });
    expect(result.calls).toBe(1);
    expect(alexMailbox().type).toBe("UserMailbox");
  });
});
