/**
 * Libraries: YAML files of `kind: Library` holding what intents share by name — predicates,
 * request fragments, step fragments, outcome sets and named data (constants). Each library is checked on its own here
 * (schema, templates in the library's own scope, Graph names of its requests); the intents that use
 * its fragments are checked where they use them (engine/language/spec/fragments.ts).
 */
import type { ValidateFunction } from "ajv";
import libraryJsonSchema from "../../../schemas/library.schema.json";
import type { ErrorCode } from "../../core/errors";
import type { Diagnostic, DiagnosticAnchor, StaticStep } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import type { DocPath, SourceFile } from "./source";
import { pointerToPath } from "./validate";
import type { FieldType } from "./types";
import { analyze, ParseError, parse, type Comparison, type Expr, type Reference, type TemplateProblem } from "../expression";

export type InputType = FieldType | "object";

export interface FragmentInput {
  type: InputType;
  required: boolean;
  description?: string;
}

/** Where a definition is written, for diagnostics at both ends of a use. */
export interface Written {
  source: SourceFile;
  path: DocPath;
}

export interface Fragment<Body> {
  name: string;
  description?: string;
  inputs: Record<string, FragmentInput>;
  body: Body;
  at: Written;
}

export interface LibraryRule {
  when: string;
  result: "changed" | "ok" | "failed";
  error?: { code: string; message: string; fix?: string };
}

export interface LibraryStep {
  kind: string;
  with?: Record<string, unknown>;
  outputs?: Record<string, string>;
  outcomes?: LibraryRule[];
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface Predicate {
  name: string;
  text: string;
  expr: Expr;
  at: Written;
}

/** Data an MSP keeps beside its intents (a department's groups, default choices), taken by name. */
export interface LibraryConstant {
  name: string;
  value: unknown;
  at: Written;
}

/** Everything the libraries in reach define, by name. */
export interface Library {
  predicates: ReadonlyMap<string, Predicate>;
  requests: ReadonlyMap<string, Fragment<Record<string, unknown>>>;
  steps: ReadonlyMap<string, Fragment<LibraryStep>>;
  outcomes: ReadonlyMap<string, Fragment<LibraryRule[]>>;
  constants: ReadonlyMap<string, LibraryConstant>;
}

export const EMPTY_LIBRARY: Library = { predicates: new Map(), requests: new Map(), steps: new Map(), outcomes: new Map(), constants: new Map() };

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

type Report = (code: ErrorCode, message: string, path: DocPath, anchor?: DiagnosticAnchor) => void;

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

/** Roots a library template may read where it is: its inputs, the run, and `response` where an answer is known. */
interface LibraryScope {
  inputs: ReadonlySet<string>;
  response: boolean;
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

/** A predicate is written as one `{{expression}}`. */
export function predicateExpression(text: string, path: DocPath, report: Report): Expr | undefined {
  try {
    const tree = parse(text);
    const [only] = tree.pieces;
    if (!tree.lone || only?.t !== "value") {
      report("SPEC_TEMPLATE_SYNTAX", "a predicate is one {{expression}} over item, with no text around it", path);
      return undefined;
    }
    return only.expr;
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    report("SPEC_TEMPLATE_SYNTAX", `predicate does not parse: ${thrown.message}`, path, { offset: thrown.offset });
    return undefined;
  }
}

/** A library predicate reads only `item` and other predicates: it must mean the same in every intent. */
function checkPredicate(predicate: Predicate, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  const facts = analyzePredicate(predicate.text, predicates);
  reportProblems(facts.problems, predicate.at.path, report);
  for (const reference of facts.references) {
    report("SPEC_UNKNOWN_REFERENCE", `"${reference.parts.join(".")}": a library predicate reads only item and other predicates (pass anything else through a fragment's inputs)`, predicate.at.path, { offset: reference.offset });
  }
  const cycle = findCycle(predicate.name, predicates);
  if (cycle) report("SPEC_UNKNOWN_REFERENCE", `predicate "${predicate.name}" names itself through ${cycle.join(" → ")}`, predicate.at.path);
}

/**
 * A predicate's text read as a test of one item, as a predicate argument is: `item` is the item
 * under test and predicate names test it too, so neither is a reference. Offsets are the text's own.
 */
export function analyzePredicate(text: string, predicates: ReadonlyMap<string, unknown>): { problems: TemplateProblem[]; references: Reference[]; predicates: string[]; comparisons: Comparison[] } {
  // `{{is item (` is 9 characters longer than `{{`.
  const facts = analyze(`{{is item (${text.slice(2, -2)})}}`, { predicates: new Set(predicates.keys()) });
  const shift = <T extends { offset: number }>(x: T): T => ({ ...x, offset: Math.max(0, x.offset - 9) });
  return {
    problems: facts.problems.map(shift),
    references: facts.references.filter((r) => !(r.parts.length === 1 && r.parts[0] === "item")).map(shift),
    predicates: facts.predicates.map((p) => p.name),
    comparisons: facts.comparisons.map(shift),
  };
}

function findCycle(start: string, predicates: ReadonlyMap<string, Predicate>): string[] | undefined {
  const visit = (name: string, trail: string[]): string[] | undefined => {
    const predicate = predicates.get(name);
    if (!predicate) return undefined;
    for (const next of analyzePredicate(predicate.text, predicates).predicates) {
      if (next === start) return [...trail, next];
      if (!trail.includes(next)) {
        const found = visit(next, [...trail, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(start, [start]);
}

function checkRules(rules: readonly LibraryRule[], path: DocPath, inputs: ReadonlySet<string>, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  rules.forEach((rule, i) => {
    const scope = { inputs, response: true };
    checkLibraryTemplate(rule.when, [...path, i, "when"], scope, predicates, report);
    if (rule.error) checkLibraryTemplate(rule.error.message, [...path, i, "error", "message"], scope, predicates, report);
  });
}

const RUN_KEYS = new Set(["runId", "ticketId", "intentName", "contactName", "contactEmail", "companyName"]);

function checkLibraryTemplate(text: string, path: DocPath, scope: LibraryScope, predicates: ReadonlyMap<string, Predicate>, report: Report): void {
  if (!text.includes("{{")) return;
  let facts;
  try {
    facts = analyze(text, { predicates: new Set(predicates.keys()) });
  } catch (thrown) {
    if (!(thrown instanceof ParseError)) throw thrown;
    return report("SPEC_TEMPLATE_SYNTAX", `template does not parse: ${thrown.message}`, path, { offset: thrown.offset });
  }
  reportProblems(facts.problems, path, report);
  for (const { parts, offset } of facts.references) {
    const [root, name] = parts;
    const shown = parts.join(".");
    let why: string | undefined;
    if (root === "inputs") why = name !== undefined && scope.inputs.has(name) ? undefined : `no input "${name ?? ""}"; declared: ${[...scope.inputs].join(", ") || "none"}`;
    else if (root === "run") why = RUN_KEYS.has(name ?? "") ? undefined : `run has only ${[...RUN_KEYS].join(", ")}`;
    else if (root === "response") why = scope.response ? undefined : "response is only readable in outputs and outcome rules";
    else why = `a library template reads inputs, run${scope.response ? " and response" : ""}; pass anything else through an input`;
    if (why) report("SPEC_UNKNOWN_REFERENCE", `"${shown}": ${why}`, path, { offset });
  }
}

export function reportProblems(problems: ReadonlyArray<{ kind: string; message: string; offset: number }>, path: DocPath, report: Report): void {
  for (const problem of problems) {
    const code: ErrorCode =
      problem.kind === "helper" ? "SPEC_UNKNOWN_HELPER" : problem.kind === "arguments" ? "SPEC_HELPER_ARGUMENTS" : problem.kind === "reference" ? "SPEC_UNKNOWN_REFERENCE" : "SPEC_TEMPLATE_SYNTAX";
    report(code, problem.message, path, { offset: problem.offset });
  }
}

function walkStrings(value: unknown, path: DocPath, visit: (text: string, path: DocPath) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, [...path, i], visit));
  else if (value !== null && typeof value === "object") for (const [key, child] of Object.entries(value)) walkStrings(child, [...path, key], visit);
}

function staticRequest(source: SourceFile, at: DocPath, request: unknown): StaticStep {
  return {
    id: String(at[1]),
    kind: "graph:request",
    with: request,
    locate: (path) => source.locate([...at, ...path]),
    isLiteral: (path) => source.isLiteral([...at, ...path]),
  };
}
