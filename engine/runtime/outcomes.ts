/**
 * Maps a kind's answer to changed | ok | failed: the step's outcome rules first (in order), then
 * the kind's own classification (success → changed for a write, ok for a read; a failure with the
 * kind's error). The runtime adds no error of its own beyond STEP_FAILED for a kind that gave none.
 */
import type { CompiledOutcome } from "../language/spec/types";
import type { Classification } from "../core/step-kind";
import type { ReportedError, StepStatus } from "./types";
import { holds } from "./conditions";

export interface Decision {
  status: Exclude<StepStatus, "skipped">;
  error?: ReportedError;
}

function matches(rule: CompiledOutcome, c: Classification, scope: object): boolean {
  if (rule.match) {
    const { status, code, message } = rule.match;
    if (status !== undefined && c.status !== status) return false;
    if (code !== undefined && c.code !== code) return false;
    if (message !== undefined && !(c.message ?? "").toLowerCase().includes(message.toLowerCase())) return false;
  }
  return rule.when ? holds(rule.when, scope) : true;
}

export function decide(outcomes: readonly CompiledOutcome[], c: Classification, readOnly: boolean, scope: object): Decision {
  for (const rule of outcomes) {
    if (!matches(rule, c, scope)) continue;
    if (rule.result !== "failed") return { status: rule.result };
    const error: ReportedError = rule.error
      ? { code: rule.error.code, message: String(rule.error.message.render(scope)), ...(rule.error.fix ? { fix: rule.error.fix } : {}) }
      : defaultError(c);
    return { status: "failed", error };
  }
  if (c.success) return { status: c.outcome ?? (readOnly ? "ok" : "changed") };
  return { status: "failed", error: defaultError(c) };
}

function defaultError(c: Classification): ReportedError {
  return c.error ? { code: c.error.code, message: c.error.message } : { code: "STEP_FAILED", message: "The step failed." };
}
