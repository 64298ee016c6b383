/**
 * Process start → first webhook answered, for the compiled build: `intents serve` from dist/ in a
 * fresh process (the server `npm start` runs, with its queue poller and subscription upkeep),
 * against a sandbox tenant and Azurite already running here, as Graph and Azure Storage are when a
 * Function App instance starts. The clock runs from just before the spawn to the 200.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startSandbox } from "../sandbox";
import { startAzurite } from "../engine/hosts/local/azurite";
import { DEMO_TENANT_SETTINGS } from "../engine/hosts/local/dev-stack";
import { withTimeout } from "./stats";

const ROOT = join(__dirname, "..");
const SECRET = "bench-cold-start-secret";

export interface ColdStartFigure {
  /** Spawn → the server says it listens. */
  listeningMs: number;
  /** Spawn → the first POST /api/intent answered 200. */
  firstAnswerMs: number;
}

/** The compiled build is current, or is built now, so the figure is never of stale code. */
function ensureCompiled(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compiledIsCurrent } = require("../bin/compiled.cjs") as { compiledIsCurrent(): boolean };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!compiledIsCurrent()) (require("../scripts/build.cjs") as { build(): number }).build();
}

async function once_(graphBaseUrl: string, armBaseUrl: string, storage: string, ticket: number): Promise<ColdStartFigure> {
  const env = {
    ...process.env, ...DEMO_TENANT_SETTINGS, NODE_OPTIONS: "",
    GRAPH_BASE_URL: graphBaseUrl, GRAPH_ACCESS_TOKEN: "sandbox", ARM_BASE_URL: armBaseUrl, ARM_ACCESS_TOKEN: "sandbox",
    AzureWebJobsStorage: storage, INTENT_SHARED_SECRET: SECRET,
  };
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", 'require("./dist/engine/hosts/cli/main.js").runCli(["serve", "--port", "0"])'], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const lines = createInterface({ input: child.stdout! });
    let url = "";
    await withTimeout("the compiled server to listen", 60_000, (async () => {
      for await (const line of lines) {
        const found = /Function App listening: (\S+)\/api\/intent/.exec(line);
        if (found) {
          url = found[1] as string;
          return;
        }
      }
    })());
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
    return { listeningMs, firstAnswerMs: performance.now() - started };
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
  const azurite = await startAzurite();
  try {
    const figures: ColdStartFigure[] = [];
    for (let i = 0; i < runs; i++) figures.push(await once_(sandbox.graphBaseUrl, sandbox.armBaseUrl, azurite.connectionString, 900_000 + i));
    figures.sort((a, b) => a.firstAnswerMs - b.firstAnswerMs);
    return figures[Math.floor(figures.length / 2)]!;
  } finally {
    await azurite.close();
    await sandbox.close();
  }
}
