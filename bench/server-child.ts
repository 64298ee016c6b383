/**
 * The local server in its own process, so its peak RSS is its own and the load generator does not
 * share its event loop. `azurite` is `npm start` itself (funcapp's dev stack: Azurite in memory,
 * the real host composition, the queue poller); `memory` is the same handlers over the bench's
 * memory store. Both talk to a sandbox tenant started here. Prints one JSON line with the URLs,
 * then one line per watch a duplicate delivery queued, and serves until killed. Usage: run-ts bench/server-child.ts <memory|azurite> <intents dir>
 */
import { systemClock } from "../engine/core/clock";
import { builtinKindSpecs, loadCatalog } from "../engine/index";
import { startDevStack } from "../engine/hosts/local/dev-stack";
import { appRoutes, startLocalServer } from "../engine/hosts/local/http-adapter";
import { MAX_BODY_BYTES } from "../engine/inbound/webhook/body";
import { startSandbox, type Sandbox } from "../sandbox";
import { BENCH_SECRET, benchEngine, memoryPipeline, RUN_BUDGET_MS, sandboxClients } from "./host";
import { BENCH_SETTINGS, workloadsFor } from "./workloads";

/** Each watch a duplicate delivery queued, as a line of its own after the URLs (bench/throughput.ts counts them). */
function reportWatches(_level: string, line: string): void {
  if (line.includes('"event":"watch_queued"')) process.stdout.write(`${JSON.stringify({ watchQueued: 1 })}\n`);
}

async function memoryServer(sandbox: Sandbox, dir: string | undefined, settings: Record<string, string>): Promise<string> {
  const catalog = loadCatalog(builtinKindSpecs(), dir);
  const clients = sandboxClients(sandbox, settings, systemClock);
  const deps = memoryPipeline(benchEngine(catalog, clients.graph, settings, dir), { ...clients, clock: systemClock, settings });
  const server = await startLocalServer({
    routes: appRoutes(async () => deps),
    maxBodyBytes: MAX_BODY_BYTES,
    log: reportWatches,
  });
  return server.url;
}

async function devStackServer(sandbox: Sandbox, settings: Record<string, string>): Promise<string> {
  const stack = await startDevStack({
    env: {
      ...process.env, ...settings,
      GRAPH_BASE_URL: sandbox.graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox-graph-token", ARM_ACCESS_TOKEN: "sandbox-arm-token",
      INTENT_SHARED_SECRET: BENCH_SECRET, RUN_BUDGET_MS: String(RUN_BUDGET_MS),
      NOTIFICATION_MAILBOX: "reception@contoso.com", NOTIFICATION_EMAIL: "helpdesk@contoso.com",
    },
    port: 0,
    azuriteLocation: null,
    log: (line) => reportWatches("info", line),
  });
  return stack.url;
}

async function main(): Promise<void> {
  const [store = "memory", dir] = process.argv.slice(2);
  const sandbox = await startSandbox();
  // Every workload's settings at once: one server serves them all.
  const settings: Record<string, string> = { ...BENCH_SETTINGS };
  for (const workload of workloadsFor(loadCatalog(builtinKindSpecs(), dir)).workloads) Object.assign(settings, workload.settings);
  settings.ARM_BASE_URL = sandbox.armBaseUrl;
  const url = store === "azurite" ? await devStackServer(sandbox, settings) : await memoryServer(sandbox, dir, settings);
  process.stdout.write(JSON.stringify({ url, sandboxUrl: sandbox.url }) + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`server-child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
