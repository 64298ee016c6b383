/**
 * Everything `npm start` runs: the sandbox tenant (unless Graph is configured), the PSA simulators
 * (unless a PSA is configured), Azurite with its data under .azurite/ (unless storage is
 * configured), the Function App's handlers on a local port, the queue pollers that continue long
 * runs and deliver reports, the schedule timer that starts runs at their time, and the report
 * sweeper. One close() stops it all.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "../../../sandbox";
import type { PsaSandboxes } from "../../../sandbox/psa";
import { reportQueueHandler, reportSweepHandler } from "../functions/report-handlers";
import { approvalSweepHandler } from "../functions/approval-handlers";
import { abandonedSweepHandler } from "../functions/abandoned-runs-handler";
import { invokeTimer } from "../functions/invoke";
import { loadSettings } from "../config";
import { ensureIntentError } from "../../core/errors";
import { jsonEventSink } from "../../core/events";
import { lazyModule } from "../../core/lazy-module";
import { continuationHandler } from "../functions/handlers";
import { composeFromSettings } from "../compose/from-settings";
import { MAX_BODY_BYTES } from "../../inbound/webhook/body";
import { CONTINUATION_QUEUE } from "../../lifecycle/continue/continuation-queue";
import { queueClient } from "../../lifecycle/store/tables";
import { startAzurite, type RunningAzurite } from "./azurite";
import { appRoutes, startLocalServer } from "./http-adapter";
import { startQueuePoller } from "./queue-poller";
import { afterFirstAnswer } from "./first-answer";
import { localNotifications } from "./notifications";
import { SignInCodes } from "../../inbound/console/auth/sign-in-codes";
import { startSchedulePoller } from "./schedule-poller";
import { scheduleTimerHandler } from "../functions/schedule-handlers";

/** Only ever used when no INTENT_SHARED_SECRET is set, and printed at start: never for a deployment. */
export const LOCAL_DEV_SECRET = "local-dev-secret";
/** The same for the approval links' signing key (APPROVAL_SIGNING_KEY). */
export const LOCAL_DEV_APPROVAL_KEY = "local-dev-approval-signing-key";
// The checkout's root from the sources (engine/hosts/local) or from the compiled build
// (dist/engine/hosts/local), so both keep Azurite's data in the one `.azurite/`.
const REPO_ROOT = [join(__dirname, "..", "..", ".."), join(__dirname, "..", "..", "..", "..")].find((dir) => existsSync(join(dir, "package.json"))) ?? process.cwd();

/**
 * What the shipped intents and the failure mail need, set for the demo tenant unless the
 * environment says otherwise, so every intent runs under `npm start` with no settings at all.
 */
export const DEMO_TENANT_SETTINGS: Readonly<Record<string, string>> = {
  // The sandbox's Automation account answers for any coordinates; these only have to be set.
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-00000000a11e",
  AZURE_RESOURCE_GROUP: "rg-sandbox",
  AUTOMATION_ACCOUNT_NAME: "aa-sandbox",
  NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com",
  NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
  HELPDESK_EMAIL: "grace.taylor@contoso.com",
  MAIL_SENDER: "isaiah.langer@contoso.com",
  // License Assignment and New User Creation give a user without one this usage location.
  DEFAULT_USAGE_LOCATION: "US",
  // The Exchange intents' route: the sandbox's admin API (EXCHANGE_MODE=runbook tries the other).
  EXCHANGE_MODE: "api",
};

/** Azurite stands in only when neither a connection string nor identity-based storage is configured. */
function storageConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.AzureWebJobsStorage) || loadSettings(env).storage.kind === "identity";
}

/**
 * Continuations the local poller runs at once (CONTINUATION_CONCURRENCY, default 4): the local
 * stand-in for host.json's queue `batchSize`, which decides it in Azure.
 */
function continuationConcurrency(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.CONTINUATION_CONCURRENCY ?? "4");
  if (!Number.isInteger(value) || value < 1) throw new Error(`CONTINUATION_CONCURRENCY must be a whole number of at least 1, not "${env.CONTINUATION_CONCURRENCY}"`);
  return Math.min(value, 16);
}

export interface DevStackOptions {
  env: Readonly<Record<string, string | undefined>>;
  port: number;
  host?: string;
  /** Sandbox fixture path; default the demo tenant. */
  fixture?: string;
  /** Azurite data folder; default <repo>/.azurite. `null` keeps it in memory (tests). */
  azuriteLocation?: string | null;
  log?: (line: string) => void;
}

export interface DevStack {
  url: string;
  sharedSecret: string;
  /** What was started or used, one line each, for the start banner. */
  describe: string[];
  /**
   * The change-notification lines for the banner, once the subscriptions are reconciled: after the
   * server's first answer, or a second after it listens when no request comes (./first-answer.ts).
   */
  subscriptions: Promise<string[]>;
  /** The PSA simulators, when no PSA is configured. */
  psa?: PsaSandboxes;
  /** A fresh one-time link that signs a browser in to the console (`/api/console`), as the local operator or as `actingAs` (an address). */
  consoleSignInLink(actingAs?: string): string;
  /** Delivers the report outbox's visible messages now, rather than at the poller's next turn. */
  drainReports(): Promise<number>;
  /** Runs the visible continuations (long runs, console retries) now, rather than at the poller's next turn. */
  drainContinuations(): Promise<number>;
  close(): Promise<void>;
}

function usesRealGraph(env: DevStackOptions["env"]): boolean {
  return Boolean(env.GRAPH_BASE_URL || env.AZURE_CLIENT_ID || env.GRAPH_ACCESS_TOKEN);
}

function usesRealPsa(env: DevStackOptions["env"]): boolean {
  return Boolean(env.CONNECTWISE_BASE_URL || env.AUTOTASK_USERNAME || env.HALOPSA_BASE_URL);
}

/** The settings that point the engine at running PSA simulators; all three are configured, so PSA_KIND alone switches. */
export function psaSimulatorSettings(psas: PsaSandboxes, kind = "connectwise"): Record<string, string> {
  const { connectwise: cw, autotask: at, halopsa: halo } = psas;
  return {
    PSA_KIND: kind,
    CONNECTWISE_BASE_URL: cw.apiBaseUrl, CONNECTWISE_COMPANY_ID: cw.credentials.companyId, CONNECTWISE_PUBLIC_KEY: cw.credentials.publicKey,
    CONNECTWISE_CLIENT_ID: cw.credentials.clientId, CONNECTWISE_PRIVATE_KEY: cw.credentials.privateKey,
    AUTOTASK_USERNAME: at.credentials.userName, AUTOTASK_INTEGRATION_CODE: at.credentials.integrationCode, AUTOTASK_SECRET: at.credentials.secret,
    AUTOTASK_ZONE_LOOKUP_URL: at.zoneLookupUrl,
    HALOPSA_BASE_URL: halo.url, HALOPSA_CLIENT_ID: halo.credentials.clientId, HALOPSA_CLIENT_SECRET: halo.credentials.clientSecret,
  };
}

/** How often `npm start` sweeps the report outbox, the approvals and abandoned runs (the Function App's timers run every five minutes). */
const LOCAL_SWEEP_MS = 5 * 60_000;

/** With no request to answer first, the change-notification subscriptions are made this long after the server listens. */
const SUBSCRIBE_WHEN_QUIET_MS = 1_000;

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const env: Record<string, string | undefined> = { ...options.env };
  const describe: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    let sandbox: Sandbox | undefined;
    if (!usesRealGraph(env)) {
      // The simulators load only when they run: a server pointed at real services never pays for them.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startSandbox, DEMO_POLICY_PATH } = await lazyModule(() => require("../../../sandbox") as typeof import("../../../sandbox"), () => import("../../../sandbox/index.js"));
      sandbox = await startSandbox(options.fixture ? { fixture: options.fixture } : {});
      closers.push(() => sandbox!.close());
      Object.assign(env, {
        GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
        EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
      });
      for (const [name, value] of Object.entries(DEMO_TENANT_SETTINGS)) env[name] ??= value;
      // The demo tenant's requester policy names its groups: only for the demo tenant itself.
      if (!options.fixture) env.POLICY_FILE ??= DEMO_POLICY_PATH;
      describe.push(`sandbox tenant: Graph ${sandbox.graphBaseUrl} (control ${sandbox.url}/_sandbox/requests)`);
    } else {
      describe.push(`Graph: ${env.GRAPH_BASE_URL ?? "https://graph.microsoft.com/v1.0"}`);
    }
    let psas: PsaSandboxes | undefined;
    if (!usesRealPsa(env)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startPsaSandboxes } = await lazyModule(() => require("../../../sandbox/psa") as typeof import("../../../sandbox/psa"), () => import("../../../sandbox/psa/index.js"));
      psas = await startPsaSandboxes();
      const started = psas;
      closers.push(() => started.close());
      Object.assign(env, psaSimulatorSettings(psas, env.PSA_KIND));
      const { connectwise: cw, autotask: at, halopsa: halo } = psas;
      describe.push(`PSA simulators: ConnectWise Manage ${cw.url}, Autotask ${at.url}, HaloPSA ${halo.url} (notes: <url>/_sandbox/tickets; PSA_KIND=${env.PSA_KIND})`);
    }
    if (!storageConfigured(env)) {
      const location = options.azuriteLocation === undefined ? join(REPO_ROOT, ".azurite") : options.azuriteLocation ?? undefined;
      const azurite: RunningAzurite = await startAzurite(location ? { location } : {});
      closers.push(() => azurite.close());
      env.AzureWebJobsStorage = azurite.connectionString;
      describe.push(`Azurite: tables ${azurite.tableUrl}, queues ${azurite.queueUrl}${location ? `, data in ${location}` : ""}`);
    } else {
      describe.push("storage: AzureWebJobsStorage settings");
    }
    describe.push(`requester policy: ${env.POLICY_FILE ?? "policy.yaml beside intents/, else the built-in rules"}`);
    env.INTENT_SHARED_SECRET ??= LOCAL_DEV_SECRET;
    env.APPROVAL_SIGNING_KEY ??= LOCAL_DEV_APPROVAL_KEY;
    const signInCodes = new SignInCodes(() => Date.now());
    // Composed before any request, so its events (where the catalogue came from) go to the log.
    // Approval links point at this server, whose port is known once it listens.
    let serverUrl = "";
    const host = await composeFromSettings(env, {
      console: { signInCodes }, events: jsonEventSink((line) => options.log?.(line)),
      publicUrl: () => env.APPROVAL_BASE_URL?.replace(/\/+$/, "") || serverUrl,
    });
    closers.push(() => host.close());
    const deps = async () => host.deps;
    const log = (_level: string, line: string) => options.log?.(line);
    const notifications = localNotifications(env, host, log);
    const server = await startLocalServer({
      routes: [
        ...appRoutes(deps, () => host.console()),
        notifications.route,
      ],
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      maxBodyBytes: MAX_BODY_BYTES,
      log,
    });
    closers.push(() => server.close());
    serverUrl = server.url;
    // The pipeline created the queue while composing: no second round trip before the first answer.
    const queue = queueClient(loadSettings(env).storage, CONTINUATION_QUEUE);
    const poller = startQueuePoller({ queue, handler: continuationHandler(deps), log, concurrency: continuationConcurrency(env) });
    closers.push(() => poller.stop());
    const schedules = startSchedulePoller({ handler: scheduleTimerHandler(deps), log });
    closers.push(() => schedules.stop());
    const reportDeps = async () => host.reporting.delivery;
    const reports = startQueuePoller({ queue: host.reporting.queueClient, handler: reportQueueHandler(reportDeps), log, functionName: "deliverReport" });
    closers.push(() => reports.stop());
    const sweep = reportSweepHandler(reportDeps);
    const sweeper = setInterval(() => {
      void invokeTimer(sweep, "sweepReports", log).catch(() => undefined);
    }, LOCAL_SWEEP_MS);
    sweeper.unref();
    closers.push(async () => clearInterval(sweeper));
    describe.push(host.reporting.describe);
    const approvals = setInterval(() => {
      void invokeTimer(approvalSweepHandler(deps), "sweepApprovals", log).catch(() => undefined);
    }, LOCAL_SWEEP_MS);
    approvals.unref();
    closers.push(async () => clearInterval(approvals));
    const abandoned = setInterval(() => {
      void invokeTimer(abandonedSweepHandler(deps), "sweepAbandonedRuns", log).catch(() => undefined);
    }, LOCAL_SWEEP_MS);
    abandoned.unref();
    closers.push(async () => clearInterval(abandoned));
    describe.push(host.approvals);
    // Graph's handshake and the subscription rows take a few round trips: they follow the first
    // answer (./first-answer.ts). A failure is a line in the banner, not a server that does not start.
    const upkeep = afterFirstAnswer(server.server, SUBSCRIBE_WHEN_QUIET_MS);
    let closing = false;
    const subscriptions = upkeep.ready
      .then(() => (closing ? [] : notifications.start(server.url)))
      .catch((error: unknown) => [`change notifications: not subscribed (${ensureIntentError(error).code})`]);
    closers.push(async () => {
      closing = true;
      upkeep.cancel();
      await subscriptions;
      await notifications.close();
    });
    return {
      url: server.url, sharedSecret: env.INTENT_SHARED_SECRET, describe, subscriptions, ...(psas ? { psa: psas } : {}),
      consoleSignInLink: (actingAs?: string) => `${server.url}/api/console/signin?code=${signInCodes.issue()}${actingAs ? `&as=${encodeURIComponent(actingAs)}` : ""}`,
      drainReports: () => reports.pollOnce(), drainContinuations: () => poller.pollOnce(), close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
