/**
 * Reporting back through the whole product, over real HTTP: the webhook runs the shipped intents
 * against the sandbox tenant (or a runbook intent past its 202), and each PSA simulator receives
 * exactly one internal and one customer note per state; a PSA that fails for a while gets them
 * later while the run's answer stays what it was; an unknown ticket is one report_failed per
 * note; the requester mail goes out only after a 202; nothing secret reaches a note or a webhook.
 */
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PsaKind } from "../../engine/clients/psa";
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { continuationHandler } from "../../engine/hosts/functions/handlers";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { handleReportMessage, SIGNATURE_HEADER, verifyWebhookSignature } from "../../engine/lifecycle/report";
import { DEMO_POLICY_PATH, startSandbox, type Sandbox } from "../../sandbox";
import { startPsaSandboxes, type PsaSandboxes, type PsaServer } from "../../sandbox/psa";
import { QueueClient } from "@azure/storage-queue";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { startQueuePoller, type QueuePoller } from "../../engine/hosts/local/queue-poller";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { convertToSharedYaml } from "../support/convert-to-shared";
import { createManualClock } from "../support/manual-clock";
import { ClockQueue } from "../lifecycle/report/clock-queue";
import { webhook } from "./support/harness";
import { notesOn } from "./support/psa-notes";
import { psaSimulatorSettings } from "../../engine/hosts/local/dev-stack";

const SECRET = "report-back-secret-41c7";
const WEBHOOK_KEY = "report-back-webhook-key-9d2e";
const clock = createManualClock(Date.parse("2026-11-23T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
let psas: PsaSandboxes;
let receiver: Server;
const hooks: Array<{ signature: string; body: string }> = [];
let intentsDir: string;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  psas = await startPsaSandboxes({ now: () => clock.now() });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push({ signature: String(req.headers[SIGNATURE_HEADER]), body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  // The shipped intents plus a runbook intent that always outlives the HTTP budget.
  intentsDir = mkdtempSync(join(tmpdir(), "report-back-intents-"));
  for (const file of readdirSync(join(__dirname, "..", "..", "intents"))) {
    if (file.endsWith(".yaml")) copyFileSync(join(__dirname, "..", "..", "intents", file), join(intentsDir, file));
  }
  writeFileSync(join(intentsDir, "zz-convert-to-shared-test.yaml"), convertToSharedYaml({ timeoutMs: 600_000 }).replace("name: Convert To Shared", "name: Convert To Shared Slowly"));
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await psas?.close();
  await sandbox?.close();
  await azurite?.close();
});

interface App {
  server: LocalServer;
  host: ComposedHost;
  psa: PsaServer;
  reports: ClockQueue;
  events: Array<Record<string, unknown>>;
  post(body: unknown): Promise<{ status: number; body: any }>;
  /** Delivers every report now due, moving the clock through retries (up to `rounds`). */
  deliver(rounds?: number): Promise<void>;
  continueRuns(): Promise<void>;
  close(): Promise<void>;
}

async function startApp(kind: PsaKind, extra: Record<string, string> = {}): Promise<App> {
  const reports = new ClockQueue(clock);
  const host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox",
    ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    INTENT_SHARED_SECRET: SECRET, NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    HELPDESK_EMAIL: "grace.taylor@contoso.com", MAIL_SENDER: "isaiah.langer@contoso.com",
    // The demo deployment's requester policy: its Service Desk (Megan) may ask on anyone's behalf.
    POLICY_FILE: DEMO_POLICY_PATH,
    ...psaSimulatorSettings(psas, kind), ...extra,
  }, { clock, intentsDir, reportQueue: reports });
  const events: Array<Record<string, unknown>> = [];
  const log = (_level: string, line: string) => { events.push(JSON.parse(line) as Record<string, unknown>); };
  const deps = async () => host.deps;
  const server = await startLocalServer({ routes: appRoutes(deps), maxBodyBytes: MAX_BODY_BYTES, log });
  const continuations: QueuePoller = startQueuePoller({ queue: new QueueClient(azurite.connectionString, CONTINUATION_QUEUE), handler: continuationHandler(deps), log, retryAfterSeconds: 0 }, false);
  const delivery = (raw: unknown) => handleReportMessage(host.reporting.delivery, raw, (event, fields) => { events.push({ event, ...fields }); });
  return {
    server, host, reports, events, psa: psas[kind],
    async post(body) {
      const response = await fetch(`${server.url}/api/intent`, { method: "POST", headers: { "x-intent-secret": SECRET }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    async deliver(rounds = 40) {
      for (let i = 0; i < rounds && (await reports.step(delivery)); i++);
    },
    async continueRuns() {
      for (let round = 0; round < 10; round++) {
        clock.advance(60_000);
        if ((await continuations.pollOnce()) === 0 && round > 0) return;
      }
    },
    close: async () => {
      await server.close();
      await host.close();
    },
  };
}

let ticket = 7100;
/** A user with a mailbox to convert, one per PSA so each run changes something. */
const MAILBOX_OWNER: Record<PsaKind, string> = { connectwise: "adele.vance@contoso.com", autotask: "miriam.graham@contoso.com", halopsa: "johanna.lorenz@contoso.com" };

describe.each(["connectwise", "autotask", "halopsa"] as const)("reporting to %s", (kind) => {
  let app: App;
  /** The same PSA, with no HTTP budget: every run answers 202 and finishes from the queue. */
  let slow: App;
  beforeAll(async () => {
    app = await startApp(kind, { REPORT_REQUESTER_EMAIL: "true" });
    slow = await startApp(kind, { REPORT_REQUESTER_EMAIL: "true", RUN_BUDGET_MS: "0" });
  });
  afterAll(async () => {
    await app?.close();
    await slow?.close();
  });

  it("a synchronous run: one internal and one customer note, none more for a redelivery", async () => {
    const id = ++ticket;
    const body = webhook("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": "Marketing" }, id);
    const answer = await app.post(body);
    expect(answer.body.status).toBe("succeeded");
    await app.deliver();
    expect((await app.post(body)).body.duplicate).toBe(true);
    await app.deliver();
    expect(notesOn(app.psa, id)).toEqual([{ internal: true, state: "succeeded" }, { internal: false, state: "succeeded" }]);
    const internal = app.psa.tickets.list(id).find((n) => n.internal)?.text ?? "";
    expect(internal).toContain(answer.body.runId);
    expect(internal).toContain("What was done:");
    const mails = sandbox.tenant.sentMail.filter((m) => m.message.toRecipients?.some((r) => r.emailAddress.address === "adele.vance@contoso.com"));
    expect(mails).toHaveLength(0); // answered at once: the chat already told the requester
  });

  it("a runbook run answered 202: no note while it runs, one per note kind when it finishes, and a mail to the requester", async () => {
    const id = ++ticket;
    const answer = await slow.post({ ...webhook("Convert To Shared Slowly", { "User Email": MAILBOX_OWNER[kind] }, id), meta_data: { ticket_id: id, contact_name: "Megan Bowen", contact_email: "megan.bowen@contoso.com", company_name: "Contoso" } });
    expect(answer.status).toBe(202);
    await slow.deliver();
    expect(notesOn(app.psa, id)).toEqual([]);
    await slow.continueRuns();
    await slow.deliver();
    expect(notesOn(app.psa, id)).toEqual([{ internal: true, state: "succeeded" }, { internal: false, state: "succeeded" }]);
    const mails = sandbox.tenant.sentMail.filter((m) => JSON.stringify(m.message).includes(`ticket #${id}`));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.message.toRecipients).toEqual([{ emailAddress: { address: "megan.bowen@contoso.com" } }]);
  });

  it("a failed run: the note says what was not done and the suggested fix", async () => {
    const id = ++ticket;
    const answer = await app.post(webhook("Password Reset", { "User Email": "nobody.here@contoso.com" }, id, "megan.bowen@contoso.com"));
    expect(answer.body.status).toBe("failed");
    await app.deliver();
    expect(notesOn(app.psa, id)).toEqual([{ internal: true, state: "failed" }, { internal: false, state: "failed" }]);
    const internal = app.psa.tickets.list(id).find((n) => n.internal)?.text ?? "";
    expect(internal).toContain("What was not done:");
    expect(internal).toContain("Suggested fix: Check the spelling of the email address.");
  });
});

describe("reporting when things go wrong", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp("connectwise", { REPORT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, REPORT_WEBHOOK_SECRET: WEBHOOK_KEY });
  });
  afterAll(async () => { await app?.close(); });

  it("a PSA answering 500 and 429 for a while gets the notes later; the run's answer is unaffected", async () => {
    const id = ++ticket;
    app.psa.faults.add({ kind: "error", method: "POST", times: 3 });
    app.psa.faults.add({ kind: "throttle", method: "POST", retryAfter: 300, times: 2 });
    const answer = await app.post(webhook("Add User to Group", { "User Email": "diego.siciliani@contoso.com", "Group Name": "Marketing" }, id, "diego.siciliani@contoso.com"));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    const started = clock.now();
    await app.deliver();
    expect(notesOn(app.psa, id)).toEqual([{ internal: true, state: "succeeded" }, { internal: false, state: "succeeded" }]);
    expect(clock.now() - started).toBeGreaterThanOrEqual(300_000);
    expect(app.events.filter((e) => e.event === "report_retry" && e.status === 500).length).toBeGreaterThan(0);
    expect(app.events.filter((e) => e.event === "report_retry" && e.status === 429).length).toBeGreaterThan(0);
    const record = await fetch(`${app.server.url}/api/runs/${answer.body.runId}`, { headers: { "x-intent-secret": SECRET } });
    expect(((await record.json()) as { status: string }).status).toBe("succeeded");
  });

  it("an unknown ticket: one report_failed per note with the PSA's answer, and no storm", async () => {
    const posts = () => app.psa.requests().filter((r) => r.method === "POST" && r.path.includes("/tickets/900777/")).length;
    const answer = await app.post(webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Marketing" }, 900777, "johanna.lorenz@contoso.com"));
    expect(answer.body.status).toBe("succeeded");
    await app.deliver();
    clock.advance(24 * 3_600_000);
    await app.deliver();
    const failed = app.events.filter((e) => e.event === "report_failed" && e.ticketId === "900777");
    expect(failed.map((e) => e.channel).sort()).toEqual(["psa-customer", "psa-internal"]);
    expect(failed.every((e) => e.status === 404 && String(e.answer).includes("Ticket 900777 not found"))).toBe(true);
    expect(posts()).toBe(2);
  });

  it("never writes a secret into a note, the webhook or the outbox; the webhook's signature verifies", async () => {
    const id = ++ticket;
    const password = "Given-Pa55word-8a1c";
    hooks.length = 0;
    const answer = await app.post(webhook("Password Reset", { "User Email": "ben.walters@contoso.com", "Temporary Password": password }, id, "ben.walters@contoso.com"));
    expect(answer.body.status).toBe("succeeded");
    const generated = await app.post(webhook("Password Reset", { "User Email": "conor.obrien@contoso.com" }, ++ticket, "conor.obrien@contoso.com"));
    expect(generated.body.status).toBe("succeeded");
    await app.deliver();
    const helpdeskMail = sandbox.tenant.sentMail.find((m) => JSON.stringify(m.message).includes(`ticket ${ticket}`));
    const generatedPassword = /Temporary password: (\S+)/.exec(JSON.stringify(helpdeskMail?.message))?.[1];
    expect(generatedPassword).toBeTruthy();
    const everything = JSON.stringify([
      app.psa.tickets.all(), app.psa.requests(), hooks,
      await app.host.reporting.delivery.store.rowsOf(answer.body.runId), await app.host.reporting.delivery.store.rowsOf(generated.body.runId), app.events,
    ]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(String(generatedPassword));
    expect(hooks.length).toBeGreaterThanOrEqual(2);
    for (const hook of hooks) expect(verifyWebhookSignature(hook.body, hook.signature, WEBHOOK_KEY, clock.now())).toBe(true);
  });
});

describe("states other parts report (policy, approval, scheduling)", () => {
  let app: App;
  beforeAll(async () => { app = await startApp("connectwise", { REPORT_REQUESTER_EMAIL: "true" }); });
  afterAll(async () => { await app?.close(); });

  it("each reaches the PSA once, through the reporter on the pipeline's deps; the decisions reach the requester", async () => {
    const id = ++ticket;
    const run = { runId: "d".repeat(31) + "1", ticketId: String(id), intentName: "User Offboarding", contactName: "Megan Bowen", contactEmail: "megan.bowen@contoso.com", companyName: "Contoso" };
    const say = (state: "awaiting_approval" | "denied" | "expired" | "scheduled", message: string, accepted: boolean) =>
      app.host.deps.reporter.report({ state, run, message, steps: [], secretValues: [], accepted, detail: "Decided by grace.taylor@contoso.com." }, () => undefined);
    await say("scheduled", "Your request will run on Friday at 17:00.", false);
    await say("awaiting_approval", "Your request is waiting for approval.", true);
    await say("awaiting_approval", "Your request is waiting for approval.", true);
    await say("denied", "Your manager declined this request.", true);
    await app.deliver();
    expect(notesOn(app.psa, id)).toEqual([
      { internal: true, state: "awaiting_approval" }, { internal: true, state: "denied" }, { internal: true, state: "scheduled" },
      { internal: false, state: "awaiting_approval" }, { internal: false, state: "denied" }, { internal: false, state: "scheduled" },
    ]);
    const denied = app.psa.tickets.list(id).find((n) => n.internal && n.text.includes("/denied/"))?.text ?? "";
    expect(denied).toContain("The request was refused (by policy or by its approver); nothing was changed.");
    expect(denied).toContain("Decided by grace.taylor@contoso.com.");
    const mails = sandbox.tenant.sentMail.filter((m) => m.message.toRecipients?.some((r) => r.emailAddress.address === "megan.bowen@contoso.com") && JSON.stringify(m.message).includes(`ticket #${id}`));
    expect(mails).toHaveLength(1); // the decision; waiting and scheduling are what the chat already said
    expect(JSON.stringify(mails[0]?.message)).toContain("Your manager declined this request.");
  });
});

describe("a run requester policy refuses", () => {
  let app: App;
  beforeAll(async () => { app = await startApp("connectwise", { REPORT_REQUESTER_EMAIL: "true" }); });
  afterAll(async () => { await app?.close(); });

  it("one internal and one customer note, none more when a redelivery is refused again; no mail, no write", async () => {
    const id = ++ticket;
    const writes = () => sandbox.requests().filter((r) => r.method !== "GET" && r.path !== "/v1.0/$batch").length;
    const writesBefore = writes();
    const mailsBefore = sandbox.tenant.sentMail.length;
    // The Service Desk may reset anyone's password under the demo policy, but not a directory-role holder's.
    const body = webhook("Password Reset", { "User Email": "it.admin@contoso.com" }, id, "megan.bowen@contoso.com");
    const answer = await app.post(body);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ status: "denied", error: { code: "TARGET_PROTECTED" }, steps: [] });
    expect((await app.post(body)).body).toMatchObject({ duplicate: true, status: "denied", runId: answer.body.runId });
    clock.advance(1_000);
    // A later delivery is judged again, refused again, and reported again: the outbox keeps the first.
    expect((await app.post(body)).body).toMatchObject({ status: "denied", runId: answer.body.runId, attempts: 2 });
    await app.deliver();
    expect(notesOn(app.psa, id)).toEqual([{ internal: true, state: "denied" }, { internal: false, state: "denied" }]);
    const notes = app.psa.tickets.list(id);
    const internal = notes.find((n) => n.internal)?.text ?? "";
    expect(internal).toContain("The request was refused (by policy or by its approver); nothing was changed.");
    expect(internal).toContain("(TARGET_PROTECTED)");
    expect(internal).toContain(answer.body.runId);
    expect(notes.find((n) => !n.internal)?.text).toContain(answer.body.message);
    expect(app.events.filter((e) => e.event === "report_queued" && e.runId === answer.body.runId)).toHaveLength(2);
    expect(writes()).toBe(writesBefore);
    // Answered at once, so no requester mail; a refusal is not a failure, so no failure mail.
    expect(sandbox.tenant.sentMail.length).toBe(mailsBefore);
  });
});

describe("reporting's configuration", () => {
  const base = () => ({ AzureWebJobsStorage: azurite.connectionString, GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", INTENT_SHARED_SECRET: SECRET });

  it("refuses to start with a requester mail and no mailbox to send it from", async () => {
    await expect(composeFromSettings({ ...base(), REPORT_REQUESTER_EMAIL: "true" }, { clock, intentsDir })).rejects.toMatchObject({ code: "CONFIG_MISSING" });
  });

  it("refuses to start with a webhook it could not sign", async () => {
    await expect(composeFromSettings({ ...base(), REPORT_WEBHOOK_URL: "https://hooks.example.com/in" }, { clock, intentsDir })).rejects.toMatchObject({ code: "CONFIG_MISSING" });
  });

  it("reports nowhere, quietly, with nothing configured", async () => {
    const host = await composeFromSettings(base(), { clock, intentsDir });
    try {
      expect(host.reporting.describe).toContain("nothing configured");
      expect(host.reporting.delivery.channels).toEqual({});
    } finally {
      await host.close();
    }
  });
});
