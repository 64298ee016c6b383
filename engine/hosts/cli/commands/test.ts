/** `intents test [intent…]`: runs each intent's own cases against the sandbox; one line per case. */
import { parseArgs } from "node:util";
import { runCaseFiles, selectCaseFiles } from "../../../tooling/cases";
import { ensureIntentError } from "../../../core/errors";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../../language/spec/catalog";

export const summary = "Run each intent's own cases (intents/cases/*.cases.yaml) against the sandbox tenant";

const HELP = `usage: intents test [--dir intents] [intent name …]

Runs the cases of the named intents (all when none) against a fresh sandbox tenant per case and
prints one line per case. Exits 1 when any case fails, 2 on bad usage, an unknown intent
or a missing or invalid case file.`;

export async function run(args: string[]): Promise<number> {
  let parsed: { values: { dir?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { dir: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    process.stderr.write(`intents test: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  let selected: ReturnType<typeof selectCaseFiles>;
  try {
    selected = selectCaseFiles(loadCatalog(parsed.values.dir ?? DEFAULT_INTENTS_DIR), parsed.positionals);
  } catch (error) {
    process.stderr.write(`intents test: ${ensureIntentError(error).message}\n`);
    return 2;
  }
  const outcomes = await runCaseFiles(selected, (outcome) => {
    const mark = outcome.passed ? "ok  " : "FAIL";
    process.stdout.write(`${mark} ${outcome.intent} › ${outcome.name} (${outcome.durationMs} ms)\n`);
    for (const problem of outcome.problems) process.stdout.write(`       ${problem}\n`);
  });
  const failed = outcomes.filter((o) => !o.passed).length;
  process.stdout.write(`${outcomes.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
