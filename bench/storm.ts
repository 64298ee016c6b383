/**
 * A 429 storm: the sandbox answers a share of Graph requests (and `$batch` items) 429 with
 * Retry-After. Every workload runs `rounds` times, one run at a time, so every request in the log
 * belongs to the run in flight and a resend can be matched to the 429 it answers. The client, the
 * engine and the sandbox share one clock: real time plus every sleep, so a Retry-After wait or a
 * runbook poll costs no real time, yet a resend the client did not wait for shows in the log.
 */
import type { Catalog } from "../engine/index";
import { handleIntent } from "../engine/inbound/webhook/intake";
import { jsonEventSink } from "../engine/core/events";
import { startSandbox, type Sandbox } from "../sandbox";
import type { Clock } from "../engine/runtime/types";
import { benchEngine, incomingRequest, instantClock, memoryPipeline, sandboxClients } from "./host";
import { retryAfterWindows, type WindowCheck } from "./log-analysis";
import { withTimeout } from "./stats";
import { webhookBody, type Workload } from "./workloads";

export interface StormOptions {
  rounds: number;
  /** Share of matching requests answered 429 (spread evenly by the sandbox). */
  rate: number;
  retryAfterSec: number;
}

export interface StormFigure extends WindowCheck {
  runs: number;
  /** Runs whose status differs from the same run without faults. */
  failures: number;
  completionMs: number;
  /** The same runs without faults, plus every Retry-After the client was told to wait. */
  idealMs: number;
  /** 429s the client was given (requests and batch items) and waited out. */
  waits: number;
}

interface RunOutcome {
  ms: number;
  status: string;
  /** Retry-After waits this run had to sit through. */
  waits: number;
}

let ticket = 500_000;

async function runOnce(catalog: Catalog, sandbox: Sandbox, clock: Clock, workload: Workload): Promise<RunOutcome> {
  let waits = 0;
  const countWaits = (event: string, fields: Record<string, unknown>): void => {
    // One wait per single-request 429, and one per batch resubmission (its items wait together).
    if ((event === "graph.retry" && fields.status === 429) || event === "graph.batch.retry") waits++;
  };
  const clients = sandboxClients(sandbox, workload.settings, clock, countWaits);
  try {
    const deps = memoryPipeline(benchEngine(catalog, clients.graph, workload.settings), { ...clients, clock, settings: workload.settings });
    const body = Buffer.from(JSON.stringify(webhookBody(workload, ++ticket)));
    const started = clock.now();
    const answer = await withTimeout("a storm run", 60_000, handleIntent(deps, incomingRequest(body), jsonEventSink(() => undefined)));
    return { ms: clock.now() - started, status: String(answer.body.status ?? answer.status), waits };
  } finally {
    await clients.graph.close();
    await clients.exchange.close();
  }
}

async function runAll(catalog: Catalog, workloads: readonly Workload[], options: StormOptions, fault?: object): Promise<{ outcomes: Array<RunOutcome & { workload: Workload }>; sandbox: Sandbox }> {
  const clock = instantClock();
  const sandbox = await startSandbox({ now: clock.now });
  if (fault) {
    const answer = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
    if (!answer.ok) throw new Error(`the sandbox refused the throttle rule: ${answer.status}`);
  }
  const outcomes: Array<RunOutcome & { workload: Workload }> = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const workload of workloads) outcomes.push({ ...(await runOnce(catalog, sandbox, clock, workload)), workload });
  }
  return { outcomes, sandbox };
}

export async function measureStorm(catalog: Catalog, workloads: readonly Workload[], options: StormOptions): Promise<StormFigure> {
  // The first pass only warms modules and templates; the second is the calm baseline.
  await (await runAll(catalog, workloads, { ...options, rounds: 1 })).sandbox.close();
  const calm = await runAll(catalog, workloads, options);
  await calm.sandbox.close();
  const calmMs = new Map<Workload, number[]>();
  for (const outcome of calm.outcomes) calmMs.set(outcome.workload, [...(calmMs.get(outcome.workload) ?? []), outcome.ms]);
  const storm = await runAll(catalog, workloads, options, { kind: "throttle", path: "/v1.0/*", rate: options.rate, retryAfter: options.retryAfterSec });
  try {
    const retryAfterMs = options.retryAfterSec * 1_000;
    let idealMs = 0;
    storm.outcomes.forEach((outcome, i) => {
      idealMs += (calm.outcomes[i]?.ms ?? 0) + outcome.waits * retryAfterMs;
    });
    return {
      runs: storm.outcomes.length,
      // A run's calm twin on a fresh tenant shows what its status should be (a second New User
      // Creation of one UPN fails either way); a failure is a run the storm changed.
      failures: storm.outcomes.filter((outcome, i) => outcome.status !== calm.outcomes[i]?.status).length,
      completionMs: storm.outcomes.reduce((sum, outcome) => sum + outcome.ms, 0),
      idealMs,
      waits: storm.outcomes.reduce((sum, outcome) => sum + outcome.waits, 0),
      ...retryAfterWindows(storm.sandbox.requests(), retryAfterMs),
    };
  } finally {
    await storm.sandbox.close();
  }
}
