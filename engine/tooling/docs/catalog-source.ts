/** The catalogue as the permission and docs commands see it, with repository-relative file paths. */
import { dirname, relative } from "node:path";
import { loadCatalog } from "../../index";
import { DEFAULT_INTENTS_DIR } from "../../language/spec/catalog";
import type { DocumentedIntent } from "./types";

const REPO_ROOT = dirname(DEFAULT_INTENTS_DIR);

export function loadDocumentedIntents(dir?: string): DocumentedIntent[] {
  return loadCatalog(dir).intents.map((intent) => ({ ...intent, file: relative(REPO_ROOT, intent.file).split("\\").join("/") }));
}
