/**
 * Round trips and end-to-end time per intent with the sandbox answering every request 100 ms late:
 * our engine through the real pipeline, then the seed's call list replayed one call at a time
 * through the same clients, each on a fresh tenant. The 100 ms are really waited; the clients'
 * own sleeps (runbook polls: ours back off, the seed's every 5 s) are added to the clock instead,
 * so the end-to-end figure counts them without the bench waiting for them.
 */
import type { Catalog } from "../engine/index";
import { handleIntent } from "../engine/inbound/webhook/intake";
import { jsonEventSink } from "../engine/core/events";
import { startSandbox, type RequestLogEntry } from "../sandbox";
import type { Clock } from "../engine/runtime/types";
import { benchEngine, incomingRequest, instantClock, memoryPipeline, sandboxClients, type TenantClients } from "./host";
import { dependentWaves, roundTrips } from "./log-analysis";
import { seedSequenceFor } from "./seed-sequences";
import { withTimeout } from "./stats";
import { webhookBody, type Workload } from "./workloads";

export interface TripsFigure {
  /** HTTP round trips (a `$batch` once) to Graph and to ARM. */
  graph: number;
  arm: number;
  /** Waves of requests that had to wait for earlier answers. */
  dependent: number;
  ms: number;
  status: string;
}

export interface RoundTripFigure {
  intent: string;
  ours: TripsFigure;
  seed?: TripsFigure;
}

const RUN_LIMIT_MS = 60_000;

type Work = (clients: TenantClients, clock: Clock) => Promise<string>;

async function onLatentTenant(latencyMs: number, settings: Record<string, string>, work: Work): Promise<TripsFigure> {
  const sandbox = await startSandbox();
  const clock = instantClock();
  const clients = sandboxClients(sandbox, settings, clock);
  try {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", latencyMs }) });
    if (!answer.ok) throw new Error(`the sandbox refused the latency rule: ${answer.status}`);
    // A run that throws still made its round trips; its error becomes its status in the table.
    const started = clock.now();
    const status = await withTimeout("a round-trip run", RUN_LIMIT_MS, work(clients, clock))
      .catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
    const ms = clock.now() - started;
    const log: RequestLogEntry[] = sandbox.requests();
    const top = roundTrips(log);
    return {
      graph: top.filter((entry) => entry.path.startsWith("/v1.0/")).length,
      arm: top.filter((entry) => entry.path.startsWith("/subscriptions/")).length,
      dependent: dependentWaves(log),
      ms,
      status,
    };
  } finally {
    await clients.graph.close();
    await sandbox.close();
  }
}

export async function measureRoundTrips(catalog: Catalog, workload: Workload, latencyMs: number): Promise<RoundTripFigure> {
  const runOurs: Work = async (clients, clock) => {
    const deps = memoryPipeline(benchEngine(catalog, clients.graph, workload.settings), { ...clients, clock, settings: workload.settings });
    const answer = await handleIntent(deps, incomingRequest(Buffer.from(JSON.stringify(webhookBody(workload, 7_001)))), jsonEventSink(() => undefined));
    return String(answer.body.status ?? answer.status);
  };
  // One untimed run first, so the first use of each template and module is not billed to latency.
  await onLatentTenant(0, workload.settings, runOurs);
  const ours = await onLatentTenant(latencyMs, workload.settings, runOurs);
  const sequence = seedSequenceFor(workload.intent.name);
  if (!sequence) return { intent: workload.intent.name, ours };
  const seed = await onLatentTenant(latencyMs, workload.settings, async (clients, clock) => {
    await sequence({ ...clients, clock, fields: workload.fields });
    return "replayed";
  });
  return { intent: workload.intent.name, ours, seed };
}
