/**
 * `intents run <intent> --input payload.json --graph-url URL`: one live run. The credential comes
 * from the settings in the environment: GRAPH_ACCESS_TOKEN (any value for the sandbox), else the
 * Azure identity settings a deployment uses; Exchange cmdlets go to EXCHANGE_BASE_URL with
 * EXCHANGE_ACCESS_TOKEN or the same identity.
 */
import { ensureIntentError } from "../../../core/errors";
import { exchangeClientFromSettings } from "../../../clients/exchange/settings";
import { systemClock } from "../../../core/clock";
import { graphClientFor, parseArgs, printResult, runIntent } from "./plan";

export const summary = "Run one intent against a tenant or the sandbox.";

const USAGE = "usage: intents run <intent-name|file> --input payload.json --graph-url URL   (credential: GRAPH_ACCESS_TOKEN or Azure identity settings)";

// Without one of these the client would fall back to a managed identity, which a workstation lacks.
const CREDENTIAL_SETTINGS = ["GRAPH_ACCESS_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_SECRET", "IDENTITY_ENDPOINT"];

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) return void process.stdout.write(`${USAGE}\n`), 0;
  const parsed = parseArgs(args, USAGE);
  if ("usage" in parsed) return void process.stderr.write(`intents run: ${parsed.usage}\n`), 2;
  if (!parsed.graphUrl) return void process.stderr.write(`intents run: --graph-url is required\n${USAGE}\n`), 2;
  if (!CREDENTIAL_SETTINGS.some((name) => process.env[name]?.trim())) {
    return void process.stderr.write(`intents run: set GRAPH_ACCESS_TOKEN (any value for the sandbox) or Azure identity settings (${CREDENTIAL_SETTINGS.slice(1).join(", ")})\n`), 2;
  }
  try {
    const graph = graphClientFor(parsed.graphUrl);
    const exchange = exchangeClientFromSettings(process.env, { clock: systemClock });
    try {
      return printResult(await runIntent(parsed, "live", graph, exchange));
    } finally {
      await graph.close();
      await exchange.close();
    }
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    process.stderr.write(`intents run: ${error.code} ${error.message}\n`);
    return 1;
  }
}
