/**
 * The console's actions: retry a failed or partial run, cancel a scheduled one, approve or deny,
 * start an undo. Each names the signed-in technician; each is recorded with what came of it.
 */
import { ensureIntentError, IntentError } from "../../../core/errors";
import type { ActionRecord } from "../../../lifecycle/runs/audit";
import { retryRun } from "../../../lifecycle/runs/retry";
import { isRunId } from "../../../lifecycle/store/run-key";
import type { EventSink } from "../../../runtime/types";
import { readLimitedBody } from "../../webhook/body";
import type { ActionOutcome } from "../ports";
import type { Actor, ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "../types";
import { errorAnswer, jsonAnswer } from "./answers";

const ACTION_BODY_BYTES = 16 * 1024;
const ACTION_BODY_TIMEOUT_MS = 5_000;
const COMMENT_CHARS = 1_000;

function runNotFound(): ConsoleAnswer {
  return errorAnswer(new IntentError("RUN_NOT_FOUND", "No run has this id.", { fix: "Pick the run from the list." }));
}

function featureOff(part: string): ConsoleAnswer {
  return errorAnswer(new IntentError("CONSOLE_FEATURE_OFF", `This deployment has no ${part}.`, { fix: `${part[0]!.toUpperCase()}${part.slice(1)} join the console when that part of the engine is deployed.` }));
}

/** A JSON object body, or {} when there is none. */
async function actionBody(request: ConsoleRequest): Promise<Record<string, unknown>> {
  const raw = await readLimitedBody(request.body, request.header("content-length"), ACTION_BODY_BYTES, ACTION_BODY_TIMEOUT_MS);
  if (raw.byteLength === 0) return {};
  try {
    const value = JSON.parse(raw.toString("utf8")) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new IntentError("WEBHOOK_BAD_JSON", "The action's body is not a JSON object.", { fix: "Send {} or {\"comment\": \"…\"}." });
}

function comment(body: Record<string, unknown>): string | undefined {
  if (body.comment === undefined || body.comment === null || body.comment === "") return undefined;
  if (typeof body.comment !== "string" || body.comment.length > COMMENT_CHARS) {
    throw new IntentError("CONSOLE_QUERY_INVALID", `The comment must be text of at most ${COMMENT_CHARS} characters.`, { details: [{ parameter: "comment", message: "too long or not text" }] });
  }
  return body.comment;
}

export async function retryAnswer(deps: ConsoleDeps, runId: string, actor: Actor, events: EventSink): Promise<ConsoleAnswer> {
  if (!isRunId(runId)) return runNotFound();
  const outcome = await retryRun(deps.retry, runId, actor, events);
  if (outcome.kind === "not-found") return runNotFound();
  if (outcome.kind === "refused") return errorAnswer(outcome.error);
  return jsonAnswer(202, { runId, status: outcome.record.status, message: "The retry is queued: the failed steps run again in a moment; completed ones are kept." });
}

async function recorded(deps: ConsoleDeps, runId: string, action: ActionRecord["action"], actor: Actor, note: string | undefined, work: () => Promise<ActionOutcome>): Promise<ConsoleAnswer> {
  const entry = (outcome: string): ActionRecord => ({
    runId, action, actorId: actor.id, actorName: actor.name, via: actor.via, at: new Date(deps.clock.now()).toISOString(), outcome, ...(note ? { comment: note } : {}),
  });
  let outcome: ActionOutcome;
  try {
    outcome = await work();
  } catch (thrown) {
    await deps.audit.record(entry(`failed: ${ensureIntentError(thrown).code}`));
    throw thrown;
  }
  await deps.audit.record(entry(outcome.ok ? outcome.status : `refused: ${outcome.error.code}`));
  if (!outcome.ok) return errorAnswer(outcome.error, 409);
  const made = (outcome as { undoRunId?: unknown }).undoRunId;
  return jsonAnswer(200, { runId, status: outcome.status, message: outcome.message, ...(typeof made === "string" && isRunId(made) ? { undoRunId: made } : {}) });
}

export async function cancelAnswer(deps: ConsoleDeps, runId: string, actor: Actor): Promise<ConsoleAnswer> {
  const schedules = deps.ports.schedules;
  if (!schedules) return featureOff("scheduling");
  if (!isRunId(runId)) return runNotFound();
  return recorded(deps, runId, "cancel", actor, undefined, () => schedules.cancel(runId, actor));
}

export async function undoAnswer(deps: ConsoleDeps, runId: string, actor: Actor): Promise<ConsoleAnswer> {
  const undo = deps.ports.undo;
  if (!undo) return featureOff("undo");
  if (!isRunId(runId)) return runNotFound();
  return recorded(deps, runId, "undo", actor, undefined, () => undo.start(runId, actor));
}

export async function decisionAnswer(deps: ConsoleDeps, request: ConsoleRequest, approvalId: string, actor: Actor): Promise<ConsoleAnswer> {
  const approvals = deps.ports.approvals;
  if (!approvals) return featureOff("approvals");
  try {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(approvalId)) {
      throw new IntentError("CONSOLE_QUERY_INVALID", "That is not an approval id.", { fix: "Pick the approval from the inbox.", details: [{ parameter: "approvalId", message: "letters, digits, - and _ only" }] });
    }
    const body = await actionBody(request);
    const decision = body.decision;
    if (decision !== "approve" && decision !== "deny") {
      throw new IntentError("CONSOLE_QUERY_INVALID", "The decision must be approve or deny.", { details: [{ parameter: "decision", message: "approve or deny" }] });
    }
    const note = comment(body);
    // The decision goes on its run's trail: the run the approval belongs to, never one the body names.
    const runId = (await approvals.pending()).find((item) => item.approvalId === approvalId)?.runId;
    return await recorded(deps, runId ?? `approval-${approvalId}`, decision, actor, note, () => approvals.decide(approvalId, decision, actor, note));
  } catch (thrown) {
    return errorAnswer(thrown);
  }
}
