/** Plain words for states and step outcomes, shared by the note, the mail and the webhook. */
import { createRedactor, maskableSecret, type Redactor } from "../../core/redaction";
import type { StepResult } from "../../runtime/types";
import type { ReportState } from "./types";

const HEADLINES: Record<ReportState, string> = {
  succeeded: "completed",
  partial: "partly completed",
  failed: "failed",
  denied: "refused",
  expired: "expired before anyone approved it",
  awaiting_approval: "waiting for approval",
  scheduled: "scheduled",
  cancelled: "cancelled",
};

export function headline(state: ReportState): string {
  return HEADLINES[state];
}

const SENTENCES: Record<ReportState, string> = {
  succeeded: "The automation carried out the request.",
  partial: "The automation carried out part of the request.",
  failed: "The automation could not carry out the request.",
  denied: "The request was refused (by policy or by its approver); nothing was changed.",
  expired: "The request expired before anyone approved it; nothing was changed.",
  awaiting_approval: "The request waits for approval; nothing has been changed yet.",
  scheduled: "The request is scheduled; nothing has been changed yet.",
  cancelled: "The scheduled request was cancelled before its time; what it had not done yet will not happen.",
};

/** The internal note's first line. */
export function stateSentence(state: ReportState): string {
  return SENTENCES[state];
}

type Outcome = Pick<StepResult, "status" | "error" | "items" | "answerLost">;

/** "done", "already so", "failed: …", "not done (skipped)"; a for-each step counts its items. */
export function stepWords(step: Outcome): string {
  const base = {
    changed: step.answerLost ? "done (its first answer was lost; sent again, it was found done)" : "done",
    ok: "done, nothing needed changing",
    failed: `failed: ${step.error?.message ?? "no reason given"}${step.error?.code ? ` (${step.error.code})` : ""}`,
    skipped: "not done (skipped)",
  }[step.status];
  if (!step.items || step.items.length === 0) return base;
  const count = (status: string) => step.items!.filter((item) => item.status === status).length;
  const done = count("changed") + count("ok");
  return `${base}; ${done} of ${step.items.length} items done${count("failed") ? `, ${count("failed")} failed` : ""}`;
}

/** Steps that happened (changed or already so) and steps that did not (failed, skipped). */
export function splitSteps(steps: readonly StepResult[]): { done: StepResult[]; notDone: StepResult[] } {
  return {
    done: steps.filter((step) => step.status === "changed" || step.status === "ok"),
    notDone: steps.filter((step) => step.status === "failed" || step.status === "skipped"),
  };
}

/**
 * The masker for one report. Mapped secret values are always maskable (shorter ones are refused
 * at mapping); the filter only keeps a stray short value from turning a report into an exception.
 */
export function reportRedactor(secretValues: readonly string[]): Redactor {
  return createRedactor(secretValues.filter(maskableSecret));
}
