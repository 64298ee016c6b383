/**
 * Process start → first webhook answered, for the compiled build: `intents serve` from the bundled
 * command line (dist/cli.js with its code cache, as bin/intents.cjs loads it) in a fresh process (the server `npm start`
 * runs, with its queue poller and subscription upkeep), against a sandbox tenant, the PSA
 * simulators and Azurite already running here, as Graph, the PSA and Azure Storage are when a
 * Function App instance starts. The clock runs from just before the spawn to the 200.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startSandbox } from "../sandbox";
import { startPsaSandboxes } from "../sandbox/psa";
import { startAzurite } from "../engine/hosts/local/azurite";
import { DEMO_TENANT_SETTINGS, psaSimulatorSettings } from "../engine/hosts/local/dev-stack";
import { withTimeout } from "./stats";

const ROOT = join(__dirname, "..");
const SECRET = "bench-cold-start-secret";

export interface ColdStartFigure {
  /** Spawn → the server says it listens. */
  listeningMs: number;
  /** Spawn → the first POST /api/intent answered 200. */
  firstAnswerMs: number;
  /** Where the server's catalogue came from: the build's snapshot, or the intents compiled at start. */
  catalog: "snapshot" | "intents" | "unknown";
  /** Whether the bundle loaded with the build's V8 code cache (bin/load-bundle.cjs): refused by V8 under another Node, none without one. */
  codeCache: "accepted" | "rejected" | "none" | "unknown";
  /**
   * CPU time (user + system) the server process used from its start to the first answer, from
   * /proc (Linux; undefined elsewhere): what the start costs, less swayed than the wall clock by
   * other work on a shared machine, which delays the process without adding to its CPU time.
   */
  serverCpuMs?: number;
}

/** User + system CPU time of a running process, from /proc/<pid>/stat (Linux), in ms. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The compiled build is current, or is built now, so the figure is never of stale code. */
function ensureCompiled(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compiledIsCurrent } = require("../bin/compiled.cjs") as { compiledIsCurrent(): boolean };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!compiledIsCurrent()) (require("../scripts/build.cjs") as { build(): number }).build();
}

async function once_(services: Record<string, string>, ticket: number): Promise<ColdStartFigure> {
  const env = { ...process.env, ...DEMO_TENANT_SETTINGS, NODE_OPTIONS: "", ...services, INTENT_SHARED_SECRET: SECRET };
  const started = performance.now();
  // The bundle as bin/intents.cjs loads it from an install (with its code cache), saying whether V8 took the cache.
  const start = [
    'const bundles = require("./bin/load-bundle.cjs");',
    'const cli = bundles.loadBundle("./dist/cli.js");',
    'process.stdout.write(`code cache: ${bundles.codeCacheUse("./dist/cli.js")}\\n`);',
    'cli.runCli(["serve", "--port", "0"]);',
  ].join(" ");
  const child = spawn(process.execPath, ["-e", start], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const lines = createInterface({ input: child.stdout! });
    let url = "";
    let catalog: ColdStartFigure["catalog"] = "unknown";
    let codeCache: ColdStartFigure["codeCache"] = "unknown";
    const listening = new Promise<void>((resolve) => {
      lines.on("line", (line) => {
        const found = /Function App listening: (\S+)\/api\/intent/.exec(line);
        if (found) {
          url = found[1] as string;
          resolve();
        }
        const cache = /^code cache: (accepted|rejected|none)$/.exec(line);
        if (cache) codeCache = cache[1] as ColdStartFigure["codeCache"];
        const loaded = /"event":"catalog_loaded".*"source":"(snapshot|intents)"/.exec(line);
        if (loaded) catalog = loaded[1] as "snapshot" | "intents";
      });
    });
    await withTimeout("the compiled server to listen", 60_000, listening);
    const listeningMs = performance.now() - started;
    const answer = await fetch(`${url}/api/intent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-intent-secret": SECRET },
      body: JSON.stringify({
        intent_name: "Revoke Sessions",
        intent_fields: { "User Email": "adele.vance@contoso.com" },
        meta_data: { ticket_id: ticket, contact_name: "Adele Vance", contact_email: "adele.vance@contoso.com", company_name: "Contoso" },
      }),
    });
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`the first webhook answered ${answer.status}`);
    const firstAnswerMs = performance.now() - started;
    const serverCpuMs = cpuMsOf(child.pid);
    return { listeningMs, firstAnswerMs, catalog, codeCache, ...(serverCpuMs === undefined ? {} : { serverCpuMs }) };
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
}

/** `runs` fresh processes one after another; the median by first answer. */
export async function measureColdStart(runs: number): Promise<ColdStartFigure> {
  ensureCompiled();
  const sandbox = await startSandbox();
  const psas = await startPsaSandboxes();
  const azurite = await startAzurite();
  try {
    const services = {
      GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
      // As npm start points the Exchange intents at the sandbox (else the server would set up a managed identity for Exchange).
      EXCHANGE_BASE_URL: sandbox.exchangeBaseUrl, EXCHANGE_ACCESS_TOKEN: "sandbox", EXCHANGE_TENANT_ID: sandbox.tenant.tenantId,
      ...psaSimulatorSettings(psas), AzureWebJobsStorage: azurite.connectionString,
    };
    // The measuring side's own first fetch (Node's HTTP client loading) is not the server's start.
    await (await fetch(`${sandbox.url}/_sandbox/requests`)).arrayBuffer();
    // One start first, unmeasured: it creates the storage account's tables and queues, which every
    // later start of a deployment finds made.
    await once_(services, 899_999);
    const figures: ColdStartFigure[] = [];
    for (let i = 0; i < runs; i++) figures.push(await once_(services, 900_000 + i));
    figures.sort((a, b) => a.firstAnswerMs - b.firstAnswerMs);
    return figures[Math.floor(figures.length / 2)]!;
  } finally {
    await azurite.close();
    await psas.close();
    await sandbox.close();
  }
}
