/**
 * A step's input as its kind sees it before anything renders: the kind's input schema over the raw
 * `with` (or an adopt request), and the static view its lint hook checks.
 */
import type { DeclaredPermissions, StaticStep, StepKindSpec } from "../../core/step-kind";
import { inputValidator } from "./input-validator";
import type { Report } from "./report";
import type { DocPath, SourceFile } from "./source";
import type { IntentSpec } from "./types";
import { pointerToPath } from "./validate";

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
export function checkInputShape(kind: StepKindSpec, input: unknown, at: DocPath, report: Report, key = "with"): void {
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
export function staticStep(source: SourceFile, step: IntentSpec["steps"][number], at: DocPath, options: { referenceChecks?: boolean }, intent: IntentSpec | undefined, key = "with"): StaticStep {
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
