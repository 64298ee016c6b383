/**
 * The local server as `npm start` runs it (node:http adapter, real handlers, real engine, sandbox
 * tenant, and Azurite in-process or the bench's memory store), in its own process so its peak RSS
 * is its own and the load generator does not share its event loop. Prints one JSON line with its
 * URLs, then serves until killed. Usage: run-ts bench/server-child.ts <memory|azurite> <intents dir>
 */
import { systemClock } from "../engine/clock";
import { loadSettings } from "../engine/config";
import { httpRoutes } from "../engine/functions/routes";
import { composePipeline } from "../engine/host/compose";
import { loadCatalog } from "../engine/index";
import { startAzurite } from "../engine/local/azurite";
import { startLocalServer } from "../engine/local/httpAdapter";
import { MAX_BODY_BYTES } from "../engine/pipeline/body";
import type { PipelineDeps } from "../engine/pipeline/types";
import { startSandbox } from "../sandbox";
import { BENCH_SECRET, catalogEngine, memoryPipeline, RUN_BUDGET_MS, sandboxClients } from "./host";
import { BENCH_SETTINGS, workloadsFor } from "./workloads";

async function main(): Promise<void> {
  const [store = "memory", dir] = process.argv.slice(2);
  const catalog = loadCatalog(dir);
  const sandbox = await startSandbox();
  // Every workload's settings at once: the server serves them all.
  const settings: Record<string, string> = { ...BENCH_SETTINGS, ARM_BASE_URL: sandbox.armBaseUrl };
  for (const workload of workloadsFor(catalog).workloads) Object.assign(settings, workload.settings);
  const clients = sandboxClients(sandbox, settings, systemClock);
  const engine = catalogEngine(catalog);
  let deps: PipelineDeps;
  if (store === "azurite") {
    const azurite = await startAzurite();
    const appSettings = loadSettings({ AzureWebJobsStorage: azurite.connectionString, RUN_BUDGET_MS: String(RUN_BUDGET_MS), NOTIFICATION_MAILBOX: "reception@contoso.com", NOTIFICATION_EMAIL: "helpdesk@contoso.com" });
    deps = await composePipeline(appSettings, { engine, graph: clients.graph, clock: systemClock, sharedSecret: BENCH_SECRET, intentSettings: settings });
  } else {
    deps = memoryPipeline(engine, { ...clients, clock: systemClock, settings });
  }
  const server = await startLocalServer({
    routes: httpRoutes(async () => deps).map((r) => ({ method: r.method, pattern: `/api/${r.route}`, name: r.name, handler: r.handler })),
    maxBodyBytes: MAX_BODY_BYTES,
  });
  process.stdout.write(JSON.stringify({ url: server.url, sandboxUrl: sandbox.url }) + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`server-child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
