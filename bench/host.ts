/**
 * How the bench assembles the real engine and pipeline: the catalogue as the pipeline's engine (engine/hosts/compose),
 * production Graph and Automation clients pointed at a sandbox, a clock whose sleeps cost no time,
 * and the run store in memory or on Azurite.
 */
import { createAutomationClient, readAutomationSettings } from "../engine/clients/arm";
import type { AutomationClient } from "../engine/clients/arm/types";
import { createExchangeClient } from "../engine/clients/exchange";
import type { ExchangeClient } from "../engine/clients/exchange/types";
import { createGraphClient } from "../engine/clients/graph";
import type { GraphClient } from "../engine/clients/graph/types";
import { DEFAULT_INTENTS_DIR, type Catalog, type CompiledIntent } from "../engine/index";
import { catalogEngine } from "../engine/hosts/compose/catalog-engine";
import { policyGate } from "../engine/hosts/compose/policy";
import { loadSettings } from "../engine/hosts/config";
import { BODY_TIMEOUT_MS, MAX_BODY_BYTES } from "../engine/inbound/webhook/body";
import type { IncomingRequest } from "../engine/inbound/webhook/types";
import { builtinKinds } from "../engine/kinds";
import type { IntentEngine, PipelineDeps } from "../engine/lifecycle/types";
import type { Clock, EventSink } from "../engine/runtime/types";
import type { Sandbox } from "../sandbox";
import { silentReporter } from "../engine/lifecycle/report/reporter";
import { countingQueue, MemoryRunStore, silentNotifier, unscheduled } from "./memory-store";

export const BENCH_SECRET = "bench-shared-secret-not-a-real-one";
/** Long enough that every benchmarked run finishes inside the HTTP request, as the seed's do. */
export const RUN_BUDGET_MS = 60_000;

/** Sleeps return at once but move time on, so retries and polls cost no real waiting. */
export function instantClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: async (ms) => void (offset += Math.max(0, ms)),
  };
}

export interface TenantClients {
  graph: GraphClient & { close(): Promise<void> };
  automation: AutomationClient;
  exchange: ExchangeClient & { close(): Promise<void> };
}

export function sandboxClients(sandbox: Sandbox, settings: Record<string, string>, clock: Clock, events?: EventSink): TenantClients {
  const graph = createGraphClient({
    baseUrl: sandbox.graphBaseUrl, tokens: { getToken: async () => "sandbox-graph-token" }, clock, connections: 64, ...(events ? { events } : {}),
  });
  // The ARM token goes to the Automation client only, as the composition root does.
  const automation = createAutomationClient(readAutomationSettings({ ...settings, ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox-arm-token" }));
  const exchange = createExchangeClient({
    baseUrl: sandbox.exchangeBaseUrl, tenantId: sandbox.tenant.tenantId, tokens: { getToken: async () => "sandbox-exchange-token" }, clock, ...(events ? { events } : {}),
  });
  return { graph, automation, exchange };
}

export interface ServicesParts {
  graph: GraphClient;
  automation: AutomationClient;
  exchange: ExchangeClient;
  clock: Clock;
  settings: Record<string, string>;
}

/** The catalogue as the pipeline's engine, with the requester policy a deployment of `intentsDir` would have. */
export function benchEngine(catalog: Catalog, graph: GraphClient, settings: Record<string, string>, intentsDir: string = DEFAULT_INTENTS_DIR): IntentEngine<CompiledIntent> {
  return catalogEngine(catalog, policyGate(loadSettings(settings), catalog, intentsDir, graph));
}

/** The pipeline with the run store in memory (see memory-store.ts for why). */
export function memoryPipeline(engine: IntentEngine<CompiledIntent>, parts: ServicesParts, forgetFinished = false): PipelineDeps & { store: MemoryRunStore } {
  return {
    engine: engine as IntentEngine,
    store: new MemoryRunStore({ forgetFinished }),
    queue: countingQueue(),
    notifier: silentNotifier,
    reporter: silentReporter,
    schedules: unscheduled,
    services: { kinds: builtinKinds({ graph: parts.graph, automation: parts.automation, exchange: parts.exchange }), clock: parts.clock, settings: parts.settings },
    clock: parts.clock,
    settings: {
      sharedSecret: async () => BENCH_SECRET, maxBodyBytes: MAX_BODY_BYTES, bodyTimeoutMs: BODY_TIMEOUT_MS, runBudgetMs: RUN_BUDGET_MS,
      maxDequeueCount: 5, continuationBudgetMs: RUN_BUDGET_MS, heartbeatMs: 30_000, leaseMs: 90_000, abandonedGraceMs: 600_000, abandonedMaxTakeovers: 3, timeZone: "UTC", scheduleHorizonMs: 180 * 86_400_000,
    },
  };
}

/** A `POST /api/intent` as the pipeline sees it, from bytes already in memory. */
export function incomingRequest(body: Buffer, secret: string = BENCH_SECRET): IncomingRequest {
  const headers: Record<string, string> = { "x-intent-secret": secret, "content-length": String(body.byteLength), "content-type": "application/json" };
  return {
    header: (name) => headers[name.toLowerCase()] ?? null,
    body: (async function* () { yield body; })(),
  };
}
