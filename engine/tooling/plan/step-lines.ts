/**
 * A plan's steps as a reviewer reads them in CI (`intents plan --cases`): one line per step saying
 * what it would send — a Graph request, a `$batch`, a cmdlet, a runbook — or that it is skipped.
 */
import type { StepResult } from "../../runtime/types";

type Described = Record<string, unknown>;

function isObject(value: unknown): value is Described {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function request(value: Described): string | undefined {
  return typeof value.method === "string" && typeof value.path === "string" ? `${value.method} ${value.path}` : undefined;
}

/** What one described input sends, in a few words. */
function describedLine(planned: unknown): string {
  if (Array.isArray(planned)) {
    const lines = [...new Set(planned.map(describedLine))];
    return planned.length === 1 ? lines[0]! : `${planned.length} × ${lines.join(" | ")}`;
  }
  if (!isObject(planned)) return JSON.stringify(planned);
  const single = request(planned);
  if (single) return single;
  if (typeof planned.cmdlet === "string") return `cmdlet ${planned.cmdlet}`;
  if (typeof planned.runbook === "string") return `runbook ${planned.runbook}`;
  const batch = Object.entries(planned).map(([name, value]) => (isObject(value) ? [name, request(value)] : [name, undefined]));
  if (batch.length > 0 && batch.every(([, line]) => line !== undefined)) return `$batch ${batch.map(([name, line]) => `${name}: ${line}`).join(", ")}`;
  return JSON.stringify(planned);
}

export function planStepLine(step: StepResult): string {
  const what = step.planned === undefined ? step.status : describedLine(step.planned);
  const condition = step.plannedIf ? ` (if ${step.plannedIf})` : "";
  const at = step.at ? ` (at ${step.at})` : "";
  return `${step.id}: ${what}${condition}${at}`;
}
