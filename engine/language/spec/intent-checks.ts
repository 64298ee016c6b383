/**
 * What an intent declares once, checked with the whole intent (not with its snapshot or undo):
 * fields and their labels, identity, validation, its own predicates, setting names, aliases, target.
 */
import type { Expr } from "../expression";
import { ParseError } from "../expression";
import type { KindSpecs } from "../../core/step-kind-registry";
import { analyzePredicate, reportProblems } from "./library-checks";
import type { Library } from "./library-types";
import { checkEnumComparisons, checkFieldValues } from "./lint-fields";
import { checkPermissionNames } from "./lint-permissions";
import { normaliseName } from "./names";
import { checkReference, type Scope } from "./references";
import type { Report } from "./report";
import { checkSettingNames } from "./setting-names";
import type { IntentSpec } from "./types";
import { compileSchema } from "./validate";

/** What the whole intent declares once: fields, predicates, setting names, aliases. */
export function checkWholeIntent(spec: IntentSpec, predicates: ReadonlyMap<string, Expr>, options: { kinds: KindSpecs; referenceChecks?: boolean; library?: Library }, report: Report): void {
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
export function checkTarget(spec: IntentSpec, report: Report): void {
  if (!spec.target || spec.target === "none") return;
  const variable = spec.target.slice("fields.".length);
  const field = spec.fields[variable];
  if (!field) report("SPEC_UNKNOWN_REFERENCE", `target names "${variable}", which is not a declared field`, ["target"]);
  else if (field.secret) report("SPEC_SECRET_NOT_ALLOWED", `target may not be the secret field "${variable}"`, ["target"]);
  else if (field.type !== "string") report("SPEC_SCHEMA", `target "${variable}" must be a string field (a UPN, mail address or object id), not ${field.type}`, ["target"]);
}
