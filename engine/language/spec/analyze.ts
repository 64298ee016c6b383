/**
 * Semantic analysis of a schema-valid intent: ids, kinds, every template's syntax, helpers and
 * references, secrets only where allowed, OData only through `odata`, and the kinds' own lint
 * hooks. Every problem is reported; nothing stops at the first.
 */
import type { ErrorCode } from "../../core/errors";
import { ParseError } from "../expression";
import { analyzeTemplate } from "../template/analyze";
import { compileTemplate } from "../template/compile";
import { urlSlotProblems } from "../template/url";
import { findStepKind, stepKindIds } from "../../kinds/registry";
import { inputValidator } from "./input-validator";
import type { Diagnostic, DiagnosticAnchor, StaticStep, StepKind } from "../../core/step-kind";
import { checkReference, pathMatches, type Scope } from "./references";
import type { DocPath, SourceFile } from "./source";
import type { IntentSpec } from "./types";
import { compileSchema, pointerToPath } from "./validate";
import { normaliseName } from "./names";
import { analyzeTrigger } from "./trigger";

interface Place {
  scope: Scope;
  secretsAllowed: boolean;
  odataOnly?: boolean;
}

export interface AnalyzeOptions {
  /** False for the runtime loader: kinds skip checks against reference data such as Graph's metadata. */
  referenceChecks?: boolean;
}

export function analyzeIntent(source: SourceFile, spec: IntentSpec, options: AnalyzeOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (code: ErrorCode, message: string, path: DocPath, anchor: DiagnosticAnchor = {}): void => {
    const { line, col } = anchor.offset === undefined ? source.locate(path, anchor.key) : source.locateAt(path, anchor.offset);
    diagnostics.push({ code, message, file: source.file, line, col, path: path.join(".") });
  };

  const checkTemplate = (text: string, path: DocPath, place: Place): void => {
    if (!text.includes("{{")) return;
    let facts;
    try {
      facts = analyzeTemplate(text);
    } catch (thrown) {
      if (thrown instanceof ParseError) return report("SPEC_TEMPLATE_SYNTAX", `template does not parse: ${thrown.message}`, path, { offset: thrown.offset });
      throw thrown;
    }
    for (const problem of facts.problems) {
      const code = problem.kind === "helper" ? "SPEC_UNKNOWN_HELPER" : problem.kind === "reference" ? "SPEC_UNKNOWN_REFERENCE" : "SPEC_TEMPLATE_SYNTAX";
      report(code, problem.message, path, { offset: problem.offset });
    }
    if (facts.problems.length === 0) {
      try {
        compileTemplate(text);
      } catch (thrown) {
        report("SPEC_TEMPLATE_SYNTAX", thrown instanceof Error ? thrown.message : String(thrown), path);
      }
    }
    if (place.odataOnly && !facts.odataOnly) {
      const anchor = facts.odataOffset === undefined ? {} : { offset: facts.odataOffset };
      report("SPEC_ODATA_LITERAL", `every value in an OData expression must go through the odata helper, e.g. {{odata fields.name}}`, path, anchor);
    }
    facts.references.forEach(({ parts, offset }) => {
      const anchor = { offset };
      const verdict = checkReference(spec, place.scope, parts);
      if (!verdict.ok) report(verdict.code, verdict.message, path, anchor);
      else if (verdict.secret && !place.secretsAllowed) {
        report("SPEC_SECRET_NOT_ALLOWED", `"${parts.join(".")}" is a secret; secrets may only go into request bodies, mail bodies and result.credential`, path, anchor);
      }
    });
  };

  const walk = (value: unknown, path: DocPath, visit: (text: string, path: DocPath) => void): void => {
    if (typeof value === "string") visit(value, path);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
  };

  checkFields(spec, report);
  const names = new Set([normaliseName(spec.name)]);
  (spec.aliases ?? []).forEach((alias, i) => {
    if (names.has(normaliseName(alias))) report("SPEC_DUPLICATE_INTENT_NAME", `alias "${alias}" repeats the intent's name or another alias`, ["aliases", i]);
    names.add(normaliseName(alias));
  });

  const all = new Set(spec.steps.map((s) => s.id));
  const earlier = new Set<string>();
  spec.steps.forEach((step, index) => {
    const at: DocPath = ["steps", index];
    if (earlier.has(step.id)) report("SPEC_DUPLICATE_STEP_ID", `step id "${step.id}" is used twice`, [...at, "id"]);
    const kind = findStepKind(step.kind);
    if (!kind) report("SPEC_UNKNOWN_STEP_KIND", `unknown step kind "${step.kind}"; registered: ${stepKindIds().join(", ")}`, [...at, "kind"]);
    const base: Scope = { earlier: new Set(earlier), all, response: false, error: false };
    const plain: Place = { scope: base, secretsAllowed: false };
    // A condition may test a secret's presence: its value is a yes/no that is never shown.
    if (step.when) checkTemplate(step.when, [...at, "when"], { scope: base, secretsAllowed: true });
    if (step.forEach) checkTemplate(step.forEach, [...at, "forEach"], plain);
    const itemScope: Scope = step.forEach ? { ...base, item: step.as ?? "item" } : base;
    walk(step.with ?? {}, [], (text, path) => {
      const urlSlot = kind?.urlSlot?.(path);
      checkTemplate(text, [...at, "with", ...path], {
        scope: itemScope,
        // A URL names an object and ends up in logs: never a place for a secret, even in a body.
        secretsAllowed: !urlSlot && pathMatches(kind?.secretPaths, path, false),
        odataOnly: pathMatches(kind?.odataPaths, path, true),
      });
      if (urlSlot) for (const problem of urlSlotProblems(text, urlSlot)) report("SPEC_URL_SLOT", problem.message, [...at, "with", ...path], { offset: problem.offset });
    });
    const answered: Place = { scope: { ...base, response: true }, secretsAllowed: false };
    walk(step.outputs ?? {}, [...at, "outputs"], (text, path) => checkTemplate(text, path, answered));
    // A for-each step's outcomes are decided per item, so they may name the item.
    const answeredItem: Place = { scope: { ...itemScope, response: true }, secretsAllowed: false };
    (step.outcomes ?? []).forEach((outcome, i) => {
      if (outcome.when) checkTemplate(outcome.when, [...at, "outcomes", i, "when"], answeredItem);
      if (outcome.error) checkTemplate(outcome.error.message, [...at, "outcomes", i, "error", "message"], answeredItem);
    });
    if (kind) checkInputShape(kind, step.with ?? {}, at, source, report);
    if (kind?.lint) kind.lint(staticStep(source, step.id, step.kind, step.with, at, options), (code, message, path, anchor) => report(code, message, [...at, "with", ...path], anchor));
    earlier.add(step.id);
  });

  checkTarget(spec, report);

  if (spec.trigger) {
    const triggerPlace: Place = { scope: { earlier: new Set(), all, response: false, error: false, trigger: true }, secretsAllowed: false };
    analyzeTrigger(spec, spec.trigger, (text, path) => checkTemplate(text, path, triggerPlace), (code, message, path, key) => report(code, message, path, { key: key === true }));
  }

  const end: Scope = { earlier, all, response: false, error: false };
  for (const [status, text] of Object.entries(spec.result.messages)) {
    const withError = status === "failed" || status === "partial";
    checkTemplate(text, ["result", "messages", status], { scope: { ...end, error: withError }, secretsAllowed: false });
  }
  walk(spec.result.outputs ?? {}, ["result", "outputs"], (text, path) => checkTemplate(text, path, { scope: end, secretsAllowed: false }));
  if (spec.result.credential) checkTemplate(spec.result.credential, ["result", "credential"], { scope: end, secretsAllowed: true });
  return diagnostics;
}

type Report = (code: ErrorCode, message: string, path: DocPath, anchor?: DiagnosticAnchor) => void;

function checkFields(spec: IntentSpec, report: Report): void {
  const labels = new Map<string, string>();
  for (const [variable, field] of Object.entries(spec.fields)) {
    const label = normaliseName(field.label);
    const first = labels.get(label);
    if (first) report("SPEC_DUPLICATE_FIELD_LABEL", `fields "${first}" and "${variable}" both map the label "${field.label}"`, ["fields", variable, "label"]);
    else labels.set(label, variable);
    // The redactor masks text; a default is written in the intent, so it is no secret.
    if (field.secret && field.type !== "string") report("SPEC_SECRET_NOT_ALLOWED", `only a text field can be secret; "${variable}" is ${field.type}`, ["fields", variable, "secret"]);
    if (field.secret && field.default !== undefined) report("SPEC_SECRET_NOT_ALLOWED", `the secret field "${variable}" may not have a default: it is written in the intent`, ["fields", variable, "default"]);
  }
  (spec.identity ?? []).forEach((name, i) => {
    const field = spec.fields[name];
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

/**
 * The kind's input schema over the raw `with`: unknown keys, missing keys and wrong literals are
 * lint errors; a value that is still a template is checked only after rendering, at run time.
 */
function checkInputShape(kind: StepKind, input: unknown, at: DocPath, source: SourceFile, report: Report): void {
  const validate = inputValidator(kind);
  if (validate(input)) return;
  for (const error of validate.errors ?? []) {
    const path = pointerToPath(error.instancePath);
    const where = ["with", ...path].join(".");
    if (error.keyword === "additionalProperties") {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      report("SPEC_STEP_INPUT", `unknown key "${extra}" in ${where} of ${kind.id}; allowed: ${allowed.join(", ")}`, [...at, "with", ...path, extra], { key: true });
    } else if (error.keyword === "required" || source.isLiteral([...at, "with", ...path])) {
      const allowed = error.keyword === "enum" ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` : "";
      report("SPEC_STEP_INPUT", `${where} ${error.message ?? "is invalid"}${allowed} (${kind.id})`, [...at, "with", ...path]);
    }
  }
}

function staticStep(source: SourceFile, id: string, kind: string, input: unknown, at: DocPath, options: AnalyzeOptions): StaticStep {
  return {
    id,
    kind,
    with: input,
    locate: (path) => source.locate([...at, "with", ...path]),
    isLiteral: (path) => source.isLiteral([...at, "with", ...path]),
    ...(options.referenceChecks === false ? { referenceChecks: false } : {}),
  };
}

