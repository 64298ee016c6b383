import type { ReportDiagnostic, StaticStep } from "../../core/step-kind";
import { suggestName } from "../../contracts/graph-metadata/suggest";
import type { RunbookManifest } from "../../contracts/runbook-manifest";

/**
 * Checks one automation:runbook step against the manifest: the runbook exists, every parameter
 * it passes is declared, every required one is passed, and a literal value of a ValidateSet
 * parameter is one PowerShell will accept. Templated values are left to run time.
 */
export function lintRunbookStep(step: StaticStep, report: ReportDiagnostic, manifest: RunbookManifest): void {
  const input = step.with as { runbook?: unknown; parameters?: unknown } | null;
  if (input === null || typeof input !== "object" || typeof input.runbook !== "string") return;
  if (!step.isLiteral(["runbook"])) return;
  const spec = manifest[input.runbook];
  if (!spec) {
    const suggestion = suggestName(input.runbook, Object.keys(manifest));
    report(
      "SPEC_RUNBOOK_UNKNOWN",
      `Runbook '${input.runbook}' is not in runbooks/runbooks.json.${suggestion ? ` Did you mean '${suggestion}'?` : ""}`,
      ["runbook"],
    );
    return;
  }
  const passed = isRecord(input.parameters) ? input.parameters : {};
  const declared = Object.keys(spec.parameters);
  for (const [name, value] of Object.entries(passed)) {
    const parameter = spec.parameters[name];
    if (!parameter) {
      const suggestion = suggestName(name, declared);
      report(
        "SPEC_RUNBOOK_PARAMETER",
        `Runbook '${input.runbook}' has no parameter '${name}'.${suggestion ? ` Did you mean '${suggestion}'?` : ` Its parameters: ${declared.join(", ")}.`}`,
        ["parameters", name],
        { key: true },
      );
    } else if (parameter.enum && typeof value === "string" && step.isLiteral(["parameters", name])) {
      if (!parameter.enum.some((allowed) => allowed.toLowerCase() === value.toLowerCase())) {
        report(
          "SPEC_RUNBOOK_PARAMETER",
          `Parameter '${name}' of runbook '${input.runbook}' must be one of ${parameter.enum.join(", ")}, not '${value}'.`,
          ["parameters", name],
        );
      }
    }
  }
  const missing = declared.filter((name) => spec.parameters[name]!.required && !(name in passed));
  if (missing.length > 0) {
    report(
      "SPEC_RUNBOOK_PARAMETER",
      `Runbook '${input.runbook}' needs parameter${missing.length > 1 ? "s" : ""} ${missing.map((name) => `'${name}'`).join(", ")}.`,
      isRecord(input.parameters) ? ["parameters"] : ["runbook"],
      { key: isRecord(input.parameters) },
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
