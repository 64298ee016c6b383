/**
 * A run the engine answered `scheduled` for (its start date, or a step's delay, lies ahead): the
 * state is reported, the wake-up written to the schedule table, and only then the record set to
 * `scheduled`, so a crash in between leaves a wake-up for a run that is still claimed (the timer
 * finds it and the run goes on), never a scheduled record that nothing will wake.
 */
import { IntentError } from "../../core/errors";
import { inFullWords } from "../../language/time/words";
import type { EventSink, RunResult } from "../../runtime/types";
import type { RunInput } from "../execute/run-input";
import type { Lease } from "../store/types";
import type { PipelineDeps } from "../types";

/** What holding needs of a claimed run (execute/runner.ts ClaimedRun fits). */
export interface HeldRun {
  input: RunInput;
  lease: Lease;
  /** True when the run answered 202 before (a step's delay after a continuation). */
  accepted: boolean;
}

export async function holdRun(deps: PipelineDeps, claimed: HeldRun, result: RunResult, events: EventSink): Promise<void> {
  const { input, lease } = claimed;
  const { run } = input;
  const schedule = result.schedule;
  if (!schedule) throw new IntentError("INTERNAL", "A scheduled result names no time.");
  const due = Date.parse(schedule.at);
  const waits = result.steps.length === 0 ? "The run starts" : `The step ${schedule.step} runs`;
  await deps.reporter.report({
    state: "scheduled", run, message: result.message, steps: result.steps, secretValues: input.secretValues, accepted: claimed.accepted,
    detail: `${waits} on ${inFullWords(due, deps.settings.timeZone)}.`,
  }, events);
  const start = result.steps.every((step) => step.status === "skipped");
  await deps.schedules.put({ runId: run.runId, ticketId: run.ticketId, intentName: run.intentName, step: schedule.step, at: schedule.at, due, start, input });
  await lease.suspend(result);
  events("scheduled", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId, step: schedule.step, at: schedule.at });
}
