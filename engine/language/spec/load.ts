/**
 * Intent files through the pipeline: YAML → schema → fragments resolved → semantic analysis →
 * compiled plan. Library files (`kind: Library`) are read first: the ones among the files loaded,
 * and the `shared/` folder beside each intent (when there is none, the shipped intents/shared).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { yamlFiles } from "./files";
import { dirname, join, relative, resolve } from "node:path";
import { internPredicates, type Expr, type PredicateTable } from "../expression";
import { expandFragments } from "./fragments";
import { loadLibraries } from "./library";
import { predicateExpression } from "./library-checks";
import type { Library } from "./library-types";
import type { Diagnostic } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { analyzeIntent } from "./analyze";
import { diagnosticReporter } from "./diagnostic-reporter";
import { compileIntent } from "./compile";
import { analyzeSnapshotAndUndo, snapshotOutputs } from "./snapshot-undo";
import { normaliseName } from "./names";
import { parseSource, type SourceFile } from "./source";
import type { CompiledIntent, IntentSpec } from "./types";
import { validateAgainstSchema, withoutSchemaErrors } from "./validate";

export { intentFiles } from "./files";

export interface LoadedIntent {
  intent?: CompiledIntent;
  diagnostics: Diagnostic[];
  /** Where the intent's name is written, for diagnostics that span files. */
  nameAt?: { line: number; col: number };
  /** Where each entry of `settings` is written, in order. */
  settingsAt?: ReadonlyArray<{ line: number; col: number }>;
  /** The intent as compiled: schema-valid, fragments expanded, analysed clean; and its predicates. */
  resolved?: ResolvedIntent;
}

/** What compileIntent turns into the compiled intent: all a catalogue snapshot needs to keep. */
export interface ResolvedIntent {
  spec: IntentSpec;
  predicates: PredicateTable;
}

export interface LoadOptions {
  /** The step kinds intents may use; steps are checked and compiled against their specs. */
  kinds: KindSpecs;
  /** False for the runtime loader: kinds skip checks against reference data such as Graph's metadata. */
  referenceChecks?: boolean;
  /** The fragments and predicates in reach; by default those of `shared/` beside the file. */
  library?: Library;
}

/** The named predicates an intent's templates may use: the libraries' and its own. */
function predicateTable(spec: IntentSpec, library: Library): PredicateTable {
  const table = new Map<string, Expr>();
  for (const [name, predicate] of library.predicates) table.set(name, predicate.expr);
  for (const [name, text] of Object.entries(spec.predicates ?? {})) {
    if (typeof text !== "string" || table.has(name)) continue;
    const expr = predicateExpression(text, [], () => undefined);
    if (expr) table.set(name, expr);
  }
  return internPredicates(table);
}

function loadSource(source: SourceFile, options: LoadOptions, library: Library): LoadedIntent {
  const schemaDiagnostics = validateAgainstSchema(source);
  // What the schema refuses is taken out and the rest is still checked, so one schema error never
  // hides the others; a schema-invalid intent is never compiled.
  const value = schemaDiagnostics.length > 0 ? withoutSchemaErrors(source.value) : source.value;
  const diagnostics: Diagnostic[] = [...schemaDiagnostics];
  try {
    const expansion = expandFragments(value, library);
    const report = diagnosticReporter(source, undefined, diagnostics);
    for (const problem of expansion.problems) report(problem.code, problem.message, problem.path, { key: problem.key === true });
    const predicates = predicateTable(expansion.spec as IntentSpec, library);
    const analysis = { kinds: options.kinds, ...(options.referenceChecks === false ? { referenceChecks: false } : {}), library, predicates };
    // The snapshot and undo are steps of their own; the intent's steps may read what the snapshot records.
    const parts = analyzeSnapshotAndUndo(source, expansion.spec as IntentSpec, analysis);
    const spec = parts.spec;
    const rootsInReach = spec.snapshot || spec.undo ? { snapshot: snapshotOutputs(spec, options.kinds) } : {};
    diagnostics.push(...analyzeIntent(source, spec, { ...analysis, expansion, rootsInReach }), ...parts.diagnostics);
    if (options.referenceChecks !== false) diagnostics.push(...casesDiagnostics(source, spec));
    if (diagnostics.length > 0) return { diagnostics: dedupe(diagnostics) };
    const settingsAt = (spec.settings ?? []).map((_, i) => source.locate(["settings", i]));
    return { intent: compileIntent(spec, source.file, options.kinds, predicates), diagnostics: [], nameAt: source.locate(["name"]), settingsAt, resolved: { spec, predicates } };
  } catch (thrown) {
    // A shape the schema already refused can trip a semantic check; its errors are the answer.
    if (schemaDiagnostics.length > 0) return { diagnostics: dedupe(diagnostics) };
    throw thrown;
  }
}

/** One diagnostic per place and message: a fragment used twice, or a check reached twice, says it once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A `cases:` key names a file that exists (relative to the intent file), when the intent is a file. */
function casesDiagnostics(source: SourceFile, spec: IntentSpec): Diagnostic[] {
  const cases = (spec as { cases?: unknown }).cases;
  if (typeof cases !== "string" || !existsSync(source.file)) return [];
  const path = resolve(dirname(source.file), cases);
  if (existsSync(path)) return [];
  const { line, col } = source.locate(["cases"]);
  const message = `cases: ${cases} does not exist (${relative(dirname(source.file), path) || path} beside the intent); write it (\`intents new\` scaffolds one), or remove the key to use cases/<file>.cases.yaml`;
  return [{ code: "SPEC_CASES_MISSING", message, file: source.file, line, col, path: "cases" }];
}

/**
 * The shipped libraries (`intents/shared` of this engine), from the sources or from a build: what
 * an intents folder without a `shared/` of its own uses.
 */
const SHIPPED_LIBRARIES = [join(__dirname, "..", "..", "..", "intents", "shared"), join(__dirname, "..", "..", "..", "..", "intents", "shared")].find((dir) => existsSync(dir));

function sharedBeside(file: string): string | undefined {
  const dir = join(dirname(resolve(file)), "shared");
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

/**
 * The library files for these intent files: the libraries among them and in `shared/` beside
 * each; when there are none, the shipped ones.
 */
function libraryFilesFor(intentFiles: readonly string[], among: readonly string[]): { files: string[]; shipped: boolean } {
  const found = new Set(among.map((file) => resolve(file)));
  for (const file of intentFiles) {
    const shared = sharedBeside(file);
    if (shared) for (const path of yamlFiles([shared])) found.add(resolve(path));
  }
  if (found.size > 0 || !SHIPPED_LIBRARIES) return { files: [...found].sort(), shipped: false };
  return { files: yamlFiles([SHIPPED_LIBRARIES]).map((path) => resolve(path)), shipped: true };
}

/** `count`: the libraries of the folders loaded (the shipped ones, used in their absence, are not counted). */
function readLibraries(found: { files: string[]; shipped: boolean }, options: LoadOptions): { library: Library; diagnostics: Diagnostic[]; count: number; files: string[] } {
  const sources = found.files.flatMap((path) => {
    const parsed = parseSource(shownPath(path), readFileSync(path, "utf8"));
    return parsed.source && isLibrary(parsed.source) ? [parsed.source] : [];
  });
  return { ...loadLibraries(sources, options), count: found.shipped ? 0 : sources.length, files: found.files };
}

export function loadIntentText(file: string, text: string, options: LoadOptions): LoadedIntent {
  const { source, diagnostics } = parseSource(file, text);
  if (!source) return { diagnostics };
  if (options.library) return loadSource(source, options, options.library);
  const found = readLibraries(libraryFilesFor(existsSync(file) ? [file] : [], []), options);
  const loaded = loadSource(source, options, found.library);
  return { ...loaded, diagnostics: [...found.diagnostics, ...loaded.diagnostics] };
}

function isLibrary(source: SourceFile): boolean {
  return (source.value as { kind?: unknown } | null)?.kind === "Library";
}

function shownPath(file: string): string {
  return relative(process.cwd(), file) || file;
}

export interface LoadedFiles {
  intents: CompiledIntent[];
  diagnostics: Diagnostic[];
  /** How many intent files and libraries were read. */
  files: number;
  libraries: number;
  /** Each intent of `intents`, by its absolute path, as it was compiled. */
  resolved: Array<ResolvedIntent & { path: string }>;
  /** Absolute paths of every file the intents were made from: intent files and the libraries used. */
  read: string[];
}

/**
 * Loads every file: libraries first (those among the files and in `shared/` beside each intent),
 * then the intents; a name or alias claimed twice is reported at the second claim.
 */
export function loadIntentFiles(files: string[], options: LoadOptions): LoadedFiles {
  const intents: CompiledIntent[] = [];
  const resolved: LoadedFiles["resolved"] = [];
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];
  const libraryFiles = new Set<string>();
  let intentCount = 0;
  for (const file of files) {
    const parsed = parseSource(shownPath(file), readFileSync(file, "utf8"));
    diagnostics.push(...parsed.diagnostics);
    if (parsed.source && isLibrary(parsed.source)) {
      libraryFiles.add(resolve(file));
      continue;
    }
    intentCount++;
    if (parsed.source) sources.push(parsed.source);
  }
  const intentPaths = files.filter((file) => !libraryFiles.has(resolve(file)));
  const loaded = options.library ? { library: options.library, diagnostics: [], count: 0, files: [] } : readLibraries(libraryFilesFor(intentPaths, [...libraryFiles]), options);
  diagnostics.push(...loaded.diagnostics);
  const claimed = new Map<string, string>();
  const everyLoaded: Array<{ file: string; loaded: LoadedIntent }> = [];
  for (const source of sources) {
    const result = loadSource(source, options, loaded.library);
    diagnostics.push(...result.diagnostics);
    if (!result.intent) continue;
    everyLoaded.push({ file: source.file, loaded: result });
    const duplicate = [result.intent.name, ...result.intent.aliases].find((name) => claimed.has(normaliseName(name)));
    if (duplicate !== undefined) {
      const { line, col } = result.nameAt ?? { line: 1, col: 1 };
      diagnostics.push({ code: "SPEC_DUPLICATE_INTENT_NAME", message: `"${duplicate}" is already claimed by ${claimed.get(normaliseName(duplicate))}`, file: source.file, line, col });
      continue;
    }
    for (const name of [result.intent.name, ...result.intent.aliases]) claimed.set(normaliseName(name), source.file);
    intents.push(result.intent);
    if (result.resolved) resolved.push({ ...result.resolved, path: resolve(source.file) });
  }
  diagnostics.push(...secretsReadAsPlain(everyLoaded));
  const read = [...new Set([...files.map((file) => resolve(file)), ...loaded.files])].sort();
  return { intents, diagnostics, files: intentCount, libraries: loaded.count, resolved, read };
}

/** A setting one intent declares secret is never plain text in another: its value would show. */
function secretsReadAsPlain(loaded: ReadonlyArray<{ file: string; loaded: LoadedIntent }>): Diagnostic[] {
  const secretIn = new Map<string, string>();
  for (const { file, loaded: { intent } } of loaded) for (const name of intent?.secrets ?? []) if (!secretIn.has(name)) secretIn.set(name, file);
  const found: Diagnostic[] = [];
  for (const { file, loaded: { intent, settingsAt } } of loaded) {
    intent?.settings.forEach((name, i) => {
      const owner = secretIn.get(name);
      if (owner === undefined) return;
      const { line, col } = settingsAt?.[i] ?? { line: 1, col: 1 };
      found.push({ code: "SPEC_SECRET_NOT_ALLOWED", message: `${name} is a secret setting (declared under secrets in ${owner}): declare it under secrets here too`, file, line, col });
    });
  }
  return found;
}
