/**
 * Round trips and end-to-end time per intent with the sandbox answering every request 100 ms late:
 * our engine through the real pipeline, then the seed's call list replayed one call at a time
 * through the same clients, each on a fresh tenant. Times are real: nothing here sleeps by hand.
 */
import { systemClock } from "../engine/clock";
import type { Catalog } from "../engine/index";
import { handleIntent } from "../engine/pipeline/intake";
import { jsonEventSink } from "../engine/pipeline/events";
import { startSandbox, type RequestLogEntry, type Sandbox } from "../sandbox";
import { catalogEngine, incomingRequest, memoryPipeline, sandboxClients, type TenantClients } from "./host";
import { dependentWaves, roundTrips } from "./log-analysis";
import { seedSequenceFor } from "./seed-sequences";
import { timed, withTimeout } from "./stats";
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

async function onLatentTenant(latencyMs: number, settings: Record<string, string>, work: (sandbox: Sandbox, clients: TenantClients) => Promise<string>): Promise<TripsFigure> {
  const sandbox = await startSandbox();
  const clients = sandboxClients(sandbox, settings, systemClock);
  try {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", latencyMs }) });
    if (!answer.ok) throw new Error(`the sandbox refused the latency rule: ${answer.status}`);
    const { value: status, ms } = await timed(() => withTimeout("a round-trip run", RUN_LIMIT_MS, work(sandbox, clients)));
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
  const runOurs = async (_sandbox: Sandbox, clients: TenantClients): Promise<string> => {
    const deps = memoryPipeline(catalogEngine(catalog), { ...clients, clock: systemClock, settings: workload.settings });
    const answer = await handleIntent(deps, incomingRequest(Buffer.from(JSON.stringify(webhookBody(workload, 7_001)))), jsonEventSink(() => undefined));
    return String(answer.body.status ?? answer.status);
  };
  // One untimed run first, so the first use of each template and module is not billed to latency.
  await onLatentTenant(0, workload.settings, runOurs);
  const ours = await onLatentTenant(latencyMs, workload.settings, runOurs);
  const sequence = seedSequenceFor(workload.intent.name);
  if (!sequence) return { intent: workload.intent.name, ours };
  const seed = await onLatentTenant(latencyMs, workload.settings, async (_sandbox, clients) => {
    await sequence({ ...clients, clock: systemClock, fields: workload.fields });
    return "replayed";
  });
  return { intent: workload.intent.name, ours, seed };
}
