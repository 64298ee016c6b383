/** `intents new <name>`: scaffolds an intent and its cases that lint clean and pass, to edit from. */
import { parseArgs } from "node:util";
import { ensureIntentError } from "../../../core/errors";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../../language/spec/catalog";
import { scaffoldIntent } from "../../../tooling/scaffold";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { builtinKindSpecs } from "../../../kinds";

export const summary = "Scaffold a new intent and its cases (intents/<name>.yaml, intents/cases/<name>.cases.yaml).";

const USAGE = `usage: intents new <intent name> [--dir intents]

Writes intents/<file>.yaml (a user lookup from intents/shared and a message) and
intents/cases/<file>.cases.yaml (two cases), both passing \`intents lint\` and \`intents test\`.`;

export async function run(args: string[]): Promise<number> {
  let parsed: { values: { dir?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { dir: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    process.stderr.write(`intents new: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) return void process.stdout.write(`${USAGE}\n`), 0;
  const name = parsed.positionals.join(" ").trim();
  if (name === "") return void process.stderr.write(`intents new: name the intent\n\n${USAGE}\n`), 2;
  const local = join(process.cwd(), "intents");
  const dir = parsed.values.dir ?? (existsSync(local) ? local : DEFAULT_INTENTS_DIR);
  try {
    const taken = existsSync(dir) ? loadCatalog(builtinKindSpecs(), dir).find(name) : undefined;
    if (taken) {
      process.stderr.write(`intents new: "${name}" is already the name or an alias of ${taken.name} (${taken.file})\n`);
      return 1;
    }
    const written = scaffoldIntent(name, dir);
    process.stdout.write(`wrote ${written.intent}\nwrote ${written.cases}\nnext: edit them, then \`npx intents lint\` and \`npx intents test "${name}"\`\n`);
    return 0;
  } catch (thrown) {
    process.stderr.write(`intents new: ${ensureIntentError(thrown).message}\n`);
    return 1;
  }
}
