/**
 * The console's view of scheduled runs (its SchedulesPort) over the scheduling lifecycle: what is
 * waiting and when, a run's wake-up for its detail view, and cancel. The console records who
 * cancelled; the run records that it was cancelled.
 */
import { ambientEvents } from "../../core/current-events";
import { IntentError } from "../../core/errors";
import type { ActionOutcome, SchedulesPort } from "../../inbound/console/ports";
import { cancelScheduledRun, listScheduled } from "../../lifecycle/schedule";
import type { PipelineDeps } from "../../lifecycle/types";

export function schedulesPort(deps: PipelineDeps): SchedulesPort {
  return {
    async upcoming() {
      const waiting = await listScheduled(deps);
      const records = await Promise.all(waiting.map((wake) => deps.store.get(wake.runId)));
      // A wake-up whose run has moved on (it is starting, or was cancelled a moment ago) is not listed.
      return waiting.flatMap((wake, i) => {
        const record = records[i];
        if (record?.status !== "scheduled") return [];
        return [{
          runId: wake.runId, intentName: wake.intentName, ticketId: wake.ticketId, requester: record.requester ?? "", target: record.target ?? "",
          dueAt: new Date(wake.due).toISOString(), next: wake.start ? "start" : wake.step,
        }];
      });
    },
    async stateOf(runId) {
      const wake = await deps.schedules.get(runId);
      return wake && { step: wake.step, at: wake.at, dueAt: new Date(wake.due).toISOString(), next: wake.start ? "start" : wake.step };
    },
    async cancel(runId): Promise<ActionOutcome> {
      const outcome = await cancelScheduledRun(deps, runId, "requested", ambientEvents);
      if (outcome.kind === "cancelled") {
        return { ok: true, status: "cancelled", message: outcome.already ? "The run was already cancelled." : "The scheduled run was cancelled; nothing more of it will run." };
      }
      if (outcome.kind === "not_found") return { ok: false, error: new IntentError("RUN_NOT_FOUND", "No run has this id.") };
      return { ok: false, error: new IntentError("RUN_NOT_SCHEDULED", `The run is ${outcome.record.status}, not waiting for a scheduled time.`) };
    },
  };
}
