/**
 * `intents lint` for `exchange:cmdlet`: the cmdlet must be on the closed list, written as a literal
 * or as `{{lookup constants.NAME …}}` over a constant whose every value is on the list (so a field
 * value can only choose between allowed cmdlets); every parameter must be one that cmdlet may
 * receive, the required ones present, and literal values of the right type; and the intent's
 * Exchange roles must hold it (lint-roles.ts).
 */
import { cmdletNames, findCmdlet, parameterValueProblem, type CmdletSpec } from "../../contracts/exchange-cmdlets";
import { suggestName } from "../../contracts/graph-metadata/suggest";
import type { ReportDiagnostic, StaticStep } from "../../core/step-kind";
import { checkCmdletRole } from "./lint-roles";

const LOOKUP = /^\{\{\s*lookup\s+constants\.([A-Za-z_$][\w$]*)\s+[^{}]+\}\}$/;

export function lintExchangeCmdlet(step: StaticStep, report: ReportDiagnostic): void {
  const input = step.with as { cmdlet?: unknown; parameters?: unknown } | null;
  if (input === null || typeof input !== "object" || typeof input.cmdlet !== "string") return;
  const candidates = possibleCmdlets(step, input.cmdlet, report);
  const parameters = isRecord(input.parameters) ? input.parameters : {};
  const reported = new Set<string>();
  const once = (message: string, path: ReadonlyArray<string | number>, key = false): void => {
    if (reported.has(message)) return;
    reported.add(message);
    report("SPEC_EXCHANGE_CMDLET", message, path, key ? { key: true } : {});
  };
  for (const cmdlet of candidates) {
    const spec = findCmdlet(cmdlet);
    if (!spec) {
      const suggestion = suggestName(cmdlet, cmdletNames());
      once(`'${cmdlet}' is not a cmdlet the engine may run${suggestion ? `; did you mean '${suggestion}'?` : ""} (allowed: ${cmdletNames().join(", ")})`, ["cmdlet"]);
      continue;
    }
    checkParameters(step, cmdlet, spec, parameters, once);
    checkCmdletRole(step, cmdlet, spec, (code, message, path, anchor) => {
      if (!reported.has(message)) report(code, message, path, anchor);
      reported.add(message);
    });
  }
}

/** The cmdlets a step can run: its literal, or every value of the constant it looks up. */
function possibleCmdlets(step: StaticStep, cmdlet: string, report: ReportDiagnostic): string[] {
  if (step.isLiteral(["cmdlet"])) return [cmdlet];
  const name = LOOKUP.exec(cmdlet.trim())?.[1];
  const table = name === undefined ? undefined : step.constants?.[name];
  if (!isRecord(table) || Object.keys(table).length === 0 || !Object.values(table).every((value) => typeof value === "string")) {
    report("SPEC_EXCHANGE_CMDLET", "cmdlet must be a literal, or {{lookup constants.NAME …}} over a constant mapping choices to cmdlet names", ["cmdlet"]);
    return [];
  }
  return [...new Set(Object.values(table) as string[])];
}

function checkParameters(
  step: StaticStep,
  cmdlet: string,
  spec: CmdletSpec,
  parameters: Record<string, unknown>,
  once: (message: string, path: ReadonlyArray<string | number>, key?: boolean) => void,
): void {
  const allowed = Object.keys(spec.parameters);
  for (const [name, value] of Object.entries(parameters)) {
    const parameter = Object.hasOwn(spec.parameters, name) ? spec.parameters[name] : undefined;
    if (!parameter) {
      const suggestion = suggestName(name, allowed);
      once(`${cmdlet} may not receive '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ""} (allowed: ${allowed.join(", ")})`, ["parameters", name], true);
      continue;
    }
    if (!step.isLiteral(["parameters", name])) continue;
    const problem = parameterValueProblem(parameter, value);
    if (problem) once(`${cmdlet} parameter ${name} ${problem}`, ["parameters", name]);
  }
  const missing = allowed.filter((name) => spec.parameters[name]!.required && !(name in parameters));
  if (missing.length > 0) once(`${cmdlet} needs ${missing.join(", ")}`, ["parameters"]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
