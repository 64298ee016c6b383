/**
 * The composed host over real HTTP for scheduling tests: the shipped intents plus a test intent that
 * waits between steps, Azurite, the sandbox tenant and a PSA simulator sharing one manual clock. A
 * tick is what the minute timer does (due wake-ups to the continuation queue) followed by what the
 * queue trigger does (each message handled), so no test waits for anything real.
 */
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueClient } from "@azure/storage-queue";
import { composeFromSettings, type ComposedHost } from "../../../engine/hosts/compose/from-settings";
import { continuationHandler } from "../../../engine/hosts/functions/handlers";
import { scheduleTimerHandler } from "../../../engine/hosts/functions/schedule-handlers";
import { invokeTimer } from "../../../engine/hosts/functions/invoke";
import { appRoutes, startLocalServer, type LocalServer } from "../../../engine/hosts/local/http-adapter";
import { startQueuePoller } from "../../../engine/hosts/local/queue-poller";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { CONTINUATION_QUEUE } from "../../../engine/lifecycle/continue/continuation-queue";
import { handleReportMessage } from "../../../engine/lifecycle/report";
import { DEMO_POLICY_PATH, type Sandbox } from "../../../sandbox";
import type { PsaSandboxes } from "../../../sandbox/psa";
import type { RunningAzurite } from "../../support/azurite";
import type { ManualClock } from "../../support/manual-clock";
import { ClockQueue } from "../../lifecycle/report/clock-queue";

export const SECRET = "schedule-test-secret-5e1a";

/** Disables a user now and deletes the account 30 days later: the delayed step under test. */
export const DISABLE_THEN_DELETE = `apiVersion: intents/v1
kind: Intent
name: Disable Then Delete
description: Disables a user, then deletes the account 30 days later.
risk: destructive
target: fields.userEmail
permissions:
  graph: [User.ReadWrite.All]
fields:
  userEmail: { label: User Email, type: string, required: true, format: email }
steps:
  - id: disable
    kind: graph:request
    with: { method: PATCH, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" }, body: { accountEnabled: false } }
  - id: delete
    kind: graph:request
    after: P30D
    with: { method: DELETE, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" } }
    outcomes:
      - { match: { status: 404 }, result: ok }
result:
  messages:
    succeeded: "{{fields.userEmail}} was deleted."
    failed: "{{fields.userEmail}} could not be deleted: {{error.message}}"
    scheduled: "{{fields.userEmail}} is disabled and will be deleted on {{schedule.when}}."
`;

/** A password reset at a set time: a scheduled run with a secret field. */
export const SCHEDULED_RESET = `apiVersion: intents/v1
kind: Intent
name: Scheduled Password Reset
description: Sets a user's password at a given time.
risk: reversible
permissions:
  graph: [User.ReadWrite.All]
fields:
  userEmail: { label: User Email, type: string, required: true, format: email }
  password: { label: Temporary Password, type: string, required: true, secret: true }
  at: { label: When, type: datetime, required: true }
schedule: { at: "{{fields.at}}" }
steps:
  - id: reset
    kind: graph:request
    with:
      method: PATCH
      path: "/users/{upn}"
      params: { upn: "{{fields.userEmail}}" }
      body: { passwordProfile: { password: "{{fields.password}}", forceChangePasswordNextSignIn: true } }
result:
  messages:
    succeeded: "The password of {{fields.userEmail}} was reset."
    failed: "The password of {{fields.userEmail}} could not be reset: {{error.message}}"
`;

/** The shipped intents and the test intents, in a folder of their own. */
export function intentsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "schedule-intents-"));
  const shipped = join(__dirname, "..", "..", "..", "intents");
  for (const file of readdirSync(shipped)) if (file.endsWith(".yaml")) copyFileSync(join(shipped, file), join(dir, file));
  writeFileSync(join(dir, "zz-disable-then-delete.yaml"), DISABLE_THEN_DELETE);
  writeFileSync(join(dir, "zz-scheduled-password-reset.yaml"), SCHEDULED_RESET);
  return dir;
}

export interface Shared {
  azurite: RunningAzurite;
  sandbox: Sandbox;
  psas: PsaSandboxes;
  clock: ManualClock;
  intentsDir: string;
}

export interface ConsoleSession {
  cookie: string;
  token: string;
}

export interface ScheduleApp {
  url: string;
  host: ComposedHost;
  events: Array<Record<string, unknown>>;
  post(body: unknown): Promise<{ status: number; body: any }>;
  getRun(runId: string): Promise<{ status: number; body: any }>;
  cancel(runId: string, secret?: string): Promise<{ status: number; body: any }>;
  /** A console session on the local server (the shared-secret sign-in form); it lasts 8 hours of the clock. */
  signIn(): Promise<ConsoleSession>;
  /** A console request with that session (and its anti-forgery token on a POST). */
  console(path: string, session: ConsoleSession, method?: "GET" | "POST"): Promise<{ status: number; body: any }>;
  /** The minute timer, then the continuation queue until it is empty. */
  tick(): Promise<void>;
  /** Delivers the report outbox's due messages. */
  deliverReports(): Promise<void>;
  close(): Promise<void>;
}

export function sharedEnv(shared: Shared): Record<string, string> {
  const cw = shared.psas.connectwise;
  return {
    AzureWebJobsStorage: shared.azurite.connectionString, GRAPH_BASE_URL: shared.sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox",
    ARM_BASE_URL: shared.sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: shared.sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: shared.sandbox.tenant.tenantId,
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    // The engine sends from a shared mailbox of its own (requester policy protects it from every webhook).
    INTENT_SHARED_SECRET: SECRET, NOTIFICATION_MAILBOX: "info@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    HELPDESK_EMAIL: "grace.taylor@contoso.com", MAIL_SENDER: "info@contoso.com",
    TENANT_TIME_ZONE: "Europe/London", TENANT_DATE_ORDER: "DMY",
    PSA_KIND: "connectwise", CONNECTWISE_BASE_URL: cw.apiBaseUrl, CONNECTWISE_COMPANY_ID: cw.credentials.companyId,
    CONNECTWISE_PUBLIC_KEY: cw.credentials.publicKey, CONNECTWISE_CLIENT_ID: cw.credentials.clientId, CONNECTWISE_PRIVATE_KEY: cw.credentials.privateKey,
    // The demo deployment's requester policy: the requester, Megan Bowen, is its Service Desk.
    POLICY_FILE: DEMO_POLICY_PATH,
  };
}

export async function startScheduleApp(shared: Shared, extra: Record<string, string> = {}): Promise<ScheduleApp> {
  const reports = new ClockQueue(shared.clock);
  const host = await composeFromSettings({ ...sharedEnv(shared), ...extra }, { clock: shared.clock, intentsDir: shared.intentsDir, reportQueue: reports });
  const events: Array<Record<string, unknown>> = [];
  const log = (_level: string, line: string) => {
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      events.push({ line });
    }
  };
  const deps = async () => host.deps;
  const server: LocalServer = await startLocalServer({ routes: appRoutes(deps, () => host.console()), maxBodyBytes: MAX_BODY_BYTES, log });
  const continuations = startQueuePoller({ queue: new QueueClient(shared.azurite.connectionString, CONTINUATION_QUEUE), handler: continuationHandler(deps), log, retryAfterSeconds: 0 }, false);
  const timer = scheduleTimerHandler(deps);
  const call = async (path: string, init: RequestInit, secret = SECRET) => {
    const response = await fetch(server.url + path, { ...init, headers: { "x-intent-secret": secret, "content-type": "application/json" } });
    return { status: response.status, body: await response.json() };
  };
  return {
    url: server.url, host, events,
    post: (body) => call("/api/intent", { method: "POST", body: JSON.stringify(body) }),
    getRun: (runId) => call(`/api/runs/${runId}`, { method: "GET" }),
    cancel: (runId, secret) => call(`/api/runs/${runId}/schedule`, { method: "DELETE" }, secret),
    async signIn() {
      const form = await fetch(`${server.url}/api/console/signin`, {
        method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ secret: SECRET }).toString(),
      });
      const cookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const page = await (await fetch(`${server.url}/api/console`, { headers: { cookie } })).text();
      return { cookie, token: /name="console-token" content="([^"]+)"/.exec(page)?.[1] ?? "" };
    },
    async console(path, session, method = "GET") {
      const headers: Record<string, string> = { cookie: session.cookie, ...(method === "POST" ? { "x-console-token": session.token } : {}) };
      const response = await fetch(server.url + path, { method, headers });
      return { status: response.status, body: await response.json() };
    },
    async tick() {
      await invokeTimer(timer, "startScheduledRuns", log);
      while ((await continuations.pollOnce()) > 0);
    },
    async deliverReports() {
      await reports.drain((raw) => handleReportMessage(host.reporting.delivery, raw, () => undefined));
    },
    async close() {
      await server.close();
      await host.close();
    },
  };
}

export function webhook(intentName: string, fields: Record<string, unknown>, ticketId: number) {
  return {
    intent_name: intentName,
    intent_fields: fields,
    meta_data: { ticket_id: ticketId, contact_name: "Megan Bowen", contact_email: "megan.bowen@contoso.com", company_name: "Contoso" },
  };
}
