/** The result of a run that waits for its time: `scheduled`, what runs next and when, in the requester's words. */
import type { Redactor } from "../core/redaction";
import type { CompiledIntent } from "../language/spec/types";
import type { TenantCalendar } from "../language/time/calendar";
import { inWords } from "../language/time/words";
import { isoLocal } from "../language/time/zone";
import { render } from "./run-result";
import { scopeWith } from "./scope";
import type { RunResult, StepResult } from "./types";

export interface Wait {
  /** The step that runs at that time. */
  step: string;
  /** Epoch ms. */
  due: number;
}

export function scheduledRun(
  intent: CompiledIntent, scope: object, steps: StepResult[], redactor: Redactor, wait: Wait, calendar: TenantCalendar, now: number,
): RunResult {
  const at = isoLocal(calendar.timeZone, wait.due);
  const when = inWords(wait.due, calendar.timeZone, now);
  const started = steps.some((step) => step.status !== "skipped");
  const fallback = started ? `Your request was started; the rest of it will run on ${when}.` : `Your request is scheduled for ${when}.`;
  // A run waiting between steps may already have a failed one: its message can say so (`error`).
  const error = steps.find((step) => step.status === "failed")?.error ?? null;
  const message = render(intent.plan.messages.scheduled, scopeWith(scopeWith(scope, "schedule", { at, when, step: wait.step }), "error", error)) ?? fallback;
  return { status: "scheduled", message: redactor.mask(message), steps, schedule: { step: wait.step, at } };
}
