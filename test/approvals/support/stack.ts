/**
 * The Function App over real HTTP for approval tests: local adapter → handlers → pipeline → the
 * shipped intents under the demo deployment's policy → the sandbox tenant; the run store, the
 * approvals and the continuation queue on Azurite; requester mail through the report outbox (on
 * the test's clock); the clock manual, so an approval expires when the test says.
 */
import { QueueClient } from "@azure/storage-queue";
import { composeFromSettings, type ComposedHost } from "../../../engine/hosts/compose/from-settings";
import { continuationHandler } from "../../../engine/hosts/functions/handlers";
import { approvalSweepHandler } from "../../../engine/hosts/functions/approval-handlers";
import { invokeTimer } from "../../../engine/hosts/functions/invoke";
import { appRoutes, startLocalServer, type LocalServer } from "../../../engine/hosts/local/http-adapter";
import { startQueuePoller, type QueuePoller } from "../../../engine/hosts/local/queue-poller";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import { CONTINUATION_QUEUE } from "../../../engine/lifecycle/continue/continuation-queue";
import { handleReportMessage } from "../../../engine/lifecycle/report";
import { findCmdlet } from "../../../engine/contracts/exchange-cmdlets";
import { DEMO_POLICY_PATH, type RequestLogEntry, type Sandbox, type SentMail } from "../../../sandbox";
import type { RunningAzurite } from "../../support/azurite";
import type { ManualClock } from "../../support/manual-clock";
import { ClockQueue } from "../../lifecycle/report/clock-queue";

export const SECRET = "approvals-test-secret-2b7d";
export const SIGNING_KEY = "approvals-test-signing-key-5e1c9a";
/** The notification mailbox approval mails are sent from (the demo tenant's reception desk). */
export const MAILBOX = "reception@contoso.com";

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the answer's JSON
  body: any;
}

export interface Page {
  status: number;
  headers: Headers;
  html: string;
}

export interface ApprovalStack {
  url: string;
  host: ComposedHost;
  events: Array<Record<string, unknown>>;
  post(intentName: string, fields: Record<string, unknown>, requester: string, ticketId: number): Promise<Answer>;
  getRun(runId: string): Promise<Answer>;
  open(link: string): Promise<Page>;
  /** Posts the page's own form back with `decision` (as the Approve / Deny buttons do). */
  decide(page: Page, decision: "approve" | "deny", comment?: string, headers?: Record<string, string>): Promise<Page>;
  /** Runs the continuation queue until it is empty. */
  continueRuns(): Promise<void>;
  /** Delivers the report outbox (requester mail) now due. */
  deliverReports(): Promise<void>;
  sweep(): Promise<unknown>;
  close(): Promise<void>;
}

export interface StackOptions {
  sandbox: Sandbox;
  azurite: RunningAzurite;
  clock: ManualClock;
  env?: Record<string, string>;
}

export async function startApprovalStack(options: StackOptions): Promise<ApprovalStack> {
  const { sandbox, azurite, clock } = options;
  let server: LocalServer | undefined;
  const reports = new ClockQueue(clock);
  const host = await composeFromSettings({
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
    AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555", AZURE_RESOURCE_GROUP: "rg-intents", AUTOMATION_ACCOUNT_NAME: "aa-intents",
    INTENT_SHARED_SECRET: SECRET, APPROVAL_SIGNING_KEY: SIGNING_KEY,
    NOTIFICATION_MAILBOX: MAILBOX, NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    MAIL_SENDER: MAILBOX, HELPDESK_EMAIL: "grace.taylor@contoso.com", DEFAULT_USAGE_LOCATION: "US",
    POLICY_FILE: DEMO_POLICY_PATH, REPORT_REQUESTER_EMAIL: "true",
    ...options.env,
  }, { clock, reportQueue: reports, publicUrl: () => server?.url ?? "" });
  const events: Array<Record<string, unknown>> = [];
  const log = (_level: string, line: string) => {
    events.push(JSON.parse(line) as Record<string, unknown>);
  };
  const deps = async () => host.deps;
  server = await startLocalServer({ routes: appRoutes(deps), maxBodyBytes: MAX_BODY_BYTES, log });
  const url = server.url;
  const continuations: QueuePoller = startQueuePoller({ queue: new QueueClient(azurite.connectionString, CONTINUATION_QUEUE), handler: continuationHandler(deps), log, retryAfterSeconds: 0 }, false);
  const json = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(url + path, init);
    return { status: response.status, body: await response.json() };
  };
  const page = async (target: string, init: RequestInit = {}): Promise<Page> => {
    const response = await fetch(target, { redirect: "manual", ...init });
    return { status: response.status, headers: response.headers, html: await response.text() };
  };
  return {
    url, host, events,
    post: (intentName, fields, requester, ticketId) => json("/api/intent", {
      method: "POST",
      headers: { "content-type": "application/json", "x-intent-secret": SECRET },
      body: JSON.stringify({ intent_name: intentName, intent_fields: fields, meta_data: { ticket_id: ticketId, contact_name: requester.split("@")[0], contact_email: requester, company_name: "Contoso" } }),
    }),
    getRun: (runId) => json(`/api/runs/${runId}`, { headers: { "x-intent-secret": SECRET } }),
    open: (link) => page(link),
    decide: (opened, decision, comment, headers = {}) => {
      const action = /<form method="post" action="([^"]+)"/.exec(opened.html)?.[1] ?? "";
      const hidden = Object.fromEntries([...opened.html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], unescapeHtml(m[2] as string)]));
      const form = new URLSearchParams({ ...hidden, decision, ...(comment === undefined ? {} : { comment }) });
      return page(url + action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: url, ...headers }, body: form.toString() });
    },
    async continueRuns() {
      for (let round = 0; round < 10; round++) if ((await continuations.pollOnce()) === 0) return;
    },
    async deliverReports() {
      for (let round = 0; round < 20 && (await reports.step((raw) => handleReportMessage(host.reporting.delivery, raw, () => undefined))); round++);
    },
    sweep: () => invokeTimer(approvalSweepHandler(deps), "sweepApprovals", log),
    async close() {
      await server?.close();
      await host.close();
    },
  };
}

export function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** The approval mails to `address` (newest last), and the link in each. */
export function approvalMails(sandbox: Sandbox, address: string): Array<{ mail: SentMail; link: string }> {
  return sandbox.tenant.sentMail
    .filter((mail) => mail.message.subject?.startsWith("Approval needed") && mail.message.toRecipients?.some((r) => r.emailAddress.address === address))
    .map((mail) => ({ mail, link: unescapeHtml(/<a href="([^"]+)"/.exec(String(mail.message.body?.content ?? ""))?.[1] ?? "") }));
}

/**
 * Changes to the directory and mailboxes (not mail): anything but a GET or an Exchange cmdlet the
 * contract lists as read-only (a POST on the wire: a plan reads the leaver's devices that way),
 * `$batch` envelopes counted through their items, sendMail left out.
 */
export function tenantWrites(sandbox: Sandbox, from = 0): RequestLogEntry[] {
  return sandbox.requests().slice(from).filter((r) => r.method !== "GET" && r.path !== "/v1.0/$batch" && !r.path.endsWith("/sendMail") && !exchangeRead(r));
}

function exchangeRead(request: RequestLogEntry): boolean {
  if (!request.path.endsWith("/InvokeCommand")) return false;
  const name = (request.body as { CmdletInput?: { CmdletName?: unknown } } | undefined)?.CmdletInput?.CmdletName;
  return typeof name === "string" && findCmdlet(name)?.readOnly === true;
}

/** The text a page shows, tags dropped, entities read. */
export function textOf(html: string): string {
  const inline = /<\/?(?:span|b|ins|del)\b[^>]*>/g;
  return unescapeHtml(html.replace(/<style>[\s\S]*?<\/style>/g, "").replace(inline, "").replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim();
}
