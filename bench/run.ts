/**
 * `npm run bench` (`npm run bench -- --intents <dir>` for another folder): every figure of
 * PRODUCT.md §9, printed as tables and written to bench/results.json. Loopback only; every loop is
 * bounded in count and time, so the whole run stays well under 5 minutes on 2 cores.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_INTENTS_DIR, loadCatalog, type Catalog } from "../engine/index";
import { measureEngineCpu } from "./engine-cpu";
import { generateIntents } from "./generate-intents";
import { measureColdStart } from "./cold-start";
import { measureLoad } from "./load-time";
import { formatColdStart, formatDuplicates, formatResults, formatRoundTrips, targetsOf, type Results } from "./report";
import { measureRoundTrips, type RoundTripFigure } from "./round-trips";
import { measureStorm } from "./storm";
import { loadWorkloads, measureDuplicates, measureServer } from "./throughput";
import { startServerProcess } from "./server-process";
import { workloadsFor, type Workload } from "./workloads";
import { builtinKindSpecs } from "../engine/kinds";

const LIMITS = {
  cpu: { iterations: 2_000, warmup: 200, maxMs: 5_000 },
  loadProcesses: 3,
  loadWarmRepeats: 10,
  generatedIntents: 200,
  generatedWarmRepeats: 2,
  latencyMs: 100,
  throughputSeconds: 10,
  storm: { rounds: 2, rate: 0.3, retryAfterSec: 1 },
};

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function machine(loadStart: number): Results["machine"] {
  return {
    cpus: cpus().length, memoryGiB: totalmem() / 2 ** 30, node: process.version,
    loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 }, date: new Date().toISOString(),
  };
}

/** `--only cold-start`: the compiled build's cold rows alone (a minute less), for work on start-up. */
async function coldStartOnly(intentsDir: string): Promise<void> {
  const loadStart = loadavg()[0] ?? 0;
  progress("load + compile and cold start, compiled build");
  const coldStart = await measureColdStart(LIMITS.loadProcesses);
  const compiled = await measureLoad(intentsDir, LIMITS.loadProcesses, LIMITS.loadWarmRepeats, "compiled");
  process.stdout.write(formatColdStart(machine(loadStart), compiled, coldStart) + "\n");
}

/** Every workload's round trips; an Exchange intent again on its other route (EXCHANGE_MODE=runbook). */
async function measureAllRoundTrips(catalog: Catalog, workloads: readonly Workload[]): Promise<RoundTripFigure[]> {
  progress(`round trips at ${LIMITS.latencyMs} ms per request`);
  const roundTrips: RoundTripFigure[] = [];
  for (const workload of workloads) {
    roundTrips.push(await measureRoundTrips(catalog, workload, LIMITS.latencyMs));
    if (workload.intent.settings.includes("EXCHANGE_MODE")) {
      roundTrips.push(await measureRoundTrips(catalog, { ...workload, settings: { ...workload.settings, EXCHANGE_MODE: "runbook" } }, LIMITS.latencyMs));
    }
  }
  return roundTrips;
}

/** `--only duplicates`: the burst of 100 duplicate deliveries alone, on each store (a server process each). */
async function duplicatesOnly(intentsDir: string): Promise<void> {
  const loadStart = loadavg()[0] ?? 0;
  // The workload the full bench's duplicate row uses: the first of the load's.
  const [workload] = loadWorkloads(workloadsFor(loadCatalog(builtinKindSpecs(), intentsDir)).workloads);
  if (!workload) throw new Error(`no Graph-only, non-destructive intent in ${intentsDir} has a case to benchmark`);
  const duplicates = [];
  for (const store of ["memory", "azurite"] as const) {
    progress(`100 duplicate deliveries, ${store} store`);
    const server = await startServerProcess(store, intentsDir);
    try {
      duplicates.push(await measureDuplicates(server, store, workload, 100));
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(formatDuplicates(machine(loadStart), duplicates) + "\n");
}

async function main(): Promise<void> {
  // tsx turns on source-map support, which makes every Error the engine constructs cost more than
  // the engine itself; the deployed app runs compiled JavaScript without it.
  process.setSourceMapsEnabled(false);
  const started = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const intentsDir = resolve(argument("--intents") ?? DEFAULT_INTENTS_DIR);
  if (argument("--only") === "cold-start") return coldStartOnly(intentsDir);
  if (argument("--only") === "duplicates") return duplicatesOnly(intentsDir);
  const catalog = loadCatalog(builtinKindSpecs(), intentsDir);
  const { workloads, skipped } = workloadsFor(catalog);
  if (workloads.length === 0) throw new Error(`no intent in ${intentsDir} has a case to benchmark`);
  // `--only round-trips`: the 100 ms-per-request table alone (a few seconds of mostly waiting, no CPU
  // loops), so the Exchange routes can be measured again without the whole bench.
  if (argument("--only") === "round-trips") {
    const roundTrips = await measureAllRoundTrips(catalog, workloads);
    process.stdout.write(formatRoundTrips(machine(loadStart), LIMITS.latencyMs, roundTrips) + "\n");
    return;
  }

  progress(`engine CPU, ${workloads.length} intents`);
  const engineCpu = [];
  for (const workload of workloads) engineCpu.push(await measureEngineCpu(catalog, workload, LIMITS.cpu));

  progress("load + compile");
  const shipped = await measureLoad(intentsDir, LIMITS.loadProcesses, LIMITS.loadWarmRepeats);
  progress("load + compile and cold start, compiled build");
  const coldStart = await measureColdStart(LIMITS.loadProcesses); // builds dist/ first when it is stale
  const compiled = await measureLoad(intentsDir, LIMITS.loadProcesses, LIMITS.loadWarmRepeats, "compiled");
  const generatedDir = mkdtempSync(join(tmpdir(), "bench-intents-"));
  let generated;
  try {
    generateIntents(catalog.intents, LIMITS.generatedIntents, generatedDir);
    generated = await measureLoad(generatedDir, 1, LIMITS.generatedWarmRepeats);
  } finally {
    rmSync(generatedDir, { recursive: true, force: true });
  }

  const roundTrips = await measureAllRoundTrips(catalog, workloads);

  progress("429 storm");
  const storm = { ...(await measureStorm(catalog, workloads, LIMITS.storm)), rate: LIMITS.storm.rate, retryAfterSec: LIMITS.storm.retryAfterSec };

  progress(`local server: duplicates, then ${LIMITS.throughputSeconds} s of load per store`);
  const memory = await measureServer("memory", intentsDir, workloads, LIMITS.throughputSeconds);
  const azurite = await measureServer("azurite", intentsDir, workloads, LIMITS.throughputSeconds);

  const partial: Omit<Results, "targets" | "totalSeconds"> = {
    machine: machine(loadStart),
    intentsDir,
    skipped,
    engineCpu,
    load: { shipped, generated, compiled },
    coldStart,
    roundTrips,
    latencyMs: LIMITS.latencyMs,
    throughput: [memory.throughput, azurite.throughput],
    throughputIntents: loadWorkloads(workloads).map((workload) => workload.intent.name),
    duplicates: [memory.duplicates, azurite.duplicates],
    storm,
  };
  const results: Results = { ...partial, targets: targetsOf(partial), totalSeconds: (performance.now() - started) / 1000 };
  writeFileSync(join(__dirname, "results.json"), JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(formatResults(results) + "\n");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
