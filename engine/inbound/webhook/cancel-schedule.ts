/**
 * `DELETE /api/runs/{runId}/schedule`: cancels a run that waits for its time (a start date or a
 * delayed step), behind the same shared secret. Cancelling twice answers the cancelled run again;
 * a run that has started or ended is 409, with its status.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { cancelScheduledRun } from "../../lifecycle/schedule/cancel";
import type { PipelineDeps } from "../../lifecycle/types";
import { errorAnswer, recordAnswer } from "./answers";
import { refusedForRun, runNotFound } from "./run-endpoint";
import type { HttpAnswer, IncomingRequest } from "./types";

export async function handleCancelSchedule(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer> {
  const refused = await refusedForRun(deps, request, runId, events);
  if (refused) return refused;
  try {
    const outcome = await cancelScheduledRun(deps, runId, "requested", events);
    if (outcome.kind === "not_found") return runNotFound();
    if (outcome.kind === "cancelled") {
      const answer = recordAnswer(outcome.record, outcome.already ? { alreadyCancelled: true } : {});
      return { ...answer, status: 200 };
    }
    const error = new IntentError("RUN_NOT_SCHEDULED", `The run is ${outcome.record.status}, not waiting for a scheduled time.`, {
      fix: "Check the run with GET /api/runs/{runId}; a run that has started finishes on its own.",
    });
    return errorAnswer(error, { runId, status: outcome.record.status });
  } catch (thrown) {
    return errorAnswer(ensureIntentError(thrown));
  }
}
