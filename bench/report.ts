/** The bench's results as one object (bench/results.json) and as the table `npm run bench` prints. */
import type { EngineCpuFigure } from "./engine-cpu";
import type { ColdStartFigure } from "./cold-start";
import type { LoadFigure } from "./load-time";
import type { RoundTripFigure } from "./round-trips";
import type { StormFigure } from "./storm";
import type { DuplicateFigure, ThroughputFigure } from "./throughput";

export interface Machine {
  cpus: number;
  memoryGiB: number;
  node: string;
  /** 1-minute load average at start and end: other work on the machine inflates every time. */
  loadAverage: { start: number; end: number };
  date: string;
}

export interface Results {
  machine: Machine;
  intentsDir: string;
  skipped: Record<string, string>;
  engineCpu: EngineCpuFigure[];
  load: { shipped: LoadFigure; generated: LoadFigure; compiled: LoadFigure };
  /** Process start → first webhook answered, compiled build. */
  coldStart: ColdStartFigure;
  roundTrips: RoundTripFigure[];
  latencyMs: number;
  throughput: ThroughputFigure[];
  /** The intents the load rotates over. */
  throughputIntents: string[];
  duplicates: DuplicateFigure[];
  storm: StormFigure & { rate: number; retryAfterSec: number };
  targets: Array<{ what: string; target: string; measured: string; met: boolean }>;
  totalSeconds: number;
}

const f = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : "—");

function table(title: string, head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [`\n${title}`, line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Each PRODUCT.md §9 bar against its figure. */
export function targetsOf(r: Omit<Results, "targets" | "totalSeconds">): Results["targets"] {
  const worst = (pick: (x: EngineCpuFigure) => number) => Math.max(...r.engineCpu.map(pick));
  return [
    { what: "engine CPU p50 (worst intent)", target: "≤ 50 µs", measured: `${f(worst((x) => x.micros.p50))} µs`, met: worst((x) => x.micros.p50) <= 50 },
    { what: "engine CPU p99 (worst intent)", target: "≤ 1 ms", measured: `${f(worst((x) => x.micros.p99) / 1000, 2)} ms`, met: worst((x) => x.micros.p99) <= 1_000 },
    { what: `load shipped (${r.load.compiled.intents}), cold, compiled build`, target: "≤ 50 ms", measured: `${f(r.load.compiled.coldMs)} ms`, met: r.load.compiled.coldMs <= 50 },
    { what: "process start → first webhook answered, compiled build", target: "≤ 300 ms", measured: `${f(r.coldStart.firstAnswerMs, 0)} ms`, met: r.coldStart.firstAnswerMs <= 300 },
    { what: `load ${r.load.generated.intents} generated, cold`, target: "≤ 500 ms", measured: `${f(r.load.generated.coldMs)} ms`, met: r.load.generated.coldMs <= 500 },
    ...roundTripTargets(r.roundTrips),
    { what: "429 storm failures", target: "0", measured: String(r.storm.failures), met: r.storm.failures === 0 },
    { what: "sent inside Retry-After", target: "0", measured: String(r.storm.inside), met: r.storm.inside === 0 },
    { what: "100 duplicates → executions", target: "1", measured: r.duplicates.map((d) => `${d.store}: ${f(d.executions, 2)}`).join(", "), met: r.duplicates.every((d) => d.executions === 1) },
    { what: "100 duplicates → watches queued", target: "≤ 1", measured: r.duplicates.map((d) => `${d.store}: ${d.watchesQueued}`).join(", "), met: r.duplicates.every((d) => d.watchesQueued <= 1) },
  ];
}

/** The round-trip bars: Graph intents against ½ of the seed's dependent trips, Exchange intents on each route. */
export function roundTripTargets(roundTrips: readonly RoundTripFigure[]): Results["targets"] {
  // The ½ bar is Graph's; an Exchange intent is held to its own bars below, on each route.
  const tripsMet = roundTrips.filter((x) => x.seed && !x.route).every((x) => x.ours.dependent * 2 <= x.seed!.dependent);
  const exchangeApi = roundTrips.filter((x) => x.route === "api");
  const exchangeRunbook = roundTrips.filter((x) => x.route === "runbook" && x.seed);
  return [
    {
      what: "dependent round trips vs seed", target: "≤ ½ seed, every intent",
      measured: roundTrips.filter((x) => x.seed && !x.route).map((x) => `${x.ours.dependent}/${x.seed!.dependent}`).join(" "), met: tripsMet,
    },
    {
      what: "Exchange intents, admin API: dependent Exchange round trips", target: "≤ 2",
      measured: exchangeApi.map((x) => String(x.ours.exchangeDependent)).join(" "), met: exchangeApi.every((x) => x.ours.exchangeDependent <= 2),
    },
    {
      what: "Exchange intents, admin API: time vs seed", target: "< ⅕ seed",
      measured: exchangeApi.filter((x) => x.seed).map((x) => `${f(x.ours.ms, 0)}/${f(x.seed!.ms, 0)} ms`).join(" "),
      met: exchangeApi.filter((x) => x.seed).every((x) => x.ours.ms * 5 < x.seed!.ms),
    },
    {
      what: "Exchange intents, runbook route: time vs seed", target: "≤ seed",
      measured: exchangeRunbook.map((x) => `${f(x.ours.ms, 0)}/${f(x.seed!.ms, 0)} ms`).join(" "),
      met: exchangeRunbook.every((x) => x.ours.ms <= x.seed!.ms),
    },
  ];
}

function machineLine(m: Machine): string {
  return `Benchmarks ${m.date}: ${m.cpus} CPUs, ${f(m.memoryGiB)} GiB, Node ${m.node}, load average ${f(m.loadAverage.start, 2)} → ${f(m.loadAverage.end, 2)}`;
}

function coldStartTable(coldStart: ColdStartFigure): string {
  return table("Cold start, compiled build (intents serve in a fresh process; sandbox, PSA simulators and Azurite already running)", ["spawn → listening ms", "spawn → first webhook answered ms", "server CPU to first answer ms", "catalogue from", "code cache"],
    [[f(coldStart.listeningMs, 0), f(coldStart.firstAnswerMs, 0), coldStart.serverCpuMs === undefined ? "n/a" : f(coldStart.serverCpuMs, 0), coldStart.catalog, coldStart.codeCache]]);
}

/** `npm run bench -- --only cold-start`: the compiled build's catalogue load and cold start against their bars. */
export function formatColdStart(m: Machine, compiled: LoadFigure, coldStart: ColdStartFigure): string {
  return [
    machineLine(m),
    table("Load (fresh child process, compiled build)", ["set", "intents", "import ms", "cold ms", "warm p50 ms", "from"],
      [["shipped", String(compiled.intents), f(compiled.importMs), f(compiled.coldMs), f(compiled.warm.p50), compiled.source ?? "?"]]),
    coldStartTable(coldStart),
    table("Targets", ["bar", "target", "measured", "met"], [
      ["load shipped, cold, compiled build", "≤ 50 ms", `${f(compiled.coldMs)} ms`, compiled.coldMs <= 50 ? "yes" : "NO"],
      ["process start → first webhook answered, compiled build", "≤ 300 ms", `${f(coldStart.firstAnswerMs, 0)} ms`, coldStart.firstAnswerMs <= 300 ? "yes" : "NO"],
    ]),
  ].join("\n");
}

function roundTripTable(latencyMs: number, roundTrips: readonly RoundTripFigure[]): string {
  return table(`Round trips and end-to-end at ${latencyMs} ms per request (graph+exchange+arm; policy = requester policy's reads, and in brackets the round trips that carried nothing else, which it added; seed† = the seed's Exchange pattern, one job polled every 5 s, for an intent it never had)`,
    ["intent", "route", "ours trips", "ours dependent", "ours exchange dependent", "policy reads (own trips)", "ours ms", "seed trips", "seed dependent", "seed ms", "ours status"],
    roundTrips.map((x) => [x.intent + (x.seedPattern ? " †" : ""), x.route ?? "—", `${x.ours.graph}+${x.ours.exchange}+${x.ours.arm}`, String(x.ours.dependent), String(x.ours.exchangeDependent), x.ours.policy ? `${x.ours.policy.reads} (${x.ours.policy.ownTrips})` : "—", f(x.ours.ms, 0),
      x.seed ? `${x.seed.graph}+${x.seed.exchange}+${x.seed.arm}` : "—", x.seed ? String(x.seed.dependent) : "—", x.seed ? f(x.seed.ms, 0) : "—", x.ours.status]));
}

/** `npm run bench -- --only round-trips`: the round-trip table (both Exchange routes) against its bars. */
export function formatRoundTrips(m: Machine, latencyMs: number, roundTrips: readonly RoundTripFigure[]): string {
  const bars = roundTripTargets(roundTrips);
  return [
    machineLine(m),
    roundTripTable(latencyMs, roundTrips),
    table("Targets", ["bar", "target", "measured", "met"], bars.map((bar) => [bar.what, bar.target, bar.measured, bar.met ? "yes" : "NO"])),
  ].join("\n");
}

function duplicatesTable(duplicates: readonly DuplicateFigure[]): string {
  return table("100 concurrent deliveries of one webhook", ["store", "executions", "distinct runIds", "answered duplicate", "watches queued"],
    duplicates.map((x) => [x.store, f(x.executions, 2), String(x.distinctRunIds), String(x.answeredAsDuplicate), String(x.watchesQueued)]));
}

/** `--only duplicates`: the duplicate burst alone, on each store. */
export function formatDuplicates(m: Machine, duplicates: readonly DuplicateFigure[]): string {
  return [
    machineLine(m),
    duplicatesTable(duplicates),
    table("Targets", ["bar", "target", "measured", "met"], [
      ["100 duplicates → executions", "1", duplicates.map((d) => `${d.store}: ${f(d.executions, 2)}`).join(", "), duplicates.every((d) => d.executions === 1) ? "yes" : "NO"],
      ["100 duplicates → watches queued", "≤ 1", duplicates.map((d) => `${d.store}: ${d.watchesQueued}`).join(", "), duplicates.every((d) => d.watchesQueued <= 1) ? "yes" : "NO"],
    ]),
  ].join("\n");
}

export function formatResults(r: Results): string {
  const m = r.machine;
  const out = [machineLine(m)];
  for (const [name, why] of Object.entries(r.skipped)) out.push(`not benchmarked: ${name} (${why})`);
  out.push(table("Engine CPU per webhook (real pipeline, Graph/ARM answered in-process)", ["intent", "n", "min µs", "p50 µs", "p99 µs", "mean µs", "status", "mismatches"],
    r.engineCpu.map((x) => [x.intent, String(x.micros.count), f(x.micros.min), f(x.micros.p50), f(x.micros.p99), f(x.micros.mean), x.status, String(x.mismatches)])));
  out.push(table("Load + compile (fresh child process)", ["set", "intents", "import ms", "cold ms", "warm p50 ms"],
    [["shipped (sources, tsx)", r.load.shipped], ["generated (sources, tsx)", r.load.generated], [`shipped (compiled build, from ${r.load.compiled.source ?? "?"})`, r.load.compiled]].map(([name, x]) => {
      const load = x as LoadFigure;
      return [String(name), String(load.intents), f(load.importMs), f(load.coldMs), f(load.warm.p50)];
    })));
  out.push(coldStartTable(r.coldStart));
  out.push(roundTripTable(r.latencyMs, r.roundTrips));
  out.push(table(`Local server, POST /api/intent, unique tickets, rotating over: ${r.throughputIntents.join(", ")}`, ["store", "req/s", "requests", "p50 ms", "p99 ms", "non-2xx", "errors", "peak RSS MiB"],
    r.throughput.map((x) => [x.store, f(x.requestsPerSec), String(x.total), f(x.latencyP50Ms), f(x.latencyP99Ms), String(x.non2xx), String(x.errors), f(x.peakRssMiB)])));
  out.push(duplicatesTable(r.duplicates));
  const s = r.storm;
  out.push(table(`429 storm (${s.rate * 100}% of Graph requests and batch items, Retry-After ${s.retryAfterSec} s; ms on the shared clock = real + slept)`, ["runs", "failures", "429s", "waits", "completion s", "ideal s", "inside window", "closest resend ms"],
    [[String(s.runs), String(s.failures), String(s.throttled), String(s.waits), f(s.completionMs / 1000, 2), f(s.idealMs / 1000, 2), String(s.inside), f(s.closestMs, 0)]]));
  out.push(table("Targets (PRODUCT.md §9)", ["bar", "target", "measured", "met"], r.targets.map((t) => [t.what, t.target, t.measured, t.met ? "yes" : "NO"])));
  out.push(`\nTotal ${f(r.totalSeconds)} s`);
  return out.join("\n");
}
