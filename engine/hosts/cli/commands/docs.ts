/** `intents docs`: the intent catalogue in Markdown, to create each intent's form in Thread. */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../../language/spec/catalog";
import { builtinKindSpecs } from "../../../kinds";
import { loadDocumentedIntents } from "../../../tooling/docs/catalog-source";
import { deploymentPolicy } from "../../compose/policy";
import { loadSettings } from "../../config";
import { renderCatalogMarkdown } from "../../../tooling/docs/docs-markdown";
import { renderErrorCodesMarkdown } from "../../../tooling/docs/error-codes-markdown";
import { renderHelpersMarkdown } from "../../../tooling/docs/helpers-markdown";
import { renderLibraryMarkdown, sharedLibrary } from "../../../tooling/docs/library-markdown";

export const summary = "Write the intent catalogue in Markdown: Thread form fields, risk, who may ask (requester policy), permissions (--out file.md); --errors prints the engine's error-code table, --helpers the template helper reference, --library what the libraries in shared/ define.";

const USAGE = "usage: intents docs [--out <file.md>] [--dir <intents folder>] [--errors | --helpers | --library]\n";

/** The catalogue with each intent's requester rule under this deployment's policy (POLICY_FILE, policy.yaml beside the folder, or built in). */
function documentedIntents(dir: string | undefined): ReturnType<typeof loadDocumentedIntents> {
  const intentsDir = dir ?? DEFAULT_INTENTS_DIR;
  return loadDocumentedIntents(intentsDir, deploymentPolicy(loadSettings(process.env), loadCatalog(builtinKindSpecs(), intentsDir), intentsDir));
}

export async function run(args: string[]): Promise<number> {
  let values: { out?: string; dir?: string; help?: boolean; errors?: boolean; helpers?: boolean; library?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { out: { type: "string" }, dir: { type: "string" }, errors: { type: "boolean" }, helpers: { type: "boolean" }, library: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    process.stderr.write(`intents docs: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const markdown = values.errors
    ? renderErrorCodesMarkdown()
    : values.helpers
      ? renderHelpersMarkdown()
      : values.library
        ? renderLibraryMarkdown(sharedLibrary(builtinKindSpecs(), values.dir ?? DEFAULT_INTENTS_DIR))
        : renderCatalogMarkdown(documentedIntents(values.dir));
  if (values.out) {
    writeFileSync(values.out, markdown);
    process.stderr.write(`intents docs: wrote ${values.out}\n`);
  } else {
    process.stdout.write(markdown);
  }
  return 0;
}
