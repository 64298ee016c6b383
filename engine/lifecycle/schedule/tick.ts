/**
 * The timer's work (every minute in Azure, and in `npm start`): hand each due wake-up to the
 * continuation queue, whose handler claims the run with its lease and runs it, so a due run goes to
 * whichever instance takes the message, exactly once. A wake-up is first taken (a conditional write
 * that one instance wins) and comes due again a few minutes later unless removed after queueing: a
 * timer that dies in between loses nothing, and a second message at worst finds the run claimed or
 * finished and is dropped.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { endAsFailed } from "../continue/continuation";
import type { PipelineDeps } from "../types";
import type { StoredWake } from "./types";

/** How long a taken wake-up waits before another timer tick may hand it off again. */
export const HANDOFF_RETRY_MS = 5 * 60_000;
/** Wake-ups handed off per tick; the rest come next minute. */
export const WAKES_PER_TICK = 200;

export interface TickOutcome {
  handedOff: number;
  failed: number;
}

export async function startDueRuns(deps: PipelineDeps, events: EventSink): Promise<TickOutcome> {
  const now = deps.clock.now();
  const due = await deps.schedules.due(now, WAKES_PER_TICK);
  const outcome: TickOutcome = { handedOff: 0, failed: 0 };
  for (const wake of due) {
    try {
      if (await handOff(deps, wake, now, events)) outcome.handedOff++;
    } catch (thrown) {
      // This wake-up comes due again after HANDOFF_RETRY_MS; the others go on.
      outcome.failed++;
      events("schedule_handoff_failed", { runId: wake.runId, code: ensureIntentError(thrown).code });
    }
  }
  if (due.length > 0) events("schedule_tick", { due: due.length, ...outcome });
  return outcome;
}

async function handOff(deps: PipelineDeps, wake: StoredWake, now: number, events: EventSink): Promise<boolean> {
  const taken = await deps.schedules.take(wake, now + HANDOFF_RETRY_MS);
  if (!taken) return false; // another instance's timer has it
  if (taken.problem) {
    await abandon(deps, taken, taken.problem, events);
  } else {
    await deps.queue.send({ runId: taken.runId, input: taken.input }, 0);
    events("schedule_due", { runId: taken.runId, intentName: taken.intentName, ticketId: taken.ticketId, step: taken.step, at: taken.at, lateMs: now - taken.due });
  }
  await deps.schedules.remove(taken.runId, taken.etag);
  return true;
}

/** The run cannot be resumed (its secret fields can no longer be opened): it ends as failed, with a mail. */
async function abandon(deps: PipelineDeps, wake: StoredWake, problem: IntentError, events: EventSink): Promise<void> {
  const resumed = await deps.store.resume(wake.runId, ["scheduled"]);
  if (resumed?.kind === "busy") throw new IntentError("RUN_IN_PROGRESS", "Another instance holds the scheduled run.", { retryable: true });
  if (resumed?.kind !== "claimed") return;
  const { run } = wake.input;
  await endAsFailed(deps, resumed.lease, run, problem, events);
}
