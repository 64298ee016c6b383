/** `intents sandbox --port N [--fixture tenant.json]`: serves the sandbox tenant until SIGINT/SIGTERM. */
import { parseArgs } from "node:util";
import { startSandbox } from "../../../../sandbox";

export const summary = "Serve the in-memory Microsoft 365 sandbox tenant (Graph v1.0 + ARM) on a local port";

const HELP = `usage: intents sandbox [--port N] [--host H] [--fixture tenant.json]

  --port N        port to listen on (default 7072; 0 = any free port)
  --host H        address to bind (default 127.0.0.1)
  --fixture FILE  tenant fixture JSON (default: sandbox/fixtures/demo-tenant.json)

Graph answers under <url>/v1.0 (send any "Authorization: Bearer <token>"); the control surface is
<url>/_sandbox/state, /_sandbox/requests and /_sandbox/faults.`;

export async function run(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; fixture?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { port: { type: "string" }, host: { type: "string" }, fixture: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    process.stderr.write(`intents sandbox: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const port = Number(values.port ?? "7072");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write("intents sandbox: --port must be a number from 0 to 65535\n");
    return 2;
  }
  const sandbox = await startSandbox({ port, ...(values.host ? { host: values.host } : {}), ...(values.fixture ? { fixture: values.fixture } : {}) });
  process.stdout.write(`sandbox tenant listening: Graph ${sandbox.graphBaseUrl}, ARM ${sandbox.armBaseUrl}, control ${sandbox.url}/_sandbox/state\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.close();
  return 0;
}
