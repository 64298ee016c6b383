/** The run's status, its one-sentence message and the outputs the intent declares for the caller. */
import type { CompiledIntent } from "../language/spec/types";
import type { Redactor } from "../core/redaction";
import { scopeWith } from "./scope";
import type { ReportedError, RunMode, RunResult, RunStatus, StepResult } from "./types";

/** The end user's sentence for a run that failed without a message of its intent's own (the only spelling). */
export const FAILED_MESSAGE = "Your request could not be completed; the helpdesk has the details.";
/** The sentence of a run that goes on from the queue. */
export const IN_PROGRESS_MESSAGE = "Your request is in progress.";

/**
 * The statuses a pass of the interpreter ends in; `cancelled`, approvals and their expiry are
 * decided outside it, `denied` before it starts.
 */
type ExecutedStatus = Exclude<RunStatus, "cancelled" | "denied" | "awaiting_approval" | "expired">;

const FALLBACK: Record<ExecutedStatus, string> = {
  succeeded: "Your request was completed.",
  partial: "Part of your request was completed; the helpdesk has the details.",
  failed: FAILED_MESSAGE,
  running: IN_PROGRESS_MESSAGE,
  scheduled: "Your request is scheduled.",
};

export function runStatus(steps: readonly StepResult[]): Exclude<ExecutedStatus, "running" | "scheduled"> {
  if (!steps.some((s) => s.status === "failed")) return "succeeded";
  const changed = steps.some((s) => s.status === "changed" || (s.items ?? []).some((item) => item.status === "changed"));
  return changed ? "partial" : "failed";
}

export function render(template: { render(scope: object): unknown } | undefined, scope: object): string | undefined {
  if (!template) return undefined;
  try {
    const text = template.render(scope);
    return text === null || text === undefined ? undefined : String(text);
  } catch {
    // A message that cannot render (a null output of a failed step) falls back to the generic sentence.
    return undefined;
  }
}

export function finishRun(
  intent: CompiledIntent,
  scope: object,
  steps: StepResult[],
  redactor: Redactor,
  mode: RunMode,
  suspendedMs?: number,
): RunResult {
  const status: Exclude<ExecutedStatus, "scheduled"> = suspendedMs === undefined ? runStatus(steps) : "running";
  const error: ReportedError | undefined = steps.find((s) => s.status === "failed")?.error;
  const messages = intent.plan.messages;
  const template = status === "partial" ? (messages.partial ?? messages.failed) : messages[status];
  const withError = scopeWith(scope, "error", error ?? null);
  let message = render(template, withError) ?? FALLBACK[status];
  if (mode === "dry-run") message = `Dry run, nothing was changed: ${steps.filter((s) => s.planned !== undefined).length} step(s) planned.`;
  const result: RunResult = { status, message: redactor.mask(message), steps };
  if (error) result.error = redactor.mask(error);
  if (suspendedMs !== undefined) result.resumeAfterMs = suspendedMs;
  if (status === "succeeded" || status === "partial") {
    const outputs: Record<string, unknown> = {};
    for (const [name, t] of intent.plan.outputs) {
      try {
        outputs[name] = t.render(scope);
      } catch {
        outputs[name] = null;
      }
    }
    // The credential is the one value returned unmasked: once, in this response, never stored.
    const credential = mode === "live" ? render(intent.plan.credential, scope) : undefined;
    if (credential) outputs.credential = credential;
    if (Object.keys(outputs).length > 0) result.outputs = { ...redactor.mask(Object.fromEntries(Object.entries(outputs).filter(([k]) => k !== "credential"))), ...(credential ? { credential } : {}) };
  }
  return result;
}
