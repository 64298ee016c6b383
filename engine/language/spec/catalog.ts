/** The loaded set of intents, looked up by name or alias the way Thread sends them. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { IntentError } from "../../core/errors";
import type { Diagnostic } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { DEFAULT_INTENTS_DIR, intentFiles } from "./files";
import { loadIntentFiles } from "./load";
import { normaliseName } from "./names";
import { isPolicyText, lintPolicyFile, policyPathFor } from "../policy/load";
import type { Catalog, CompiledIntent } from "./types";
import { catalogOf } from "./catalog-index";

export { DEFAULT_INTENTS_DIR };


export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`;
}

/** Intent name or alias → canonical name, over the intents loaded. */
function nameResolver(intents: readonly CompiledIntent[]): (name: string) => string | undefined {
  const byName = new Map<string, string>();
  for (const intent of intents) for (const name of [intent.name, ...intent.aliases]) byName.set(normaliseName(name), intent.name);
  return (name) => byName.get(normaliseName(name));
}

/**
 * Lints intent files and policy files (`kind: Policy`) under the paths; a folder given brings the
 * policy.yaml beside it (the deployment policy beside intents/). A policy's per-intent rules are
 * checked against the intents linted with it, or else the intents/ folder beside the policy.
 */
export function lintPaths(paths: string[], kinds: KindSpecs): { diagnostics: Diagnostic[]; files: number; policies: number; libraries: number } {
  const found = intentFiles(paths);
  const policies = found.filter((file) => isPolicyText(readFileSync(file, "utf8")));
  for (const path of paths) {
    const beside = policyPathFor(path);
    if (statSync(path).isDirectory() && existsSync(beside) && !policies.includes(beside)) policies.push(beside);
  }
  const files = found.filter((file) => !policies.includes(file));
  const { intents, diagnostics, files: intentCount, libraries } = loadIntentFiles(files, { kinds });
  for (const policy of policies) {
    const siblings = join(dirname(policy), "intents");
    const known = files.length > 0 ? intents : existsSync(siblings) ? loadIntentFiles(intentFiles([siblings]), { kinds }).intents : undefined;
    diagnostics.push(...lintPolicyFile(policy, known ? { resolveIntent: nameResolver(known) } : {}));
  }
  return { diagnostics, files: intentCount, policies: policies.length, libraries };
}

/**
 * Loads, validates and compiles every intent under dir once; throws on any invalid intent. Checks
 * against Graph's metadata are left to `intents lint` and CI: reading and querying its 700 KB
 * index was a sixth of every cold start.
 */
export function loadCatalog(kinds: KindSpecs, dir: string = DEFAULT_INTENTS_DIR): Catalog {
  const { intents, diagnostics } = loadIntentFiles(intentFiles([dir]), { kinds, referenceChecks: false });
  const [first] = diagnostics;
  if (first) {
    const summary = diagnostics.slice(0, 5).map(formatDiagnostic).join("\n");
    throw new IntentError(first.code, `${diagnostics.length} problem(s) in the intents:\n${summary}`, { details: diagnostics });
  }
  return catalogOf(intents);
}
