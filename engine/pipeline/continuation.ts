/**
 * The queue handler's work: resume a run that outlived its HTTP budget, from its journal. A
 * message delivered more often than the limit is poison: its run ends as failed, with a mail.
 */
import { IntentError } from "../errors";
import type { EventSink, RunContext, RunResult } from "../runtime/types";
import type { ContinuationMessage, Lease } from "../store/types";
import { runClaimed } from "./runner";
import type { PipelineDeps } from "./types";

export function parseContinuation(message: unknown): ContinuationMessage {
  const text = typeof message === "string" ? message : JSON.stringify(message);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The Functions host hands over the decoded text; the local poller may pass base64.
    parsed = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
  }
  const candidate = parsed as Partial<ContinuationMessage>;
  if (typeof candidate?.runId !== "string" || typeof candidate.payload !== "object" || candidate.payload === null) {
    throw new IntentError("INTERNAL", "A continuation message has no runId or payload.");
  }
  return candidate as ContinuationMessage;
}

function runContextOf(message: ContinuationMessage, intentName: string): RunContext {
  const meta = message.payload.meta_data;
  return {
    runId: message.runId, ticketId: meta.ticket_id, intentName,
    contactName: meta.contact_name, contactEmail: meta.contact_email, companyName: meta.company_name,
  };
}

async function endAsFailed(deps: PipelineDeps, lease: Lease, run: RunContext, error: IntentError, events: EventSink): Promise<void> {
  const result: RunResult = {
    status: "failed",
    message: "The request could not be completed; the helpdesk has been told.",
    steps: lease.record.result?.steps ?? [],
    error: error.toJSON(),
  };
  await lease.finish(result);
  events("result", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId, status: "failed", errorCode: error.code });
  await deps.notifier.notify({ run, result, secretValues: [] }, events);
}

/** Throws a retryable IntentError when another instance holds the run, so the message comes back later. */
export async function handleContinuation(deps: PipelineDeps, raw: unknown, dequeueCount: number, events: EventSink): Promise<void> {
  const message = parseContinuation(raw);
  const { runId } = message;
  const resumed = await deps.store.resume(runId);
  if (!resumed || resumed.kind === "done") {
    events("continuation_skipped", { runId, reason: resumed ? "finished" : "unknown run" });
    return;
  }
  if (resumed.kind === "busy") {
    throw new IntentError("RUN_IN_PROGRESS", "Another instance is working on this run.", { retryable: true });
  }
  const { lease } = resumed;
  const intent = deps.engine.find(message.payload.intent_name);
  const run = runContextOf(message, intent?.name ?? lease.record.intentName);
  if (dequeueCount > deps.settings.maxDequeueCount) {
    events("poison", { runId, dequeueCount });
    const error = new IntentError("STEP_TIMEOUT", `The run could not be continued after ${dequeueCount - 1} attempts.`, {
      fix: "Check the run's steps in Application Insights, then send the request again from Thread.",
    });
    return endAsFailed(deps, lease, run, error, events);
  }
  const mapped = intent ? deps.engine.mapFields(intent, message.payload.intent_fields) : undefined;
  if (!intent || !mapped?.ok) {
    // The catalogue changed between the webhook and its continuation (a deployment).
    const error = new IntentError(intent ? "FIELD_INVALID" : "INTENT_UNKNOWN", "The intent no longer accepts this request.");
    return endAsFailed(deps, lease, run, error, events);
  }
  events("resumed", { runId, attempts: lease.record.attempts, dequeueCount });
  await runClaimed(deps, {
    intent, payload: message.payload, fields: mapped.fields, secretValues: mapped.secretValues, run, lease,
    budgetMs: deps.settings.continuationBudgetMs,
  }, events);
}
