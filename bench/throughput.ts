/**
 * Throughput of `POST /api/intent` on the local server (in its own process), by autocannon over
 * loopback for a fixed time, every request a new ticket so every one is a real run; and 100
 * concurrent deliveries of one webhook, with executions counted in the sandbox's request log.
 */
import type { RequestLogEntry } from "../sandbox";
import { BENCH_SECRET } from "./host";
import { startServerProcess, type ServerProcess } from "./server-process";
import { withTimeout } from "./stats";
import { webhookBody, type Workload } from "./workloads";

// autocannon ships no types; this is the part of its API the bench uses.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type AutocannonRequest = { setupRequest?: (request: Record<string, unknown>) => Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as (options: Record<string, unknown>) => Promise<AutocannonResult>;

export interface ThroughputFigure {
  store: string;
  requestsPerSec: number;
  total: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  peakRssMiB: number;
}

export interface DuplicateFigure {
  store: string;
  deliveries: number;
  /** Executions seen by the tenant: writes for the 100 deliveries ÷ writes of one delivery. */
  executions: number;
  distinctRunIds: number;
  answeredAsDuplicate: number;
  /** Watches the duplicates queued over the run they found running (at most one is pending per run). */
  watchesQueued: number;
}

const HEADERS = { "content-type": "application/json", "x-intent-secret": BENCH_SECRET };

async function measureThroughput(server: ServerProcess, store: string, workloads: readonly Workload[], seconds: number, connections: number): Promise<ThroughputFigure> {
  let ticket = 100_000;
  const requests: AutocannonRequest[] = [{
    // A new ticket each time, the intents in turn: each request is a new run, never a duplicate.
    setupRequest: (request) => {
      ticket++;
      return { ...request, body: JSON.stringify(webhookBody(workloads[ticket % workloads.length]!, ticket)) };
    },
  }];
  const result = await withTimeout("autocannon", (seconds + 30) * 1_000, autocannon({
    url: `${server.url}/api/intent`, method: "POST", headers: HEADERS, connections, duration: seconds, requests, timeout: 20,
  }));
  return {
    store,
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    peakRssMiB: server.peakRssMiB(),
  };
}

async function tenantWrites(server: ServerProcess): Promise<number> {
  const answer = await fetch(`${server.sandboxUrl}/_sandbox/requests`);
  const log = ((await answer.json()) as { value: RequestLogEntry[] }).value;
  // Reads are safe to repeat; what must not repeat is a change (a `$batch` counts by its items).
  return log.filter((entry) => entry.method !== "GET" && entry.path !== "/v1.0/$batch").length;
}

async function deliver(server: ServerProcess, body: string): Promise<{ status: number; runId?: string; duplicate?: boolean }> {
  const response = await fetch(`${server.url}/api/intent`, { method: "POST", headers: HEADERS, body });
  const json = (await response.json()) as { runId?: string; duplicate?: boolean };
  return { status: response.status, ...json };
}

export async function measureDuplicates(server: ServerProcess, store: string, workload: Workload, deliveries: number): Promise<DuplicateFigure> {
  const clear = () => fetch(`${server.sandboxUrl}/_sandbox/requests`, { method: "DELETE" });
  await clear();
  await deliver(server, JSON.stringify(webhookBody(workload, 900_001)));
  const perExecution = await tenantWrites(server);
  if (perExecution === 0) throw new Error(`${workload.intent.name} writes nothing, so its executions cannot be counted`);
  await clear();
  const body = JSON.stringify(webhookBody(workload, 900_002));
  const watchesBefore = server.watchesQueued();
  const answers = await withTimeout("the duplicate deliveries", 60_000, Promise.all(Array.from({ length: deliveries }, () => deliver(server, body))));
  // The child reports a watch before it answers; its line may still be in the pipe.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    store,
    deliveries,
    executions: (await tenantWrites(server)) / perExecution,
    distinctRunIds: new Set(answers.map((answer) => answer.runId)).size,
    answeredAsDuplicate: answers.filter((answer) => answer.duplicate === true).length,
    watchesQueued: server.watchesQueued() - watchesBefore,
  };
}

/**
 * Intents that start a runbook wait for an Automation job for seconds on a real clock, which
 * measures the job and not the server; the load uses the Graph-only intents.
 */
export function graphOnly(workloads: readonly Workload[]): Workload[] {
  return workloads.filter((workload) => workload.intent.plan.steps.every((step) => !step.kind.id.startsWith("automation:")));
}

/**
 * What the load rotates over: the Graph-only intents that take nothing away. A destructive intent's
 * first run deletes or disables a user the other workloads ask for or about, and requester policy
 * then refuses those (the requester or target is no longer in the tenant): the figure would measure
 * a shrinking tenant, not the server.
 */
export function loadWorkloads(workloads: readonly Workload[]): Workload[] {
  return graphOnly(workloads).filter((workload) => workload.intent.risk !== "destructive");
}

/** Both figures on one server process of the given store, which is stopped afterwards. */
export async function measureServer(store: "memory" | "azurite", intentsDir: string, workloads: readonly Workload[], seconds: number): Promise<{ throughput: ThroughputFigure; duplicates: DuplicateFigure }> {
  const server = await startServerProcess(store, intentsDir);
  const load = loadWorkloads(workloads);
  try {
    const duplicates = await measureDuplicates(server, store, load[0]!, 100);
    const throughput = await measureThroughput(server, store, load, seconds, 10);
    return { throughput, duplicates };
  } finally {
    await server.stop();
  }
}
