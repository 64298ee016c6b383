/**
 * When a run and its steps may run: a scheduled intent's start, and a step's `after` delay. The
 * interpreter only learns "not before T" and answers `scheduled`; where the run waits and what
 * wakes it up belong to the lifecycle. A delay's due time is fixed when the run first reaches the
 * step and kept in the journal, so a run woken early (or twice) still waits until then, and a run
 * resumed later does not start the wait again.
 */
import { calendarFrom, type TenantCalendar } from "../language/time/calendar";
import { addDuration } from "../language/time/duration";
import { scheduledStart } from "../language/spec/schedule";
import type { CompiledIntent, CompiledStep } from "../language/spec/types";
import type { RunJournal, StepCheckpoint } from "./types";

/** The journal row that keeps a delayed step's due time (never a step id: ids have no colon). */
export function waitKey(stepId: string): string {
  return `wait:${stepId}`;
}

/** True when the intent has a start date or a delayed step: only then is the calendar read. */
export function isTimed(intent: CompiledIntent): boolean {
  return intent.plan.start !== undefined || intent.plan.steps.some((step) => step.after !== undefined);
}

export function calendarOf(given: TenantCalendar | undefined, settings: Readonly<Record<string, string | undefined>>): TenantCalendar {
  return given ?? calendarFrom(settings);
}

/** Epoch ms at which the run may start; undefined = at once. */
export function startDue(intent: CompiledIntent, fields: Record<string, unknown>, calendar: TenantCalendar): number | undefined {
  return scheduledStart(intent, fields, calendar)?.at;
}

interface WaitState {
  due: number;
}

function savedDue(checkpoint: StepCheckpoint | undefined): number | undefined {
  const due = (checkpoint?.state as WaitState | undefined)?.due;
  return typeof due === "number" ? due : undefined;
}

/**
 * A delayed step's due time: the one kept in the journal, else `now` plus its delay (saved, when a
 * journal is given, before anyone can act on it).
 */
export async function stepDue(
  step: CompiledStep, checkpoints: Record<string, StepCheckpoint>, journal: RunJournal | undefined, now: number, calendar: TenantCalendar,
): Promise<number | undefined> {
  if (!step.after) return undefined;
  const kept = savedDue(checkpoints[waitKey(step.id)]);
  if (kept !== undefined) return kept;
  const due = addDuration(now, step.after, calendar.timeZone);
  const state: WaitState = { due };
  await journal?.save(waitKey(step.id), { result: { id: step.id, kind: "wait", status: "skipped", attempts: 0, durationMs: 0 }, outputs: {}, state });
  return due;
}

/**
 * A timed run's clock as the interpreter walks the plan. Live: `waitBefore` gives the step's due
 * time while it lies ahead. Dry-run: the start, then each delay added, so a plan says when each
 * step would run.
 */
export class RunTimeline {
  private planned: number;

  constructor(readonly calendar: TenantCalendar, private readonly live: boolean, now: number, start: number | undefined) {
    this.planned = Math.max(now, start ?? now);
  }

  /** Live: the due time of a delayed step that lies after `now`. Dry-run: moves the plan's clock on. */
  async waitBefore(step: CompiledStep, applies: boolean, checkpoints: Record<string, StepCheckpoint>, journal: RunJournal | undefined, now: number): Promise<number | undefined> {
    if (!step.after || !applies) return undefined;
    if (!this.live) {
      this.planned = addDuration(this.planned, step.after, this.calendar.timeZone);
      return undefined;
    }
    const due = await stepDue(step, checkpoints, journal, now, this.calendar);
    return due !== undefined && due > now ? due : undefined;
  }

  /** When the plan has the current step run. */
  plannedAt(): number {
    return this.planned;
  }
}
