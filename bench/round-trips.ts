/**
 * Round trips and end-to-end time per intent with the sandbox answering every request 100 ms late:
 * our engine through the real pipeline, then the seed's call list replayed one call at a time
 * through the same clients, each on a fresh tenant. The 100 ms are really waited; the clients'
 * own sleeps (runbook polls: ours back off, the seed's every 5 s) are added to the clock instead,
 * so the end-to-end figure counts them without the bench waiting for them. Our runs are judged by
 * the workload's requester policy first, and the policy's reads are told apart in the log.
 */
import type { GraphRequest } from "../engine/clients/graph/types";
import type { Catalog, CompiledIntent } from "../engine/index";
import type { IntentEngine } from "../engine/lifecycle/types";
import { handleIntent } from "../engine/inbound/webhook/intake";
import { jsonEventSink } from "../engine/core/events";
import { startSandbox, type RequestLogEntry } from "../sandbox";
import type { Clock } from "../engine/runtime/types";
import { benchEngine, incomingRequest, instantClock, memoryPipeline, sandboxClients, type TenantClients } from "./host";
import { dependentWaves, policyShare, roundTrips, type PolicyShare } from "./log-analysis";
import { seedSequenceFor } from "./seed-sequences";
import { withTimeout } from "./stats";
import { webhookBody, type Workload } from "./workloads";

export interface TripsFigure {
  /** HTTP round trips (a `$batch` once) to Graph, to the Exchange admin API and to ARM. */
  graph: number;
  exchange: number;
  arm: number;
  /** Waves of requests that had to wait for earlier answers; `exchangeDependent` of Exchange's alone. */
  dependent: number;
  exchangeDependent: number;
  ms: number;
  status: string;
  /** Requester policy's reads and the round trips it added (ours only: the seed judged nobody). */
  policy?: PolicyShare;
}

export interface RoundTripFigure {
  intent: string;
  /** For an Exchange intent: which route the deployment's EXCHANGE_MODE chose. */
  route?: "api" | "runbook";
  /** True when the seed had no such intent and `seed` is its Exchange pattern (one polled job). */
  seedPattern?: boolean;
  ours: TripsFigure;
  seed?: TripsFigure;
}

const RUN_LIMIT_MS = 60_000;

/** One run; `policySent` collects the Graph requests requester policy says it sent, if it judged the run. */
type Work = (clients: TenantClients, clock: Clock, policySent: GraphRequest[]) => Promise<string>;

/** The engine, keeping each judgement's own requests for the log analysis. */
function keepingPolicyRequests(engine: IntentEngine<CompiledIntent>, sent: GraphRequest[]): IntentEngine<CompiledIntent> {
  return {
    ...engine,
    judge: async (intent, request) => {
      const judgement = await engine.judge(intent, request);
      sent.push(...judgement.sent);
      return judgement;
    },
  };
}

async function onLatentTenant(latencyMs: number, settings: Record<string, string>, work: Work, judged: boolean): Promise<TripsFigure> {
  const sandbox = await startSandbox();
  const clock = instantClock();
  const clients = sandboxClients(sandbox, settings, clock);
  const policySent: GraphRequest[] = [];
  try {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", latencyMs }) });
    if (!answer.ok) throw new Error(`the sandbox refused the latency rule: ${answer.status}`);
    // A run that throws still made its round trips; its error becomes its status in the table.
    const started = clock.now();
    const status = await withTimeout("a round-trip run", RUN_LIMIT_MS, work(clients, clock, policySent))
      .catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
    const ms = clock.now() - started;
    const log: RequestLogEntry[] = sandbox.requests();
    const top = roundTrips(log);
    const exchange = top.filter((entry) => entry.path.startsWith("/adminapi/"));
    return {
      graph: top.filter((entry) => entry.path.startsWith("/v1.0/")).length,
      exchange: exchange.length,
      arm: top.filter((entry) => entry.path.startsWith("/subscriptions/")).length,
      dependent: dependentWaves(log),
      exchangeDependent: dependentWaves(exchange),
      ms,
      status,
      ...(judged ? { policy: policyShare(log, policySent) } : {}),
    };
  } finally {
    await clients.graph.close();
    await clients.exchange.close();
    await sandbox.close();
  }
}

export async function measureRoundTrips(catalog: Catalog, workload: Workload, latencyMs: number): Promise<RoundTripFigure> {
  const runOurs: Work = async (clients, clock, policySent) => {
    const engine = keepingPolicyRequests(benchEngine(catalog, clients.graph, workload.settings), policySent);
    const deps = memoryPipeline(engine, { ...clients, clock, settings: workload.settings });
    const answer = await handleIntent(deps, incomingRequest(Buffer.from(JSON.stringify(webhookBody(workload, 7_001)))), jsonEventSink(() => undefined));
    return String(answer.body.status ?? answer.status);
  };
  // One untimed run first, so the first use of each template and module is not billed to latency.
  await onLatentTenant(0, workload.settings, runOurs, true);
  const ours = await onLatentTenant(latencyMs, workload.settings, runOurs, true);
  const route = workload.intent.settings.includes("EXCHANGE_MODE") ? { route: workload.settings.EXCHANGE_MODE === "runbook" ? "runbook" as const : "api" as const } : {};
  const found = seedSequenceFor(workload.intent.name);
  if (!found) return { intent: workload.intent.name, ...route, ours };
  const seed = await onLatentTenant(latencyMs, workload.settings, async (clients, clock) => {
    await found.sequence({ ...clients, clock, fields: workload.fields });
    return "replayed";
  }, false);
  return { intent: workload.intent.name, ...route, ...(found.pattern ? { seedPattern: true } : {}), ours, seed };
}
