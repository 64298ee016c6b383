/**
 * One Function App over real HTTP: the local adapter serving the real handlers, the run store on
 * Azurite, Graph on a loopback server, the engine faked (until the core lands), the clock manual.
 */
import { automationClientFromSettings } from "../../../engine/clients/arm";
import { builtinKinds } from "../../../engine/kinds";
import { QueueClient } from "@azure/storage-queue";
import { loadSettings } from "../../../engine/hosts/config";
import { continuationHandler } from "../../../engine/hosts/functions/handlers";
import { composePipeline } from "../../../engine/hosts/compose/pipeline";
import { appRoutes, startLocalServer, type LocalServer } from "../../../engine/hosts/local/http-adapter";
import { startQueuePoller, type QueuePoller } from "../../../engine/hosts/local/queue-poller";
import { MAX_BODY_BYTES } from "../../../engine/inbound/webhook/body";
import type { PipelineDeps } from "../../../engine/lifecycle/types";
import { CONTINUATION_QUEUE } from "../../../engine/lifecycle/continue/continuation-queue";
import { createManualClock, type ManualClock } from "../../support/manual-clock";
import type { FakeEngine } from "./fake-engine";
import type { GraphClient } from "../../../engine/clients/graph/types";

export const SECRET = "test-shared-secret-4c1d";

export interface App {
  url: string;
  deps: PipelineDeps;
  clock: ManualClock;
  logs: string[];
  poller: QueuePoller;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  getRun(runId: string, secret?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface AppOptions {
  connectionString: string;
  engine: FakeEngine;
  graph: GraphClient;
  env?: Record<string, string>;
  clock?: ManualClock;
}

export async function startApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? createManualClock(Date.now());
  const settings = loadSettings({
    AzureWebJobsStorage: options.connectionString,
    NOTIFICATION_MAILBOX: "automation@contoso.com",
    NOTIFICATION_EMAIL: "ops@contoso.com, lead@contoso.com",
    RUN_BUDGET_MS: "5000",
    RUN_LEASE_MS: "60000",
    ...options.env,
  });
  const deps = await composePipeline(settings, {
    engine: options.engine, kinds: builtinKinds({ graph: options.graph, automation: automationClientFromSettings({}) }), graph: options.graph,
    clock, sharedSecret: async () => SECRET, intentSettings: {},
  });
  const logs: string[] = [];
  const log = (_level: string, line: string) => { logs.push(line); };
  const provider = async () => deps;
  const server: LocalServer = await startLocalServer({
    routes: appRoutes(provider),
    maxBodyBytes: MAX_BODY_BYTES,
    log,
  });
  const queue = new QueueClient(options.connectionString, CONTINUATION_QUEUE);
  const poller = startQueuePoller({ queue, handler: continuationHandler(provider), log, retryAfterSeconds: 0 }, false);
  async function call(path: string, init: RequestInit) {
    const response = await fetch(server.url + path, init);
    return { status: response.status, body: await response.json() };
  }
  return {
    url: server.url, deps, clock, logs, poller,
    post: (body, headers = { "x-intent-secret": SECRET }) =>
      call("/api/intent", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }),
    getRun: (runId, secret = SECRET) => call(`/api/runs/${runId}`, { headers: { "x-intent-secret": secret } }),
    close: () => server.close(),
  };
}

/** A webhook as Thread sends it; `requester` is meta_data.contact_email (judged by requester policy). */
export function webhook(intentName: string, fields: Record<string, unknown>, ticketId: number | string = 4711, requester = "adele.vance@contoso.com") {
  return {
    intent_name: intentName,
    intent_fields: fields,
    meta_data: { ticket_id: ticketId, contact_name: "Adele Vance", contact_email: requester, company_name: "Contoso" },
  };
}
