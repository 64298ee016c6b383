/**
 * Semantic analysis of an intent with its fragments resolved: ids, kinds, every template's syntax,
 * helpers and references, secrets only where allowed, OData only through `odata`, named
 * predicates, fragment uses, and the kinds' own lint hooks. Every problem is reported; nothing stops
 * at the first. A problem inside a fragment is reported at the use, naming the fragment's line.
 */
import type { ErrorCode } from "../../core/errors";
import { analyzeContext, ParseError, type Expr } from "../expression";
import { resolveOrigin, type Expansion } from "./fragments";
import { analyzePredicate, reportProblems, type Library } from "./library";
import { checkEnumComparisons, checkFieldValues } from "./lint-fields";
import { checkPermissionCoverage, checkPermissionNames } from "./lint-permissions";
import { analyzeTemplate } from "../template/analyze";
import { compileTemplate } from "../template/compile";
import { urlSlotProblems } from "../template/url";
import { inputValidator } from "./input-validator";
import type { DeclaredPermissions, Diagnostic, DiagnosticAnchor, StaticStep, StepKindSpec } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { checkReference, pathMatches, type Scope } from "./references";
import type { DocPath, SourceFile } from "./source";
import type { IntentSpec, NoticeSpec } from "./types";
import { compileSchema, pointerToPath } from "./validate";
import { normaliseName } from "./names";
import { declaredOutputs, secretOutputNames } from "./step-outputs";
import { analyzeTrigger } from "./trigger";
import { checkSettingNames } from "./setting-names";
import { checkSchedule } from "./schedule";

interface Place {
  scope: Scope;
  /** Secret fields and secret step outputs may be read here. */
  secretsAllowed: boolean;
  /** A step kind takes a secret here (its `secretPaths`): the only place `secrets.NAME` may go. */
  secretSlot?: boolean;
  odataOnly?: boolean;
}

export interface AnalyzeOptions {
  /** The step kinds intents may use; steps are checked against their specs. */
  kinds: KindSpecs;
  /** False for the runtime loader: kinds skip checks against reference data such as Graph's metadata. */
  referenceChecks?: boolean;
  /** How the intent's fragment uses were resolved (absent: it uses none). */
  expansion?: Expansion;
  library?: Library;
  /** The named predicates in reach: the libraries' and the intent's own. */
  predicates?: ReadonlyMap<string, Expr>;
  /**
   * A part of an intent analysed as steps of its own (its snapshot, its undo: language/spec/undo.ts):
   * what the whole intent declares once (fields, names, target, trigger) is checked with the intent.
   */
  part?: IntentPart;
  /** Roots the intent's own templates may read beyond the usual ones (its snapshot). */
  rootsInReach?: Partial<Scope>;
}

/** Which steps are analysed, and what their templates may read beyond the intent's own roots. */
export interface IntentPart {
  name: "snapshot" | "undo";
  scope: Partial<Scope>;
  /** The steps run together, not one after the other: none reads another. */
  parallel?: boolean;
  /** No secret may be read anywhere (what the steps produce is recorded). */
  noSecrets?: boolean;
  /** Notices (undo): checked before the steps (`after` false) or after them. */
  notices?: ReadonlyArray<{ path: DocPath; notice: NoticeSpec; after: boolean }>;
}

export type { Report } from "./report";
import type { Report } from "./report";

// Checked where the value was written (the library, or the use site's inputs), not again after expansion.
const CHECKED_AT_THE_SOURCE = new Set<ErrorCode>(["SPEC_TEMPLATE_SYNTAX", "SPEC_UNKNOWN_HELPER", "SPEC_HELPER_ARGUMENTS", "SPEC_UNKNOWN_REFERENCE", "SPEC_FORWARD_REFERENCE"]);

const CHECKED_IN_THE_LIBRARY = new Set<ErrorCode>(["SPEC_GRAPH_UNKNOWN_SEGMENT", "SPEC_GRAPH_UNKNOWN_PROPERTY", "SPEC_GRAPH_VALUE_TYPE", "SPEC_RUNBOOK_UNKNOWN", "SPEC_RUNBOOK_PARAMETER"]);

/** Diagnostics at the place a path was written: the intent, or the use of a fragment naming the library line. */
export function diagnosticReporter(source: SourceFile, expansion: Expansion | undefined, diagnostics: Diagnostic[]): Report & { fromFragment(path: DocPath): boolean; written: Report } {
  const origins = expansion?.origins ?? new Map();
  const report = (code: ErrorCode, message: string, path: DocPath, anchor: DiagnosticAnchor = {}): void => {
    const { origin, rest } = resolveOrigin(origins, path);
    if (!origin || origin.kind === "intent" || origin.kind === "input") {
      const at = origin ? [...origin.path, ...rest] : path;
      const { line, col } = anchor.offset === undefined ? source.locate(at, anchor.key) : source.locateAt(at, anchor.offset);
      diagnostics.push({ code, message, file: source.file, line, col, path: at.join(".") });
      return;
    }
    // What the library's own check found in its text is reported there, once, not at every use.
    if (origin.exact && CHECKED_IN_THE_LIBRARY.has(code)) return;
    const library = origin.written.source;
    const inLibrary = [...origin.written.path, ...rest];
    const there = origin.exact && anchor.offset !== undefined ? library.locateAt(inLibrary, anchor.offset) : library.locate(inLibrary, anchor.key);
    const { line, col } = source.locate([...origin.use, "use"]);
    const text = `${message} (in "${origin.name}", ${library.file}:${there.line}:${there.col})`;
    diagnostics.push({ code, message: text, file: source.file, line, col, path: [...origin.use, "use"].join(".") });
  };
  const written: Report = (code, message, path, anchor = {}) => {
    const { line, col } = anchor.offset === undefined ? source.locate(path, anchor.key) : source.locateAt(path, anchor.offset);
    diagnostics.push({ code, message, file: source.file, line, col, path: path.join(".") });
  };
  return Object.assign(report, {
    written,
    fromFragment(path: DocPath): boolean {
      const { origin } = resolveOrigin(origins, path);
      return origin !== undefined && origin.kind !== "intent";
    },
  });
}

export function analyzeIntent(source: SourceFile, spec: IntentSpec, options: AnalyzeOptions): Diagnostic[] {
  const { kinds } = options;
  const diagnostics: Diagnostic[] = [];
  const report = diagnosticReporter(source, options.expansion, diagnostics);
  const predicates = options.predicates ?? new Map<string, Expr>();
  const context = analyzeContext(predicates);

  /** `written`: the path is where the intent itself says it (a use's inputs), never an expanded node. */
  const checkTemplate = (text: string, path: DocPath, place: Place, written = false): void => {
    if (typeof text !== "string" || !text.includes("{{")) return;
    const expanded = !written && report.fromFragment(path);
    const say: Report = written ? report.written : expanded ? (code, message, at, anchor) => void (CHECKED_AT_THE_SOURCE.has(code) || report(code, message, at, anchor)) : report;
    let facts;
    try {
      facts = analyzeTemplate(text, context);
    } catch (thrown) {
      if (thrown instanceof ParseError) return say("SPEC_TEMPLATE_SYNTAX", `template does not parse: ${thrown.message}`, path, { offset: thrown.offset });
      throw thrown;
    }
    reportProblems(facts.problems, path, say);
    if (facts.problems.length === 0) {
      try {
        compileTemplate(text, predicates);
      } catch (thrown) {
        say("SPEC_TEMPLATE_SYNTAX", thrown instanceof Error ? thrown.message : String(thrown), path);
      }
    }
    if (place.odataOnly && !facts.odataOnly) {
      const anchor = facts.odataOffset === undefined ? {} : { offset: facts.odataOffset };
      say("SPEC_ODATA_LITERAL", `every value in an OData expression must go through the odata helper, e.g. {{odata fields.name}}`, path, anchor);
    }
    checkEnumComparisons(spec, facts.comparisons, path, say);
    for (const { parts, offset } of facts.references) {
      const anchor = { offset };
      const verdict = checkReference(spec, place.scope, parts, kinds);
      if (!verdict.ok) say(verdict.code, verdict.message, path, anchor);
      else if (verdict.secretSetting && !place.secretSlot) {
        say("SPEC_SECRET_NOT_ALLOWED", `"${parts.join(".")}" is a secret setting; it may only go where a step kind takes a secret (a request or mail body), never into a message, path, query, header, condition, output or result.credential`, path, anchor);
      } else if (verdict.secret && !place.secretsAllowed) {
        say("SPEC_SECRET_NOT_ALLOWED", `"${parts.join(".")}" is a secret; secrets may only go into request bodies, mail bodies and result.credential`, path, anchor);
      }
    }
  };

  const part = options.part;
  const extra: Partial<Scope> = part?.scope ?? options.rootsInReach ?? {};
  if (!part) checkWholeIntent(spec, predicates, options, report);
  // A snapshot's or an undo's requests need the intent's permissions as much as its steps' do.
  if (options.referenceChecks !== false) checkPermissionCoverage(spec, kinds, report);

  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  const all = new Set(steps.map((s) => s.id));
  const earlier = new Set<string>();
  const scopes: Scope[] = [];
  steps.forEach((step, index) => {
    const at: DocPath = ["steps", index];
    if (earlier.has(step.id)) report("SPEC_DUPLICATE_STEP_ID", `step id "${step.id}" is used twice`, [...at, "id"]);
    const kind = kinds.find(step.kind);
    if (!kind && step.kind !== UNKNOWN_FRAGMENT_KIND) report("SPEC_UNKNOWN_STEP_KIND", `unknown step kind "${step.kind}"; registered: ${kinds.ids().join(", ")}`, [...at, "kind"]);
    const base: Scope = { earlier: new Set(earlier), all, response: false, error: false, ...extra };
    const plain: Place = { scope: base, secretsAllowed: false };
    // A condition may test a secret's presence: its value is a yes/no that is never shown.
    if (step.when) checkTemplate(step.when, [...at, "when"], { scope: base, secretsAllowed: !part?.noSecrets });
    if (step.forEach) checkTemplate(step.forEach, [...at, "forEach"], plain);
    const itemScope: Scope = step.forEach ? { ...base, item: step.as ?? "item" } : base;
    scopes[index] = itemScope;
    walk(step.with ?? {}, [], (text, path) => {
      const urlSlot = kind?.urlSlot?.(path);
      // A URL names an object and ends up in logs: never a place for a secret, even in a body.
      const secretSlot = !urlSlot && !part?.noSecrets && pathMatches(kind?.secretPaths, path, false);
      checkTemplate(text, [...at, "with", ...path], {
        scope: itemScope,
        secretsAllowed: secretSlot,
        secretSlot,
        odataOnly: pathMatches(kind?.odataPaths, path, true),
      });
      if (urlSlot) for (const problem of urlSlotProblems(text, urlSlot)) report("SPEC_URL_SLOT", problem.message, [...at, "with", ...path], { offset: problem.offset });
    });
    const answered: Place = { scope: { ...base, response: true }, secretsAllowed: false };
    walk(step.outputs ?? {}, [...at, "outputs"], (text, path) => checkTemplate(text, path, answered));
    // A for-each step's outcomes are decided per item, so they may name the item; a single step's
    // outcomes may read its own outputs (rendered from the same answer).
    const own = outputsOf(step, kinds);
    const answeredItem: Place = { scope: { ...itemScope, response: true, ...own }, secretsAllowed: false };
    (step.outcomes ?? []).forEach((outcome, i) => {
      if (outcome.when) checkTemplate(outcome.when, [...at, "outcomes", i, "when"], answeredItem);
      if (outcome.error) checkTemplate(outcome.error.message, [...at, "outcomes", i, "error", "message"], answeredItem);
    });
    const resolved = !options.expansion?.unresolved.has(index);
    if (kind && resolved) checkInputShape(kind, step.with ?? {}, at, report);
    if (kind?.lint && resolved) kind.lint(staticStep(source, step, at, options, spec), (code, message, path, anchor) => report(code, message, [...at, "with", ...path], anchor));
    if (step.adopt) checkAdopt(step, kind, at, base, checkTemplate, source, report, options);
    if (!part?.parallel) earlier.add(step.id);
  });

  // What a use site passes is checked where it is written, in the scope of its step.
  for (const input of options.expansion?.inputs ?? []) {
    const scope = scopes[input.step] ?? { earlier: new Set<string>(), all, response: false, error: false, ...extra };
    walk(input.value, input.path, (text, path) => checkTemplate(text, path, { scope: { ...scope, response: input.response, ...(input.response ? outputsOf(steps[input.step], kinds) : {}) }, secretsAllowed: !part?.noSecrets }, true));
  }

  if (!part) {
    checkTarget(spec, report);
    checkSchedule(spec, report);
  }

  if (spec.trigger && !part) {
    const triggerPlace: Place = { scope: { earlier: new Set(), all, response: false, error: false, trigger: true }, secretsAllowed: false };
    analyzeTrigger(spec, spec.trigger, (text, path) => checkTemplate(text, path, triggerPlace), (code, message, path, key) => report(code, message, path, { key: key === true }));
  }

  const end: Scope = { earlier, all, response: false, error: false, ...extra };
  for (const { path, notice, after } of part?.notices ?? []) {
    const scope: Scope = after ? end : { earlier: new Set(), all, response: false, error: false, ...extra };
    if (notice.when) checkTemplate(notice.when, [...path, "when"], { scope, secretsAllowed: false });
    if (notice.forEach) checkTemplate(notice.forEach, [...path, "forEach"], { scope, secretsAllowed: false });
    checkTemplate(notice.message, [...path, "message"], { scope: notice.forEach ? { ...scope, item: notice.as ?? "item" } : scope, secretsAllowed: false });
  }
  for (const [status, text] of Object.entries(spec.result?.messages ?? {})) {
    // A scheduled run may be waiting after a failed step (a delay late in the run).
    const withError = status === "failed" || status === "partial" || status === "scheduled";
    checkTemplate(text, ["result", "messages", status], { scope: { ...end, error: withError, schedule: status === "scheduled" }, secretsAllowed: false });
  }
  walk(spec.result?.outputs ?? {}, ["result", "outputs"], (text, path) => checkTemplate(text, path, { scope: end, secretsAllowed: false }));
  if (spec.result?.credential) checkTemplate(spec.result.credential, ["result", "credential"], { scope: end, secretsAllowed: true });
  return diagnostics;
}

type TemplateCheck = (text: string, path: DocPath, place: Place) => void;

/**
 * `adopt:`: `find` and `replace` are requests of the step's own kind, checked like its `with`
 * (shape, templates, the kind's lint) but never holding a secret; `ours` and `replace` read `response`.
 */
function checkAdopt(step: IntentSpec["steps"][number], kind: StepKindSpec | undefined, at: DocPath, base: Scope, checkTemplate: TemplateCheck, source: SourceFile, report: Report, options: AnalyzeOptions): void {
  const adopt = step.adopt!;
  const where: DocPath = [...at, "adopt"];
  if (step.forEach) report("SPEC_STEP_INPUT", "adopt is for a single create, not a for-each step", where, { key: true });
  const requests: Array<["find" | "replace", Record<string, unknown> | undefined, Scope]> = [["find", adopt.find, base], ["replace", adopt.replace, { ...base, response: true }]];
  for (const [name, request, scope] of requests) {
    if (!request) continue;
    walk(request, [], (text, path) => checkTemplate(text, [...where, name, ...path], { scope, secretsAllowed: false, odataOnly: pathMatches(kind?.odataPaths, path, true) }));
    if (!kind) continue;
    checkInputShape(kind, request, where, report, name);
    const fragment = { ...step, with: request };
    if (kind.lint) kind.lint(staticStep(source, fragment, where, options, undefined, name), (code, message, path, anchor) => report(code, message, [...where, name, ...path], anchor));
  }
  checkTemplate(adopt.ours, [...where, "ours"], { scope: { ...base, response: true }, secretsAllowed: false });
}

/** What the whole intent declares once: fields, predicates, setting names, aliases. */
function checkWholeIntent(spec: IntentSpec, predicates: ReadonlyMap<string, Expr>, options: AnalyzeOptions, report: Report): void {
  checkFields(spec, report);
  checkFieldValues(spec, report);
  if (options.referenceChecks !== false) checkPermissionNames(spec, report);
  checkPredicates(spec, predicates, options.library, options.kinds, report);
  checkSettingNames(spec, report);
  const names = new Set([normaliseName(spec.name)]);
  (spec.aliases ?? []).forEach((alias, i) => {
    if (names.has(normaliseName(alias))) report("SPEC_DUPLICATE_INTENT_NAME", `alias "${alias}" repeats the intent's name or another alias`, ["aliases", i]);
    names.add(normaliseName(alias));
  });
}

/** What a single step's outcomes read as `output` (a for-each step's are decided per item, without). */
function outputsOf(step: IntentSpec["steps"][number] | undefined, kinds: KindSpecs): Pick<Scope, "output" | "outputSecrets"> | undefined {
  if (!step || step.forEach) return undefined;
  return { output: new Set(declaredOutputs(step).map((o) => o.name)), outputSecrets: secretOutputNames(step, kinds) };
}

/** The kind a `use:` step gets when its fragment is unknown (already reported at the use). */
export const UNKNOWN_FRAGMENT_KIND = "unknown:fragment";

function walk(value: unknown, path: DocPath, visit: (text: string, path: DocPath) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

/** The intent's own predicates read item, fields, settings, constants and run; their names are their own. */
function checkPredicates(spec: IntentSpec, predicates: ReadonlyMap<string, Expr>, library: Library | undefined, kinds: KindSpecs, report: Report): void {
  for (const [name, text] of Object.entries(spec.predicates ?? {})) {
    const at = ["predicates", name];
    const shared = library?.predicates.get(name);
    if (shared) {
      report("SPEC_DUPLICATE_FRAGMENT", `the library predicate "${name}" (${shared.at.source.file}) already has this name; choose another`, at, { key: true });
      continue;
    }
    if (typeof text !== "string" || !/^\{\{[\s\S]*\}\}$/.test(text)) {
      report("SPEC_TEMPLATE_SYNTAX", "a predicate is one {{expression}} over item, with no text around it", at);
      continue;
    }
    let facts;
    try {
      facts = analyzePredicate(text, predicates);
    } catch (thrown) {
      if (!(thrown instanceof ParseError)) throw thrown;
      report("SPEC_TEMPLATE_SYNTAX", `predicate does not parse: ${thrown.message}`, at, { offset: Math.max(0, thrown.offset - 9) });
      continue;
    }
    reportProblems(facts.problems, at, report);
    checkEnumComparisons(spec, facts.comparisons, at, report);
    const scope: Scope = { earlier: new Set(), all: new Set(), response: false, error: false, predicate: true };
    for (const { parts, offset } of facts.references) {
      const verdict = checkReference(spec, scope, parts, kinds);
      if (!verdict.ok) report(verdict.code, verdict.message, at, { offset });
    }
  }
}

function checkFields(spec: IntentSpec, report: Report): void {
  const labels = new Map<string, string>();
  for (const [variable, field] of Object.entries(spec.fields ?? {})) {
    if (typeof field?.label !== "string") continue;
    const label = normaliseName(field.label);
    const first = labels.get(label);
    if (first) report("SPEC_DUPLICATE_FIELD_LABEL", `fields "${first}" and "${variable}" both map the label "${field.label}"`, ["fields", variable, "label"]);
    else labels.set(label, variable);
    // The redactor masks text; a default is written in the intent, so it is no secret.
    if (field.secret && field.type !== "string") report("SPEC_SECRET_NOT_ALLOWED", `only a text field can be secret; "${variable}" is ${field.type}`, ["fields", variable, "secret"]);
    if (field.secret && field.default !== undefined) report("SPEC_SECRET_NOT_ALLOWED", `the secret field "${variable}" may not have a default: it is written in the intent`, ["fields", variable, "default"]);
  }
  (spec.identity ?? []).forEach((name, i) => {
    const field = spec.fields?.[name];
    if (!field) report("SPEC_UNKNOWN_REFERENCE", `identity names "${name}", which is not a declared field`, ["identity", i]);
    else if (field.secret) report("SPEC_SECRET_NOT_ALLOWED", `identity may not include the secret field "${name}"`, ["identity", i]);
  });
  if (spec.validation) {
    try {
      compileSchema(spec.validation);
    } catch (thrown) {
      report("SPEC_SCHEMA", `validation is not a valid JSON Schema: ${thrown instanceof Error ? thrown.message : String(thrown)}`, ["validation"]);
    }
  }
}

/** `target: fields.x` must name a plain (not secret) field: requester policy resolves it in the tenant. */
function checkTarget(spec: IntentSpec, report: Report): void {
  if (!spec.target || spec.target === "none") return;
  const variable = spec.target.slice("fields.".length);
  const field = spec.fields[variable];
  if (!field) report("SPEC_UNKNOWN_REFERENCE", `target names "${variable}", which is not a declared field`, ["target"]);
  else if (field.secret) report("SPEC_SECRET_NOT_ALLOWED", `target may not be the secret field "${variable}"`, ["target"]);
  else if (field.type !== "string") report("SPEC_SCHEMA", `target "${variable}" must be a string field (a UPN, mail address or object id), not ${field.type}`, ["target"]);
}

/** A value the linter can check: a scalar without any template. */
export function isLiteralValue(value: unknown): boolean {
  return value === null || (value !== undefined && typeof value !== "object" && !(typeof value === "string" && value.includes("{{")));
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined), root);
}

/**
 * The kind's input schema over the raw `with`: unknown keys, missing keys and wrong literals are
 * lint errors; a value that is still a template is checked only after rendering, at run time.
 */
function checkInputShape(kind: StepKindSpec, input: unknown, at: DocPath, report: Report, key = "with"): void {
  const validate = inputValidator(kind);
  if (validate(input)) return;
  for (const error of validate.errors ?? []) {
    const path = pointerToPath(error.instancePath);
    const where = [key, ...path].join(".");
    if (error.keyword === "additionalProperties") {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      report("SPEC_STEP_INPUT", `unknown key "${extra}" in ${where} of ${kind.id}; allowed: ${allowed.join(", ")}`, [...at, key, ...path, extra], { key: true });
    } else if (error.keyword === "required" || isLiteralValue(valueAt(input, path))) {
      const allowed = error.keyword === "enum" ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` : "";
      report("SPEC_STEP_INPUT", `${where} ${error.message ?? "is invalid"}${allowed} (${kind.id})`, [...at, key, ...path]);
    }
  }
}

/** `key`: where in the step the request is written (`with`, or `find`/`replace` under `adopt`). */
function staticStep(source: SourceFile, step: IntentSpec["steps"][number], at: DocPath, options: AnalyzeOptions, intent: IntentSpec | undefined, key = "with"): StaticStep {
  const constants = intent?.constants;
  return {
    id: step.id,
    kind: step.kind,
    with: step.with,
    locate: (path) => source.locate([...at, key, ...path]),
    isLiteral: (path) => isLiteralValue(valueAt(step.with, path)),
    ...(options.referenceChecks === false ? { referenceChecks: false } : {}),
    ...(constants === undefined ? {} : { constants }),
    ...(intent === undefined ? {} : { permissions: declaredPermissions(intent) }),
  };
}

function declaredPermissions(intent: IntentSpec): DeclaredPermissions {
  const names = (list: unknown): string[] => (Array.isArray(list) ? list.filter((name): name is string => typeof name === "string") : []);
  const declared = intent.permissions ?? {};
  return { graph: names(declared.graph), entraRoles: names(declared.entraRoles), exchangeRoles: names(declared.exchangeRoles) };
}
