/**
 * Libraries: YAML files of `kind: Library` holding what intents share by name — predicates,
 * request fragments, step fragments, outcome sets and named data (constants), merged into one set
 * of names. Each library is checked on its own (its schema here; its templates, predicates and
 * Graph names in library-checks.ts); the intents that use its fragments are checked where they use
 * them (engine/language/spec/fragments.ts).
 */
import type { ValidateFunction } from "ajv";
import libraryJsonSchema from "../../../schemas/library.schema.json";
import type { Diagnostic } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import type { DocPath, SourceFile } from "./source";
import { pointerToPath } from "./validate";
import { checkLibraryTemplate, checkPredicate, checkRules, predicateExpression, staticRequest, walkStrings, type Report } from "./library-checks";
import type { Fragment, FragmentInput, InputType, Library, LibraryConstant, LibraryRule, LibraryStep, Predicate } from "./library-types";

interface LibraryFile {
  apiVersion: string;
  kind: "Library";
  description: string;
  predicates?: Record<string, string>;
  requests?: Record<string, { description?: string; inputs?: Record<string, { type: InputType; required?: boolean; description?: string }>; request: Record<string, unknown> }>;
  steps?: Record<string, LibraryStep & { description?: string; inputs?: Record<string, { type: InputType; required?: boolean; description?: string }> }>;
  outcomes?: Record<string, { description?: string; inputs?: Record<string, { type: InputType; required?: boolean; description?: string }>; rules: LibraryRule[] }>;
  constants?: Record<string, unknown>;
}

// Compiled on first use: a process starting from the catalogue snapshot reads no library file,
// and loading Ajv's compiler and compiling this schema cost ~80 ms of every start.
let validateLibrary: ValidateFunction | undefined;

function libraryValidator(): ValidateFunction {
  if (!validateLibrary) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv } = require("ajv") as typeof import("ajv");
    validateLibrary = new Ajv({ allErrors: true, strict: false }).compile(libraryJsonSchema);
  }
  return validateLibrary;
}

function reporter(source: SourceFile, diagnostics: Diagnostic[]): Report {
  return (code, message, path, anchor = {}) => {
    const { line, col } = anchor.offset === undefined ? source.locate(path, anchor.key) : source.locateAt(path, anchor.offset);
    diagnostics.push({ code, message, file: source.file, line, col, path: path.join(".") });
  };
}

function inputsOf(written: Record<string, { type: InputType; required?: boolean; description?: string }> | undefined): Record<string, FragmentInput> {
  return Object.fromEntries(
    Object.entries(written ?? {}).map(([name, input]) => [name, { type: input.type, required: input.required !== false, ...(input.description ? { description: input.description } : {}) }]),
  );
}

/**
 * Merges the library files into one set of names; a name defined twice is reported at its second
 * definition. Diagnostics carry each file's own line and column.
 */
export function loadLibraries(sources: readonly SourceFile[], options: { kinds: KindSpecs; referenceChecks?: boolean }): { library: Library; diagnostics: Diagnostic[] } {
  const checks = options.referenceChecks === false ? { referenceChecks: false } : {};
  const diagnostics: Diagnostic[] = [];
  const predicates = new Map<string, Predicate>();
  const requests = new Map<string, Fragment<Record<string, unknown>>>();
  const steps = new Map<string, Fragment<LibraryStep>>();
  const outcomes = new Map<string, Fragment<LibraryRule[]>>();
  const constants = new Map<string, LibraryConstant>();
  const checked: Array<() => void> = [];
  for (const source of sources) {
    const report = reporter(source, diagnostics);
    // An entry the schema refuses is left out; the others stay usable, so one mistake in a library
    // is reported once, not again at every use of its neighbours.
    const refused = new Set<string>();
    const validate = libraryValidator();
    if (!validate(source.value)) {
      for (const error of validate.errors ?? []) {
        const path = pointerToPath(error.instancePath);
        const extra = error.keyword === "additionalProperties" ? String((error.params as { additionalProperty: string }).additionalProperty) : undefined;
        const where = path.length > 0 ? path.join(".") : "the library";
        report("SPEC_SCHEMA", extra ? `unknown key "${extra}" in ${where}` : `${where} ${error.message ?? "is invalid"}`, extra ? [...path, extra] : path, { key: extra !== undefined });
        if (path.length < 2) refused.add("*");
        else refused.add(`${path[0]}.${path[1]}`);
      }
      if (refused.has("*")) continue;
    }
    const file = source.value as unknown as LibraryFile;
    const claim = (name: string, kind: string, path: DocPath): boolean => {
      if (predicates.has(name) || requests.has(name) || steps.has(name) || outcomes.has(name)) {
        report("SPEC_DUPLICATE_FRAGMENT", `the name "${name}" (${kind}) is already defined by another predicate, fragment or outcome set`, path, { key: true });
        return false;
      }
      return true;
    };
    for (const [name, text] of Object.entries(file.predicates ?? {})) {
      const path = ["predicates", name];
      if (refused.has(`predicates.${name}`)) continue;
      if (!claim(name, "predicate", path)) continue;
      const expr = predicateExpression(text, path, report);
      if (expr) predicates.set(name, { name, text, expr, at: { source, path } });
    }
    for (const [name, written] of Object.entries(file.requests ?? {})) {
      const path = ["requests", name];
      if (refused.has(`requests.${name}`)) continue;
      if (!claim(name, "request fragment", path)) continue;
      const fragment = { name, ...(written.description ? { description: written.description } : {}), inputs: inputsOf(written.inputs), body: written.request, at: { source, path } };
      requests.set(name, fragment);
      checked.push(() => {
        const scope = { inputs: new Set(Object.keys(fragment.inputs)), response: false };
        walkStrings(written.request, [...path, "request"], (text, at) => checkLibraryTemplate(text, at, scope, predicates, report));
        // A request fragment is checked as the one request of a graph:request step would be.
        options.kinds.find("graph:request")?.lint?.({ ...staticRequest(source, [...path, "request"], written.request), ...checks }, (code, message, at, anchor) => report(code, message, [...path, "request", ...at], anchor));
      });
    }
    for (const [name, written] of Object.entries(file.steps ?? {})) {
      const path = ["steps", name];
      if (refused.has(`steps.${name}`)) continue;
      if (!claim(name, "step fragment", path)) continue;
      const { description, inputs, ...step } = written;
      const fragment = { name, ...(description ? { description } : {}), inputs: inputsOf(inputs), body: step, at: { source, path } };
      steps.set(name, fragment);
      checked.push(() => {
        const kind = options.kinds.find(step.kind);
        if (!kind) report("SPEC_UNKNOWN_STEP_KIND", `unknown step kind "${step.kind}"`, [...path, "kind"]);
        kind?.lint?.({ ...staticRequest(source, [...path, "with"], step.with ?? {}), ...checks }, (code, message, at, anchor) => report(code, message, [...path, "with", ...at], anchor));
        const names = new Set(Object.keys(fragment.inputs));
        walkStrings(step.with ?? {}, [...path, "with"], (text, at) => checkLibraryTemplate(text, at, { inputs: names, response: false }, predicates, report));
        walkStrings(step.outputs ?? {}, [...path, "outputs"], (text, at) => checkLibraryTemplate(text, at, { inputs: names, response: true }, predicates, report));
        checkRules(step.outcomes ?? [], [...path, "outcomes"], names, predicates, report);
      });
    }
    for (const [name, written] of Object.entries(file.outcomes ?? {})) {
      const path = ["outcomes", name];
      if (refused.has(`outcomes.${name}`)) continue;
      if (!claim(name, "outcome set", path)) continue;
      const fragment = { name, ...(written.description ? { description: written.description } : {}), inputs: inputsOf(written.inputs), body: written.rules, at: { source, path } };
      outcomes.set(name, fragment);
      checked.push(() => checkRules(written.rules, [...path, "rules"], new Set(Object.keys(fragment.inputs)), predicates, report));
    }
    // Data is a namespace of its own: an intent takes it under `constants`, never as a fragment.
    for (const [name, value] of Object.entries(file.constants ?? {})) {
      const path = ["constants", name];
      if (refused.has(`constants.${name}`)) continue;
      if (constants.has(name)) {
        report("SPEC_DUPLICATE_FRAGMENT", `the constant "${name}" is already defined by another library`, path, { key: true });
        continue;
      }
      constants.set(name, { name, value: deepFreeze(structuredClone(value)), at: { source, path } });
    }
  }
  // Templates are checked once every predicate name is known, whichever file defines it.
  for (const check of checked) check();
  for (const predicate of predicates.values()) checkPredicate(predicate, predicates, reporter(predicate.at.source, diagnostics));
  return { library: { predicates, requests, steps, outcomes, constants }, diagnostics };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

