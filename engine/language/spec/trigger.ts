/**
 * The optional `trigger:` block: checks beyond the schema (mapped fields exist, required fields are
 * mapped, templates read only the changed object, settings and constants) and its compiled form.
 */
import type { ErrorCode } from "../../core/errors";
import { analyzeTemplate } from "../template/analyze";
import type { PredicateTable } from "../expression";
import { compileTemplate } from "../template/compile";
import type { DocPath } from "./source";
import type { CompiledTrigger, IntentSpec, TriggerSpec } from "./types";

type Report = (code: ErrorCode, message: string, path: DocPath, key?: boolean) => void;
/** The analyzer's template check, with the trigger's scope already chosen. */
type CheckTemplate = (text: string, path: DocPath) => void;

export function analyzeTrigger(spec: IntentSpec, trigger: TriggerSpec, check: CheckTemplate, report: Report): void {
  const at: DocPath = ["trigger"];
  if (trigger.resource.endsWith("/members") && trigger.changeTypes.includes("updated")) {
    report("SPEC_TRIGGER_INVALID", "a members trigger knows only created (a member was added) and deleted (removed)", [...at, "changeTypes"]);
  }
  if (trigger.when) check(trigger.when, [...at, "when"]);
  for (const [variable, text] of Object.entries(trigger.fields)) {
    if (!Object.hasOwn(spec.fields, variable)) {
      report("SPEC_UNKNOWN_REFERENCE", `trigger.fields maps "${variable}", which is not a declared field; declared: ${Object.keys(spec.fields).join(", ")}`, [...at, "fields", variable], true);
      continue;
    }
    check(text, [...at, "fields", variable]);
  }
  for (const [variable, field] of Object.entries(spec.fields)) {
    if (field.required && field.default === undefined && !Object.hasOwn(trigger.fields, variable)) {
      report("SPEC_TRIGGER_INVALID", `the required field "${variable}" has no default and is not mapped in trigger.fields`, [...at, "fields"], true);
    }
  }
}

/** `resource.X` paths read by the trigger's templates: the properties to $select of the changed object. */
function selectedProperties(trigger: TriggerSpec): string[] {
  const names = new Set<string>(["id"]);
  for (const text of [trigger.when ?? "", ...Object.values(trigger.fields)]) {
    if (!text.includes("{{")) continue;
    for (const { parts: [root, property] } of analyzeTemplate(text).references) if (root === "resource" && property) names.add(property);
  }
  return [...names];
}

export function compileTrigger(trigger: TriggerSpec, predicates?: PredicateTable): CompiledTrigger {
  return {
    resource: trigger.resource.toLowerCase(),
    changeTypes: [...trigger.changeTypes],
    select: selectedProperties(trigger),
    ...(trigger.when ? { when: compileTemplate(trigger.when, predicates) } : {}),
    fields: Object.entries(trigger.fields).map(([variable, text]) => [variable, compileTemplate(text, predicates)] as const),
  };
}
