/**
 * Engine CPU per webhook: the real `POST /api/intent` pipeline (secret check, size-limited read,
 * JSON + schema validation, intent lookup, field mapping, claim, templates, plan, execution, the
 * answer and its structured events) with Graph and Automation answering instantly in-process.
 */
import type { Catalog } from "../engine/index";
import { handleIntent } from "../engine/inbound/webhook/intake";
import { jsonEventSink } from "../engine/core/events";
import { startSandbox } from "../sandbox";
import { benchEngine, incomingRequest, instantClock, memoryPipeline, sandboxClients } from "./host";
import { recordingClients, replayClients, type Recording } from "./replay-clients";
import { summarise, timeEach, type LoopLimits, type Summary } from "./stats";
import { webhookBody, type Workload } from "./workloads";

export interface EngineCpuFigure {
  intent: string;
  /** Microseconds per webhook. */
  micros: Summary;
  /** Answers whose status was not the recorded one (0 = every iteration ran the real path to the end). */
  mismatches: number;
  status: string;
}

const silentEvents = jsonEventSink(() => undefined);

/** Runs the webhook once against a fresh sandbox and keeps every answer Graph, Exchange and ARM gave. */
async function record(catalog: Catalog, workload: Workload): Promise<{ recording: Recording; status: string }> {
  const sandbox = await startSandbox();
  const clock = instantClock();
  const real = sandboxClients(sandbox, workload.settings, clock);
  try {
    const recorder = recordingClients(real.graph, real.automation, real.exchange);
    const deps = memoryPipeline(benchEngine(catalog, recorder.graph, workload.settings), { graph: recorder.graph, automation: recorder.automation!, exchange: recorder.exchange!, clock, settings: workload.settings });
    const body = Buffer.from(JSON.stringify(webhookBody(workload, 1)));
    const answer = await handleIntent(deps, incomingRequest(body), silentEvents);
    return { recording: recorder.recording, status: String(answer.body.status ?? answer.status) };
  } finally {
    await real.graph.close();
    await real.exchange.close();
    await sandbox.close();
  }
}

export async function measureEngineCpu(catalog: Catalog, workload: Workload, limits: LoopLimits): Promise<EngineCpuFigure> {
  const { recording, status } = await record(catalog, workload);
  const replay = replayClients(recording);
  const clock = instantClock();
  const deps = memoryPipeline(benchEngine(catalog, replay.graph, workload.settings), { graph: replay.graph, automation: replay.automation, exchange: replay.exchange, clock, settings: workload.settings }, true);
  const total = limits.iterations + (limits.warmup ?? 0);
  // Bodies are built before timing: Thread serialises them, not us. Unique tickets, so each is a new run.
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(JSON.stringify(webhookBody(workload, 1_000 + i))));
  let used = 0;
  let mismatches = 0;
  const samples = await timeEach(async () => {
    replay.rewind();
    const answer = await handleIntent(deps, incomingRequest(bodies[used++ % total]!), silentEvents);
    if (String(answer.body.status ?? answer.status) !== status) mismatches++;
  }, limits);
  return { intent: workload.intent.name, micros: summarise(samples), mismatches, status };
}
