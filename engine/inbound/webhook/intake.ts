/**
 * `POST /api/intent` as a plain function: authenticate, read (size-limited), validate, find the
 * intent, map its fields, claim the run, judge it by requester policy, execute. Each refusal happens before anything runs.
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { FieldError } from "../../language/spec/fields";
import { idempotencyKey, runIdFor } from "../../lifecycle/store/run-key";
import { continuingAnswer, errorAnswer, recordAnswer, runAnswer } from "./answers";
import { readLimitedBody } from "./body";
import { requesterAndTarget, runContextFor } from "./run-context";
import { runClaimed } from "../../lifecycle/execute/runner";
import { SECRET_HEADER, sharedSecretMatches } from "./shared-secret";
import type { RunInput } from "../../lifecycle/execute/run-input";
import type { PipelineDeps } from "../../lifecycle/types";
import type { HttpAnswer, IncomingRequest, WebhookPayload } from "./types";
import { parseWebhook } from "./webhook";
import { admitStart, replaceEarlierSchedules } from "../../lifecycle/schedule";
import { needsWatch, watchRun } from "../../lifecycle/continue/watch";
import { endStoppedTooOften, stoppedTooOften } from "../../lifecycle/continue/continuation";
import type { RunRecord } from "../../lifecycle/store/types";

export function unauthorized(): HttpAnswer {
  return errorAnswer(new IntentError("WEBHOOK_UNAUTHORIZED", "The X-Intent-Secret header is missing or wrong."));
}

export async function handleIntent(deps: PipelineDeps, request: IncomingRequest, events: EventSink): Promise<HttpAnswer> {
  const receivedAt = deps.clock.now();
  // Nothing about an unauthenticated request is read, parsed or logged.
  if (!sharedSecretMatches(request.header(SECRET_HEADER), await deps.settings.sharedSecret())) {
    events("rejected", { status: 401 });
    return unauthorized();
  }
  try {
    const raw = await readLimitedBody(request.body, request.header("content-length"), deps.settings.maxBodyBytes, deps.settings.bodyTimeoutMs);
    events("received", { bytes: raw.byteLength });
    return await process(deps, parseWebhook(raw), receivedAt, events);
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    events("rejected", { code: error.code });
    return errorAnswer(error, error.code === "WEBHOOK_INVALID" ? { errors: error.details } : {});
  }
}

async function process(deps: PipelineDeps, payload: WebhookPayload, receivedAt: number, events: EventSink): Promise<HttpAnswer> {
  const ticketId = payload.meta_data.ticket_id;
  const intent = deps.engine.find(payload.intent_name);
  if (!intent) {
    events("rejected", { code: "INTENT_UNKNOWN", ticketId });
    const error = new IntentError("INTENT_UNKNOWN", "No intent has this name or alias.", {
      fix: "Use one of the supported intent names in Thread's intent automation.",
    });
    return errorAnswer(error, { supportedIntents: deps.engine.supportedNames() });
  }
  const mapped = deps.engine.mapFields(intent, payload.intent_fields);
  if (!mapped.ok) return fieldsRefused(mapped.errors, ticketId, intent.name, events);
  const start = admitStart(deps, intent, mapped.fields);
  if (start.errors) return fieldsRefused(start.errors, ticketId, intent.name, events);
  const runId = runIdFor(idempotencyKey(ticketId, intent.name, mapped.identity));
  events("validated", { runId, ticketId, intentName: intent.name });
  // Kept (sealed) with the run from its claim, so a run whose instance stops without a trace can be resumed without this request.
  const kept: RunInput = { intentName: intent.name, fields: mapped.fields, secretValues: mapped.secretValues, run: runContextFor(runId, intent.name, payload) };
  const claim = await deps.store.claim({ runId, ticketId, intentName: intent.name, receivedAt, ...requesterAndTarget(payload, intent, mapped.fields), input: kept });
  if (claim.kind === "existing") {
    events("duplicate", { runId, ticketId, intentName: intent.name, status: claim.record.status });
    if (needsWatch(claim.record)) {
      const input = { ...kept, run: { ...kept.run, startedAt: claim.record.createdAt } };
      const unwatched = await watchOver(deps, input, claim.record, events);
      if (unwatched) return unwatched;
    }
    return recordAnswer(claim.record, { duplicate: true });
  }
  if (claim.takenOver) events("taken_over", { runId, attempts: claim.lease.record.attempts });
  const input: RunInput = { ...kept, run: { ...kept.run, startedAt: claim.lease.record.createdAt } };
  if (stoppedTooOften(deps, claim.lease)) {
    await endStoppedTooOften(deps, claim.lease, input, events);
    return recordAnswer(claim.lease.record);
  }
  const outcome = await runClaimed(deps, { intent, input, lease: claim.lease, budgetMs: deps.settings.runBudgetMs, accepted: false, judge: true }, events);
  const attempts = claim.lease.record.attempts;
  if (outcome.kind === "done") {
    if (start.at !== undefined) await replaceEarlierSchedules(deps, input.run, outcome.result, events);
    return runAnswer(runId, outcome.result, attempts);
  }
  if (outcome.reason === "lease_lost") return continuingAnswer(runId, attempts);
  // The stopped run's own input: a refusal that could not be recorded is judged again there.
  return continueLater(deps, outcome.input, attempts, events);
}

/**
 * The store failed mid-run: the run goes on from a continuation once this instance's lease has
 * lapsed (a later delivery may take it over too). Without a queue either, Thread is told to retry.
 */
async function continueLater(deps: PipelineDeps, input: RunInput, attempts: number, events: EventSink): Promise<HttpAnswer> {
  const { runId } = input.run;
  try {
    await deps.queue.send({ runId, input }, deps.settings.leaseMs);
    return continuingAnswer(runId, attempts);
  } catch (thrown) {
    events("continuation_not_queued", { runId, code: ensureIntentError(thrown).code });
    return errorAnswer(new IntentError("STORE_ERROR", "The run store failed while the run was going on.", { retryable: true }), { runId });
  }
}

/**
 * A duplicate of a run another instance holds: should that instance have stopped without a trace
 * (its answer was a 503), a watch finishes the run once its lease runs out. Without a queue to hold
 * the watch, the caller is told to try again rather than that the run goes on.
 */
async function watchOver(deps: PipelineDeps, input: RunInput, record: RunRecord, events: EventSink): Promise<HttpAnswer | undefined> {
  try {
    await watchRun(deps, input, record, events);
    return undefined;
  } catch (thrown) {
    events("continuation_not_queued", { runId: record.runId, code: ensureIntentError(thrown).code });
    return errorAnswer(new IntentError("STORE_ERROR", "The run could not be watched over.", { retryable: true }), { runId: record.runId });
  }
}

function fieldsRefused(errors: FieldError[], ticketId: string, intentName: string, events: EventSink): HttpAnswer {
  events("rejected", { code: "FIELD_INVALID", ticketId, intentName, fields: errors.map((e) => e.label) });
  const error = new IntentError("FIELD_INVALID", "One or more intent fields are missing or invalid.", {
    fix: "Correct the listed fields in the Thread form and send the request again.",
  });
  return errorAnswer(error, { errors });
}
