/**
 * The whole product over real HTTP for recovery tests: the local adapter serving the real handlers,
 * the real engine and shipped intents, the Graph and Automation clients against a sandbox tenant
 * (with its fault rules), the run store on Azurite, and a manual clock shared with the sandbox.
 * Continuations are held in memory and played on demand, so a test decides when "the queue"
 * delivers them (a queue's visibility delay is wall time, which tests do not wait for).
 */
import { composeFromSettings, type ComposedHost } from "../../engine/hosts/compose/from-settings";
import { appRoutes, startLocalServer, type LocalServer } from "../../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../../engine/inbound/webhook/body";
import { handleContinuation } from "../../engine/lifecycle/continue/continuation";
import type { ContinuationMessage, ContinuationQueue } from "../../engine/lifecycle/continue/types";
import { continuationWire, type ContinuationWire } from "../../engine/lifecycle/continue/continuation-queue";
import type { PipelineDeps } from "../../engine/lifecycle/types";
import { DEMO_POLICY_PATH, startSandbox, type FaultRuleInput, type IssuedCredential, type Sandbox } from "../../sandbox";
import type { Clock } from "../../engine/runtime/types";
import type { OutboxQueue } from "../../engine/lifecycle/report/outbox-queue";
import type { AbandonedSweepReport } from "../../engine/lifecycle/continue/abandoned";
import { abandonedSweepHandler } from "../../engine/hosts/functions/abandoned-runs-handler";
import { invokeTimer } from "../../engine/hosts/functions/invoke";
import { createManualClock } from "./manual-clock";

export const RECOVERY_SECRET = "recovery-stack-shared-secret";
export const HELPDESK = "grace.taylor@contoso.com";

/** Continuation messages as a queue would hold them (sealed), each with its delivery count. */
export class HeldQueue implements ContinuationQueue {
  readonly messages: Array<{ runId: string; wire: ContinuationWire; deliveries: number; delayMs: number }> = [];
  failing = false;

  async send(message: ContinuationMessage, delayMs: number): Promise<void> {
    if (this.failing) throw new Error("queue unavailable");
    this.messages.push({ runId: message.runId, wire: continuationWire(message, RECOVERY_SECRET), deliveries: 0, delayMs });
  }
}

export interface RecoveryStack {
  url: string;
  sandbox: Sandbox;
  host: ComposedHost;
  deps: PipelineDeps;
  clock: Clock & { advance?(ms: number): void };
  queue: HeldQueue;
  /** Every password a user was given and every pass issued, in order. */
  credentials: IssuedCredential[];
  logs: string[];
  post(body: unknown): Promise<{ status: number; body: any }>;
  getRun(runId: string): Promise<{ status: number; body: any }>;
  /** Delivers each held continuation once; one that throws stays held (as on a queue). Returns how many ended. */
  continueRuns(): Promise<number>;
  /** One tick of the abandoned-run sweep timer, through its Functions handler. */
  sweepAbandoned(): Promise<AbandonedSweepReport>;
  faults(rules: FaultRuleInput[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** Mail the sandbox accepted for a recipient. */
  mailTo(address: string): Array<{ subject: string; content: string }>;
  close(): Promise<void>;
}

export interface RecoveryStackOptions {
  storage: string;
  env?: Record<string, string>;
  /** Default: a manual clock at the current time. */
  clock?: Clock & { advance?(ms: number): void };
  /** A sandbox another part of the test started (its credentials are then that test's to watch). */
  sandbox?: Sandbox;
  /** Replaces the report outbox's storage queue (a queue on the test's clock). */
  reportQueue?: OutboxQueue;
}

export async function startRecoveryStack(options: RecoveryStackOptions): Promise<RecoveryStack> {
  const clock = options.clock ?? createManualClock(Date.now());
  const credentials: IssuedCredential[] = [];
  const ownSandbox = options.sandbox === undefined;
  const sandbox = options.sandbox ?? await startSandbox({ now: clock.now, onCredential: (issued) => credentials.push(issued) });
  let host: ComposedHost | undefined;
  let server: LocalServer | undefined;
  try {
    host = await composeFromSettings({
      AzureWebJobsStorage: options.storage,
      GRAPH_BASE_URL: sandbox.graphBaseUrl,
      GRAPH_ACCESS_TOKEN: "sandbox-token",
      ARM_BASE_URL: sandbox.armBaseUrl,
      ARM_ACCESS_TOKEN: "sandbox-arm-token",
      // Exchange intents take the admin API by default (EXCHANGE_MODE api): the sandbox's.
      EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl,
      EXCHANGE_ACCESS_TOKEN: "sandbox-exchange-token",
      EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
      AZURE_SUBSCRIPTION_ID: "00000000-0000-4000-8000-00000000c0de",
      AZURE_RESOURCE_GROUP: "rg-recovery",
      AUTOMATION_ACCOUNT_NAME: "aa-recovery",
      INTENT_SHARED_SECRET: RECOVERY_SECRET,
      NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com",
      NOTIFICATION_EMAIL: "megan.bowen@contoso.com",
      HELPDESK_EMAIL: HELPDESK,
      MAIL_SENDER: "isaiah.langer@contoso.com",
      DEFAULT_USAGE_LOCATION: "US",
      // The demo deployment's requester policy: the requester, Megan Bowen, is its Service Desk.
      POLICY_FILE: DEMO_POLICY_PATH,
      ...options.env,
    }, { clock, ...(options.reportQueue ? { reportQueue: options.reportQueue } : {}) });
    const queue = new HeldQueue();
    const deps: PipelineDeps = { ...host.deps, queue };
    const logs: string[] = [];
    server = await startLocalServer({ routes: appRoutes(async () => deps), maxBodyBytes: MAX_BODY_BYTES, log: (_level, line) => logs.push(line) });
    const url = server.url;
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(url + path, { ...init, headers: { "content-type": "application/json", "x-intent-secret": RECOVERY_SECRET } });
      return { status: response.status, body: await response.json() };
    };
    const events = (event: string, fields: Record<string, unknown>) => void logs.push(JSON.stringify({ event, ...fields }));
    const control = async (method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${sandbox.url}/_sandbox${path}`, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
      if (answer.status >= 300) throw new Error(`sandbox ${method} ${path}: ${answer.status} ${await answer.text()}`);
    };
    const closing = { host, server };
    return {
      url, sandbox, host, deps, clock, queue, credentials, logs,
      post: (body) => call("/api/intent", { method: "POST", body: JSON.stringify(body) }),
      getRun: (runId) => call(`/api/runs/${runId}`),
      async continueRuns() {
        let ended = 0;
        for (const message of queue.messages.splice(0)) {
          message.deliveries++;
          clock.advance?.(message.delayMs);
          try {
            await handleContinuation(deps, message.wire, message.deliveries, events);
            ended++;
          } catch {
            queue.messages.push({ ...message, delayMs: 0 });
          }
        }
        return ended;
      },
      sweepAbandoned: async () => (await invokeTimer(abandonedSweepHandler(async () => deps), "sweepAbandonedRuns", (_level, line) => void logs.push(line))) as AbandonedSweepReport,
      faults: (rules) => control("POST", "/faults", { rules }),
      clearFaults: () => control("DELETE", "/faults"),
      mailTo: (address) =>
        sandbox.tenant.sentMail
          .filter((mail) => JSON.stringify(mail.message.toRecipients ?? []).toLowerCase().includes(address.toLowerCase()))
          .map((mail) => ({ subject: String(mail.message.subject ?? ""), content: String(mail.message.body?.content ?? "") })),
      async close() {
        await closing.server.close();
        await closing.host.close();
        if (ownSandbox) await sandbox.close();
      },
    };
  } catch (error) {
    await server?.close();
    await host?.close();
    if (ownSandbox) await sandbox.close();
    throw error;
  }
}

export function webhookFor(intentName: string, fields: Record<string, unknown>, ticketId: number) {
  return {
    intent_name: intentName,
    intent_fields: fields,
    meta_data: { ticket_id: ticketId, contact_name: "Megan Bowen", contact_email: "megan.bowen@contoso.com", company_name: "Contoso" },
  };
}
