/** The catalogue as the permission and docs commands see it, with repository-relative file paths. */
import { dirname, relative } from "node:path";
import { builtinKindSpecs } from "../../kinds";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../language/spec/catalog";
import type { DocumentedIntent } from "./types";

const REPO_ROOT = dirname(DEFAULT_INTENTS_DIR);

export function loadDocumentedIntents(dir?: string): DocumentedIntent[] {
  return loadCatalog(builtinKindSpecs(), dir).intents.map((intent) => ({ ...intent, file: relative(REPO_ROOT, intent.file).split("\\").join("/") }));
}
