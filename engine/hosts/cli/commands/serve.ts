/** `intents serve` (and `npm start`): the Function App locally, with the sandbox tenant and Azurite. */
import { parseArgs } from "node:util";
import { LOCAL_DEV_SECRET, startDevStack } from "../../local/dev-stack";

export const summary = "Serve the Function App locally (sandbox tenant + Azurite unless configured otherwise)";

const HELP = `usage: intents serve [--port N] [--host H] [--fixture tenant.json] [--in-memory]

  --port N        port for /api/* (default $PORT or 7071; 0 = any free port)
  --host H        address to bind (default 127.0.0.1)
  --fixture FILE  sandbox tenant fixture (default: sandbox/fixtures/demo-tenant.json)
  --in-memory     keep Azurite's data in memory instead of .azurite/

The sandbox tenant starts unless GRAPH_BASE_URL, AZURE_CLIENT_ID or GRAPH_ACCESS_TOKEN is set;
the PSA simulators start (notes go to ConnectWise's unless PSA_KIND says otherwise) unless
CONNECTWISE_BASE_URL, AUTOTASK_USERNAME or HALOPSA_BASE_URL is set;
Azurite starts unless AzureWebJobsStorage or AzureWebJobsStorage__accountName is set.
Stop with Ctrl-C.`;

export async function run(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; fixture?: string; "in-memory"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" }, host: { type: "string" }, fixture: { type: "string" },
        "in-memory": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`intents serve: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const port = Number(values.port ?? process.env.PORT ?? "7071");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write("intents serve: --port must be a number from 0 to 65535\n");
    return 2;
  }
  const stack = await startDevStack({
    env: process.env, port,
    ...(values.host ? { host: values.host } : {}),
    ...(values.fixture ? { fixture: values.fixture } : {}),
    ...(values["in-memory"] ? { azuriteLocation: null } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const lines = [
    `Function App listening: ${stack.url}/api/intent (runs: ${stack.url}/api/runs/{runId}, health: ${stack.url}/api/health)`,
    `Operator console: ${stack.consoleSignInLink()}`,
    `  (a one-time sign-in link, good for 15 minutes; afterwards sign in at ${stack.url}/api/console with the shared secret)`,
    ...stack.describe,
  ];
  if (stack.sharedSecret === LOCAL_DEV_SECRET) lines.push(`X-Intent-Secret: ${LOCAL_DEV_SECRET} (local default; set INTENT_SHARED_SECRET to change it)`);
  process.stdout.write(`${lines.join("\n")}\nPress Ctrl-C to stop.\n`);
  void stack.subscriptions.then((subscribed) => process.stdout.write(`${subscribed.join("\n")}\n`));
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await stack.close();
  process.stdout.write("stopped\n");
  return 0;
}
