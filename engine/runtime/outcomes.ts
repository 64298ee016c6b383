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

/** True when the answer fits a `match` (status, code, text in the message in any case); no match fits all. */
export function matchesAnswer(match: CompiledOutcome["match"], c: Classification): boolean {
  if (!match) return true;
  const { status, code, message } = match;
  if (status !== undefined && c.status !== status) return false;
  if (code !== undefined && c.code !== code) return false;
  return message === undefined || (c.message ?? "").toLowerCase().includes(message.toLowerCase());
}

function matches(rule: CompiledOutcome, c: Classification, scope: object): boolean {
  if (!matchesAnswer(rule.match, c)) return false;
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
  const error: ReportedError = c.error ? { code: c.error.code, message: c.error.message } : { code: "STEP_FAILED", message: "The step failed." };
  if (c.transient) error.retryable = true;
  return error;
}
