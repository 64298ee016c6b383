/**
 * What a run leaves for the operator console beside its record: the sealed input of a run that
 * ended failed or partial (so it can be retried), and the Graph throttling it saw (the health
 * panel). Neither may change how the run ends: a failure to write them is an event, not an error.
 */
import { ensureIntentError } from "../../core/errors";
import type { EventSink, RunContext } from "../../runtime/types";
import type { KeptRequestStore } from "../store/kept-requests";
import type { RunInput } from "../execute/run-input";
import type { ThrottlingLog } from "./throttling-log";

export interface OperatorRecords {
  kept: KeptRequestStore;
  throttling: ThrottlingLog;
}

export async function keepForRetry(records: OperatorRecords | undefined, runId: string, input: RunInput, events: EventSink): Promise<void> {
  if (!records) return;
  try {
    await records.kept.keep(runId, input);
  } catch (thrown) {
    events("retry_copy_failed", { runId, code: ensureIntentError(thrown).code });
  }
}

/** A retried (or taken-over) run that succeeded needs no copy any more. */
export async function forgetKept(records: OperatorRecords | undefined, runId: string, events: EventSink): Promise<void> {
  if (!records) return;
  try {
    await records.kept.forget(runId);
  } catch (thrown) {
    events("retry_copy_failed", { runId, code: ensureIntentError(thrown).code });
  }
}

export async function noteThrottling(records: OperatorRecords | undefined, run: RunContext, responses: number, at: number, events: EventSink): Promise<void> {
  if (!records || responses === 0) return;
  try {
    await records.throttling.note(run.runId, run.intentName, responses, at);
  } catch (thrown) {
    events("health_note_failed", { runId: run.runId, code: ensureIntentError(thrown).code });
  }
}
