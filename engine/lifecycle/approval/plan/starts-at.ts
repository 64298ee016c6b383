/**
 * When a timed run's changes are made, from its dry run: the first change's time (the approver
 * reads it beside the changes) and, for a change a step's delay puts later, its own time.
 */
import { inFullWords } from "../../../language/time/words";
import type { StepResult } from "../../../runtime/types";
import type { Plan } from "./types";

/** The planned time of the first step that would write, if it lies ahead of `now`; else undefined (it runs at once). */
export function startsAtOf(steps: readonly StepResult[], now: number, timeZone: string): Plan["startsAt"] {
  const first = steps.find((step) => step.planned !== undefined && step.at !== undefined);
  const due = first?.at === undefined ? NaN : Date.parse(first.at);
  if (!Number.isFinite(due) || due <= now) return undefined;
  return { at: first!.at as string, words: inFullWords(due, timeZone) };
}

/** Marks each change whose step runs after the first change's step with its own time (a plan without times is returned as it is). */
export function withLaterChanges(plan: Plan, steps: readonly StepResult[], timeZone: string): Plan {
  const atOf = new Map(steps.filter((step) => step.at !== undefined).map((step) => [step.id, step.at as string]));
  const first = plan.changes.map((change) => atOf.get(change.stepId)).find((at) => at !== undefined);
  if (first === undefined) return plan;
  const start = Date.parse(first);
  const changes = plan.changes.map((change) => {
    const at = atOf.get(change.stepId);
    return at !== undefined && Date.parse(at) > start ? { ...change, later: { at, words: inFullWords(Date.parse(at), timeZone) } } : change;
  });
  return { ...plan, changes };
}
