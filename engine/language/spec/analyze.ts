/**
 * Semantic analysis of an intent with its fragments resolved: ids, kinds, every template's syntax,
 * helpers and references, secrets only where allowed, OData only through `odata`, named
 * predicates, fragment uses, and the kinds' own lint hooks. Every problem is reported; nothing stops
 * at the first. A problem inside a fragment is reported at the use, naming the fragment's line.
 */
import type { ErrorCode } from "../../core/errors";
import { analyzeContext, ParseError, type Expr } from "../expression";
import { diagnosticReporter } from "./diagnostic-reporter";
import type { Expansion } from "./fragments";
import { checkTarget, checkWholeIntent } from "./intent-checks";
import { reportProblems } from "./library-checks";
import type { Library } from "./library-types";
import { checkEnumComparisons } from "./lint-fields";
import { checkPermissionCoverage } from "./lint-permissions";
import { analyzeTemplate } from "../template/analyze";
import { compileTemplate } from "../template/compile";
import { urlSlotProblems } from "../template/url";
import type { Diagnostic, StepKindSpec } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { checkReference, pathMatches, type Scope } from "./references";
import type { DocPath, SourceFile } from "./source";
import { checkInputShape, staticStep } from "./step-input";
import type { IntentSpec, NoticeSpec } from "./types";
import { declaredOutputs, secretOutputNames } from "./step-outputs";
import { analyzeTrigger } from "./trigger";
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

