/** `intents test [intent…]`: runs each intent's own cases against the sandbox; one line per case. */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { casesFileFor, runCaseFiles, selectCaseFiles } from "../../../tooling/cases";
import { githubError } from "../../../tooling/annotations";
import { ensureIntentError } from "../../../core/errors";
import { builtinKindSpecs } from "../../../kinds";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../../language/spec/catalog";

export const summary = "Run each intent's own cases (intents/cases/*.cases.yaml) against the sandbox tenant";

const HELP = `usage: intents test [--dir intents] [--format text|github] [intent name …]

Runs the cases of the named intents (all when none) against a fresh sandbox tenant per case and
prints one line per case. Exits 1 when any case fails, 2 on bad usage, an unknown intent
or a missing or invalid case file. --format github adds, for each failed case, a GitHub Actions
error annotation at the case in its cases file.`;

/** The line of a case's \`name:\` in its cases file (1 when it cannot be found). */
function caseLine(file: string, name: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const at = lines.findIndex((line) => /^\s*-?\s*name:/.test(line) && line.includes(name));
  return at < 0 ? 1 : at + 1;
}

export async function run(args: string[]): Promise<number> {
  let parsed: { values: { dir?: string; format?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { dir: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    process.stderr.write(`intents test: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const format = parsed.values.format ?? "text";
  if (format !== "text" && format !== "github") {
    process.stderr.write(`intents test: unknown format ${format}\n\n${HELP}\n`);
    return 2;
  }
  let selected: ReturnType<typeof selectCaseFiles>;
  try {
    selected = selectCaseFiles(loadCatalog(builtinKindSpecs(), parsed.values.dir ?? DEFAULT_INTENTS_DIR), parsed.positionals);
  } catch (error) {
    process.stderr.write(`intents test: ${ensureIntentError(error).message}\n`);
    return 2;
  }
  const casesFile = new Map(selected.map(({ intent }) => [intent.name, relative(process.cwd(), casesFileFor(intent))]));
  const outcomes = await runCaseFiles(selected, (outcome) => {
    const mark = outcome.passed ? "ok  " : "FAIL";
    process.stdout.write(`${mark} ${outcome.intent} › ${outcome.name} (${outcome.durationMs} ms)\n`);
    for (const problem of outcome.problems) process.stdout.write(`       ${problem}\n`);
    for (const line of outcome.explanation ?? []) process.stdout.write(`       ${line}\n`);
    const file = casesFile.get(outcome.intent);
    if (!outcome.passed && format === "github" && file) {
      const message = [`${outcome.intent} › ${outcome.name} failed`, ...outcome.problems, ...(outcome.explanation ?? [])].join("\n");
      process.stdout.write(`${githubError({ file, line: caseLine(file, outcome.name), title: "intent case failed", message })}\n`);
    }
  });
  const failed = outcomes.filter((o) => !o.passed).length;
  process.stdout.write(`${outcomes.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
