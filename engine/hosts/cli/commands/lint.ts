/** `intents lint [paths…]`: every problem at once as `file:line:col CODE message`; exit 1 on any. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { builtinKindSpecs } from "../../../kinds";
import { DEFAULT_INTENTS_DIR, formatDiagnostic, lintPaths } from "../../../language/spec/catalog";
import { githubError } from "../../../tooling/annotations";

export const summary = "Check intent files and the policy file against their schemas and the language rules.";

const USAGE = "usage: intents lint [--format text|github] [paths…]   (default: intents/ and the policy.yaml beside it)\n  --format github  each problem as a GitHub Actions error annotation at its file, line and column";

export async function run(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let format = "text";
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--format") format = args[++i] ?? "";
    else if (arg.startsWith("--format=")) format = arg.slice("--format=".length);
    else rest.push(arg);
  }
  const flag = rest.find((arg) => arg.startsWith("-"));
  if (flag || (format !== "text" && format !== "github")) {
    process.stderr.write(`intents lint: ${flag ? `unknown option ${flag}` : `unknown format ${format}`}\n${USAGE}\n`);
    return 2;
  }
  const local = join(process.cwd(), "intents");
  const paths = rest.length > 0 ? rest : [existsSync(local) ? local : DEFAULT_INTENTS_DIR];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    process.stderr.write(`intents lint: no such file or directory: ${missing.join(", ")}\n`);
    return 2;
  }
  const { diagnostics, files, policies, libraries } = lintPaths(paths, builtinKindSpecs());
  for (const d of diagnostics) {
    process.stdout.write(`${format === "github" ? githubError({ file: d.file, line: d.line, col: d.col, title: d.code, message: `${d.code} ${d.message}` }) : formatDiagnostic(d)}\n`);
  }
  const verdict = diagnostics.length === 0 ? "no problems" : `${diagnostics.length} problem(s)`;
  const parts = [`${files} intent file(s)`, libraries > 0 ? `${libraries} librar${libraries === 1 ? "y" : "ies"}` : "", policies > 0 ? `${policies} policy file(s)` : ""].filter(Boolean);
  const checked = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  process.stderr.write(`${checked} checked, ${verdict}\n`);
  return diagnostics.length === 0 ? 0 : 1;
}
