/**
 * A new request for the same ticket and intent with another date moves the schedule rather than
 * adding a second run: the date is a mapped field, so the new request has its own idempotency key
 * and run, and once that run is accepted (scheduled, or started because its time has come) the
 * ticket's other runs of the intent that have not started yet are cancelled as replaced.
 */
import { ensureIntentError } from "../../core/errors";
import type { EventSink, RunResult } from "../../runtime/types";
import type { PipelineDeps } from "../types";
import { cancelPending } from "./cancel";

const ACCEPTED: ReadonlySet<RunResult["status"]> = new Set(["scheduled", "running", "succeeded", "partial"]);

export async function replaceEarlierSchedules(deps: PipelineDeps, run: { runId: string; ticketId: string; intentName: string }, result: RunResult, events: EventSink): Promise<void> {
  if (!ACCEPTED.has(result.status)) return;
  try {
    const replaced = await cancelPending(deps, { ticketId: run.ticketId, intentName: run.intentName, except: run.runId, notStarted: true }, "replaced", events);
    if (replaced.length > 0) events("rescheduled", { runId: run.runId, replaced: replaced.map((r) => r.runId) });
  } catch (thrown) {
    // The new run stands either way; the older one is still listed for the console to cancel.
    events("reschedule_failed", { runId: run.runId, code: ensureIntentError(thrown).code });
  }
}
