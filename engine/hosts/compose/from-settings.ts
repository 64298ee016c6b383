/**
 * The real composition: settings and secrets → Graph, Exchange and Automation clients → step kinds → intent
 * catalogue → reporting back → run store → pipeline. Used by the Function App (from process.env)
 * and by `intents serve`.
 */
import { automationClientFromSettings } from "../../clients/arm";
import { createTokenProvider } from "../../clients/graph/auth";
import { createGraphClient } from "../../clients/graph/client";
import { exchangeClientFromSettings } from "../../clients/exchange/settings";
import type { GraphClient } from "../../clients/graph/types";
import { systemClock, type Clock } from "../../core/clock";
import { ambientEvents } from "../../core/current-events";
import type { EventSink } from "../../core/events";
import { builtinKinds } from "../../kinds";
import { DEFAULT_INTENTS_DIR } from "../../language/spec/files";
import { loadStartupCatalog } from "../../language/spec/startup";
import type { Catalog } from "../../language/spec/types";
import type { PipelineDeps } from "../../lifecycle/types";
import { intentSecretReader, keyVaultReader, loadSettings, SecretSettings } from "../config";
import type { DepsProvider } from "../functions/adapt";
import { catalogEngine } from "./catalog-engine";
import { composeApprovals } from "./approvals";
import { approvalsPort } from "./approvals-port";
import { composePipeline } from "./pipeline";
import { policyGate } from "./policy";
import { composeReporting, type ComposedReporting } from "./report";
import { scheduledRunsPort } from "../../lifecycle/schedule/port";
import { schedulesPort } from "./schedules-port";
import type { OutboxQueue } from "../../lifecycle/report/outbox-queue";
import type { ReportDepsProvider } from "../functions/report-handlers";
import type { ConsoleDeps } from "../../inbound/console/types";
import { composeConsole, type ConsoleParts } from "./console";
import { undoPort } from "./undo-port";
import { BoundUndoService } from "./undo-service";

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposedHost {
  deps: PipelineDeps;
  /** The Graph client the kinds, the failure mail and change notifications share. */
  graph: GraphClient;
  catalog: Catalog;
  /** Reporting back: the outbox's delivery deps (queue trigger, sweeper) and its storage queue. */
  reporting: ComposedReporting;
  /** The operator console, composed on its first request (the webhook's cold start does not wait for it). */
  console(): Promise<ConsoleDeps>;
  /** One line for the start banner: whether approvals are on, and how. */
  approvals: string;
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** Intent folder; default the repository's intents/. */
  intentsDir?: string;
  /** A catalogue snapshot of that folder and the engine identity it was made for; default the build's (dist/catalog-snapshot.json). */
  catalogSnapshot?: { path: string; engine: string };
  clock?: Clock;
  /** Replaces the report outbox's storage queue (tests on a manual clock). */
  reportQueue?: OutboxQueue;
  /** The console's local sign-in links and its approval, schedule and undo ports. */
  console?: ConsoleParts;
  /** Where composition's own events go (the catalogue's source); default: the invocation composing it. */
  events?: EventSink;
  /** The host's public address when the settings cannot know it (the local server's port); approval links start with it. */
  publicUrl?: () => string;
}

export async function composeFromSettings(env: Env, options: ComposeOptions = {}): Promise<ComposedHost> {
  const clock = options.clock ?? systemClock;
  const settings = loadSettings(env);
  const vault = settings.keyVaultUrl ? await keyVaultReader(settings.keyVaultUrl) : undefined;
  const secrets = new SecretSettings(env, vault, settings.secretCacheMs, () => clock.now());
  await secrets.require("INTENT_SHARED_SECRET"); // refuse to start without it
  const sharedSecret = () => secrets.require("INTENT_SHARED_SECRET");
  const identity = { ...settings.plain, ...(await secrets.all()) };
  const tokens = createTokenProvider(identity, settings.graphBaseUrl, { clock });
  // One client per process; its request and retry events go to the invocation they happen in.
  const graph = createGraphClient({ baseUrl: settings.graphBaseUrl, tokens, clock, events: ambientEvents, connections: settings.graphConcurrency });
  // Built either way, and idle until a cmdlet runs: with EXCHANGE_MODE=runbook none does.
  const exchange = exchangeClientFromSettings(identity, { clock, events: ambientEvents });
  // The ARM token goes to the Automation client alone: intents read plain settings only, so no
  // credential is reachable from a template.
  const armToken = await secrets.get("ARM_ACCESS_TOKEN");
  const automation = automationClientFromSettings({ ...settings.plain, ...(armToken ? { ARM_ACCESS_TOKEN: armToken } : {}) }, { events: ambientEvents });
  let pipeline: PipelineDeps | undefined;
  const undo = new BoundUndoService();
  const kinds = builtinKinds({ graph, automation, exchange, schedules: scheduledRunsPort(() => pipeline), undo });
  const intentsDir = options.intentsDir ?? DEFAULT_INTENTS_DIR;
  const snapshot = options.catalogSnapshot ? { snapshotPath: options.catalogSnapshot.path, engine: options.catalogSnapshot.engine } : {};
  const catalog = await loadStartupCatalog(kinds, { dir: intentsDir, ...snapshot, events: options.events ?? ambientEvents });
  const engine = catalogEngine(catalog, policyGate(settings, catalog, intentsDir, graph), settings.calendar);
  // Independent of each other: their tables and queue are created in one round of storage calls, not two.
  const [reporting, approvals] = await Promise.all([
    composeReporting(env, settings, { graph, clock, secrets, ...(options.reportQueue ? { queue: options.reportQueue } : {}) }),
    composeApprovals(env, settings, { graph, secrets, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) }),
  ]);
  const deps = await composePipeline(settings, {
    engine, kinds, graph, clock, sharedSecret, intentSettings: settings.plain, intentSecrets: intentSecretReader(secrets), reporter: reporting.reporter, undo,
    ...(approvals.approvals ? { approvals: approvals.approvals } : {}),
  });
  pipeline = deps;
  let consoleDeps: Promise<ConsoleDeps> | undefined;
  return {
    deps, graph, catalog, reporting, approvals: approvals.describe,
    console: () => {
      // Scheduling and undo are part of every host, approvals where they are configured; a test's own ports still win.
      const ports = { schedules: schedulesPort(deps), undo: undoPort(deps), ...(deps.approvals ? { approvals: approvalsPort(deps) } : {}), ...options.console?.ports };
      consoleDeps ??= composeConsole(env, settings, deps, { ...options.console, ports }).catch((error: unknown) => {
        consoleDeps = undefined;
        throw error;
      });
      return consoleDeps;
    },
    close: async () => {
      await reporting.close();
      await graph.close();
      await exchange.close();
    },
  };
}

let processHost: Promise<ComposedHost> | undefined;

/** The Function App's host, composed on first use from the app settings and kept for the process. */
export function processComposedHost(): Promise<ComposedHost> {
  processHost ??= composeFromSettings(process.env).catch((error: unknown) => {
    processHost = undefined; // a missing setting fixed later must not need a restart
    throw error;
  });
  return processHost;
}

export const processDeps: DepsProvider = async () => (await processComposedHost()).deps;

/** The operator console's endpoints, over the same host. */
export const processConsole = async (): Promise<ConsoleDeps> => (await processComposedHost()).console();

/** The report outbox's queue trigger and sweeper, over the same host. */
export const processReporting: ReportDepsProvider = async () => (await processComposedHost()).reporting.delivery;
