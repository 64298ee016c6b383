/** The loaded set of intents, looked up by name or alias the way Thread sends them. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { IntentError } from "../../core/errors";
import type { Diagnostic } from "../../core/step-kind";
import { intentFiles, loadIntentFiles } from "./load";
import { normaliseName } from "./names";
import type { Catalog } from "./types";

/** `<repo>/intents`, from the sources (engine/language/spec) or from a build (dist/engine/language/spec). */
export const DEFAULT_INTENTS_DIR =
  [join(__dirname, "..", "..", "..", "intents"), join(__dirname, "..", "..", "..", "..", "intents")].find((dir) => existsSync(dir)) ?? join(__dirname, "..", "..", "..", "intents");

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`;
}

export function lintPaths(paths: string[]): { diagnostics: Diagnostic[]; files: number } {
  const files = intentFiles(paths);
  return { diagnostics: loadIntentFiles(files).diagnostics, files: files.length };
}

/**
 * Loads, validates and compiles every intent under dir once; throws on any invalid intent. Checks
 * against Graph's metadata are left to `intents lint` and CI: reading and querying its 700 KB
 * index was a sixth of every cold start.
 */
export function loadCatalog(dir: string = DEFAULT_INTENTS_DIR): Catalog {
  const { intents, diagnostics } = loadIntentFiles(intentFiles([dir]), { referenceChecks: false });
  const [first] = diagnostics;
  if (first) {
    const summary = diagnostics.slice(0, 5).map(formatDiagnostic).join("\n");
    throw new IntentError(first.code, `${diagnostics.length} problem(s) in the intents:\n${summary}`, { details: diagnostics });
  }
  const byName = new Map<string, (typeof intents)[number]>();
  for (const intent of intents) for (const name of [intent.name, ...intent.aliases]) byName.set(normaliseName(name), intent);
  return Object.freeze({
    intents: Object.freeze(intents),
    find: (name: string) => byName.get(normaliseName(name)),
    supportedNames: () => intents.map((intent) => intent.name).sort(),
  });
}
