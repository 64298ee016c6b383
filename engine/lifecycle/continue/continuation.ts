/**
 * The queue handler's work: resume a run that outlived its HTTP budget, from its journal. A
 * message delivered more often than the limit is poison: its run ends as failed, with a mail.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink, RunContext, RunResult } from "../../runtime/types";
import type { ContinuationWire } from "./continuation-queue";
import { unseal } from "./sealing";
import type { Lease } from "../store/types";
import { FAILED_MESSAGE } from "../../inbound/webhook/answers";
import { runContextFor } from "../execute/run-context";
import { runClaimed } from "../execute/runner";
import type { PipelineDeps, WebhookPayload } from "../types";

/** The run id, and the webhook unless it cannot be opened (then the run ends as failed). */
export interface OpenedContinuation {
  runId: string;
  payload?: WebhookPayload;
  problem?: IntentError;
}

export function openContinuation(message: unknown, sharedSecret: string): OpenedContinuation {
  let wire: Partial<ContinuationWire> | undefined;
  try {
    // The Functions host hands over the decoded JSON; the local poller passes the decoded text.
    wire = (typeof message === "string" ? JSON.parse(message) : message) as Partial<ContinuationWire>;
  } catch {
    wire = undefined;
  }
  if (typeof wire?.runId !== "string" || typeof wire.sealed !== "string") {
    throw new IntentError("INTERNAL", "A continuation message has no runId or sealed payload.");
  }
  try {
    return { runId: wire.runId, payload: unseal(wire.sealed, sharedSecret) as WebhookPayload };
  } catch (thrown) {
    return { runId: wire.runId, problem: ensureIntentError(thrown) };
  }
}

async function endAsFailed(
  deps: PipelineDeps, lease: Lease, run: RunContext, error: IntentError, events: EventSink, secretValues: readonly string[] = [],
): Promise<void> {
  const result: RunResult = {
    status: "failed",
    message: FAILED_MESSAGE,
    steps: lease.record.result?.steps ?? [],
    error: error.toJSON(),
  };
  await deps.reporter.report({ state: "failed", run, message: result.message, steps: result.steps, error: error.toJSON(), secretValues, accepted: true }, events);
  await lease.finish(result);
  events("result", { runId: run.runId, intentName: run.intentName, ticketId: run.ticketId, status: "failed", errorCode: error.code });
  await deps.notifier.notify({ run, result, secretValues }, events);
}

/** Throws a retryable IntentError when another instance holds the run, so the message comes back later. */
export async function handleContinuation(deps: PipelineDeps, raw: unknown, dequeueCount: number, events: EventSink): Promise<void> {
  const { runId, payload, problem } = openContinuation(raw, await deps.settings.sharedSecret());
  const resumed = await deps.store.resume(runId);
  if (!resumed || resumed.kind === "done") {
    events("continuation_skipped", { runId, reason: resumed ? "finished" : "unknown run" });
    return;
  }
  if (resumed.kind === "busy") {
    throw new IntentError("RUN_IN_PROGRESS", "Another instance is working on this run.", { retryable: true });
  }
  const { lease } = resumed;
  const run = runContextFor(runId, lease.record.intentName, lease.record.ticketId, payload);
  if (!payload) return endAsFailed(deps, lease, run, problem ?? new IntentError("INTERNAL", "The continuation has no payload."), events);
  const intent = deps.engine.find(payload.intent_name);
  const mapped = intent ? deps.engine.mapFields(intent, payload.intent_fields) : undefined;
  const secretValues = mapped?.ok ? mapped.secretValues : [];
  if (dequeueCount > deps.settings.maxDequeueCount) {
    events("poison", { runId, dequeueCount });
    const error = new IntentError("RUN_ABANDONED", `The run could not be continued after ${dequeueCount - 1} attempts.`, {
      fix: "Check the run's steps in Application Insights, then send the request again from Thread.",
    });
    return endAsFailed(deps, lease, run, error, events, secretValues);
  }
  if (!intent || !mapped?.ok) {
    // The catalogue changed between the webhook and its continuation (a deployment).
    const error = new IntentError(intent ? "FIELD_INVALID" : "INTENT_UNKNOWN", "The intent no longer accepts this request.");
    return endAsFailed(deps, lease, run, error, events);
  }
  events("resumed", { runId, attempts: lease.record.attempts, dequeueCount });
  await runClaimed(deps, {
    intent, payload, fields: mapped.fields, secretValues: mapped.secretValues, run, lease,
    budgetMs: deps.settings.continuationBudgetMs, accepted: true,
  }, events);
}
