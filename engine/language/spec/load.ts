/** One intent file through the pipeline: YAML → schema → semantic analysis → compiled plan. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Diagnostic } from "../../core/step-kind";
import { analyzeIntent, type AnalyzeOptions } from "./analyze";
import { compileIntent } from "./compile";
import { normaliseName } from "./names";
import { parseSource } from "./source";
import type { CompiledIntent, IntentSpec } from "./types";
import { validateAgainstSchema } from "./validate";

export interface LoadedIntent {
  intent?: CompiledIntent;
  diagnostics: Diagnostic[];
  /** Where the intent's name is written, for diagnostics that span files. */
  nameAt?: { line: number; col: number };
}

export function loadIntentText(file: string, text: string, options: AnalyzeOptions = {}): LoadedIntent {
  const { source, diagnostics } = parseSource(file, text);
  if (!source) return { diagnostics };
  const schemaDiagnostics = validateAgainstSchema(source);
  // Semantic checks need the shape the schema guarantees, so they wait for a schema-valid file.
  if (schemaDiagnostics.length > 0) return { diagnostics: schemaDiagnostics };
  const spec = source.value as IntentSpec;
  const semantic = analyzeIntent(source, spec, options);
  if (semantic.length > 0) return { diagnostics: semantic };
  return { intent: compileIntent(spec, file), diagnostics: [], nameAt: source.locate(["name"]) };
}

/** Intent files under each path (a file, or a directory searched recursively), sorted. */
export function intentFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (/\.ya?ml$/.test(path) && !/\.cases\.ya?ml$/.test(path)) {
      files.push(path);
    }
  };
  paths.forEach(visit);
  return files;
}

/** Loads every file; a name or alias claimed twice is reported at the second claim. */
export function loadIntentFiles(files: string[], options: AnalyzeOptions = {}): { intents: CompiledIntent[]; diagnostics: Diagnostic[] } {
  const intents: CompiledIntent[] = [];
  const diagnostics: Diagnostic[] = [];
  const claimed = new Map<string, string>();
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    const loaded = loadIntentText(shown, readFileSync(file, "utf8"), options);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.intent) continue;
    const duplicate = [loaded.intent.name, ...loaded.intent.aliases].find((name) => claimed.has(normaliseName(name)));
    if (duplicate !== undefined) {
      const { line, col } = loaded.nameAt ?? { line: 1, col: 1 };
      diagnostics.push({ code: "SPEC_DUPLICATE_INTENT_NAME", message: `"${duplicate}" is already claimed by ${claimed.get(normaliseName(duplicate))}`, file: shown, line, col });
      continue;
    }
    for (const name of [loaded.intent.name, ...loaded.intent.aliases]) claimed.set(normaliseName(name), shown);
    intents.push(loaded.intent);
  }
  return { intents, diagnostics };
}
