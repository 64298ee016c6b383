/** When a timed run's first change is made, from its dry run: the approver reads it beside the changes. */
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
