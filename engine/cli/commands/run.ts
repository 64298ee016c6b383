/** `intents run <intent> --input payload.json --graph-url URL`: one live run (token from GRAPH_ACCESS_TOKEN). */
import { ensureIntentError } from "../../errors";
import { graphClientFor, parseArgs, printResult, runIntent } from "./plan";

export const summary = "Run one intent against a tenant or the sandbox.";

const USAGE = "usage: intents run <intent-name|file> --input payload.json --graph-url URL   (token: GRAPH_ACCESS_TOKEN)";

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) return void process.stdout.write(`${USAGE}\n`), 0;
  const parsed = parseArgs(args, USAGE);
  if ("usage" in parsed) return void process.stderr.write(`intents run: ${parsed.usage}\n`), 2;
  if (!parsed.graphUrl) return void process.stderr.write(`intents run: --graph-url is required\n${USAGE}\n`), 2;
  const token = process.env.GRAPH_ACCESS_TOKEN;
  if (!token) return void process.stderr.write("intents run: set GRAPH_ACCESS_TOKEN to a Graph access token\n"), 2;
  try {
    return printResult(await runIntent(parsed, "live", graphClientFor(parsed.graphUrl, token)));
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    process.stderr.write(`intents run: ${error.code} ${error.message}\n`);
    return 1;
  }
}
