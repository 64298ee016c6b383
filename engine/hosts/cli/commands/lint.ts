/** `intents lint [paths…]`: every problem at once as `file:line:col CODE message`; exit 1 on any. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_INTENTS_DIR, formatDiagnostic, lintPaths } from "../../../language/spec/catalog";

export const summary = "Check intent files and the policy file against their schemas and the language rules.";

const USAGE = "usage: intents lint [paths…]   (default: intents/ and the policy.yaml beside it)";

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flag = args.find((arg) => arg.startsWith("-"));
  if (flag) {
    process.stderr.write(`intents lint: unknown option ${flag}\n${USAGE}\n`);
    return 2;
  }
  const local = join(process.cwd(), "intents");
  const paths = args.length > 0 ? args : [existsSync(local) ? local : DEFAULT_INTENTS_DIR];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    process.stderr.write(`intents lint: no such file or directory: ${missing.join(", ")}\n`);
    return 2;
  }
  const { diagnostics, files, policies, libraries } = lintPaths(paths);
  for (const diagnostic of diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
  const verdict = diagnostics.length === 0 ? "no problems" : `${diagnostics.length} problem(s)`;
  const parts = [`${files} intent file(s)`, libraries > 0 ? `${libraries} librar${libraries === 1 ? "y" : "ies"}` : "", policies > 0 ? `${policies} policy file(s)` : ""].filter(Boolean);
  const checked = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  process.stderr.write(`${checked} checked, ${verdict}\n`);
  return diagnostics.length === 0 ? 0 : 1;
}
