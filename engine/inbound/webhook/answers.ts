/**
 * Every HTTP answer the pipeline gives: JSON with one sentence for the end user (`message`) beside
 * what an engineer needs. Nothing here echoes a payload value, a header or a stack.
 */
import type { IntentError } from "../../core/errors";
import type { RunResult } from "../../runtime/types";
import type { RecordedResult, RunRecord } from "../../lifecycle/store/types";
import type { HttpAnswer } from "./types";

const END_USER_MESSAGES: Partial<Record<IntentError["code"], { status: number; message: string }>> = {
  WEBHOOK_UNAUTHORIZED: { status: 401, message: "This request could not be authenticated." },
  WEBHOOK_TOO_LARGE: { status: 413, message: "This request is too large to process." },
  WEBHOOK_BODY_TIMEOUT: { status: 408, message: "This request took too long to arrive; please send it again." },
  REQUEST_URL_INVALID: { status: 400, message: "This address is not valid." },
  WEBHOOK_BAD_JSON: { status: 400, message: "This request could not be read." },
  WEBHOOK_INVALID: { status: 400, message: "This request is missing required information." },
  INTENT_UNKNOWN: { status: 422, message: "This kind of request is not supported yet." },
  FIELD_INVALID: { status: 422, message: "Some details of this request are missing or invalid; please check them and try again." },
  RUN_NOT_FOUND: { status: 404, message: "No request with this reference was found." },
  RUN_NOT_SCHEDULED: { status: 409, message: "This request is not waiting for a scheduled time, so there is nothing to cancel." },
  STORE_ERROR: { status: 503, message: "The service is busy right now; please try again in a few minutes." },
  CONFIG_MISSING: { status: 503, message: "The service is not available right now; the helpdesk has been told." },
  UNDO_NOT_DECLARED: { status: 422, message: "This request cannot be undone automatically; the helpdesk can reverse it by hand." },
  UNDO_RUN_IN_PROGRESS: { status: 409, message: "This request is still in progress; it can be undone once it has finished." },
  UNDO_NO_SNAPSHOT: { status: 410, message: "This request cannot be undone automatically; the helpdesk can reverse it by hand." },
  UNDO_SNAPSHOT_EXPIRED: { status: 410, message: "This request is too old to be undone automatically; the helpdesk can reverse it by hand." },
  UNDO_PLAN_FAILED: { status: 503, message: "The service is busy right now; please try again in a few minutes." },
};

const UNEXPECTED = { status: 500, message: "Something went wrong on our side; the helpdesk has been told." };

/** An answer for a request that never became a run (or whose run could not be read). */
export function errorAnswer(error: IntentError, extra: Record<string, unknown> = {}): HttpAnswer {
  const known = END_USER_MESSAGES[error.code] ?? UNEXPECTED;
  // An unexpected error's own message may describe internals, and a configuration error's names a
  // setting to a caller nobody has authenticated yet: the caller only learns the code.
  const detail = error.code === "INTERNAL" ? { code: error.code, message: "An unexpected error occurred." }
    : error.code === "CONFIG_MISSING" ? { code: error.code, message: "The service is not fully configured." }
    : error.toJSON();
  return { status: known.status, body: { message: known.message, error: detail, ...extra } };
}

function statusCodeOf(status: RunResult["status"]): number {
  if (status === "denied") return 403;
  return status === "running" || status === "scheduled" || status === "awaiting_approval" ? 202 : 200;
}

function resultFields(result: RecordedResult | RunResult) {
  return {
    status: result.status,
    message: result.message,
    steps: result.steps,
    ...(result.error ? { error: result.error } : {}),
    ...(result.schedule ? { schedule: result.schedule } : {}),
    ...(result.policy ? { policy: result.policy } : {}),
    ...(result.approval ? { approval: result.approval } : {}),
    ...(result.undo ? { undo: result.undo } : {}),
  };
}

/** The answer of a run executed by this request; outputs (a credential the intent returns once) included. */
export function runAnswer(runId: string, result: RunResult, attempts: number): HttpAnswer {
  return {
    status: statusCodeOf(result.status),
    body: { runId, attempts, ...resultFields(result), ...(result.outputs ? { outputs: result.outputs } : {}) },
  };
}

const IN_PROGRESS_MESSAGE = "Your request is being processed; you will be updated when it is done.";

/** A run this request started but stopped before recording an end (its lease passed on, or storage failed): it goes on elsewhere. */
export function continuingAnswer(runId: string, attempts: number): HttpAnswer {
  return { status: 202, body: { runId, attempts, status: "running", message: IN_PROGRESS_MESSAGE, steps: [] } };
}

/** The answer from a stored record: duplicates and `GET /api/runs/{runId}`. */
export function recordAnswer(record: RunRecord, extra: Record<string, unknown> = {}): HttpAnswer {
  const fields = record.result
    ? { ...resultFields(record.result), status: record.status }
    : { status: record.status, message: IN_PROGRESS_MESSAGE, steps: [] };
  if (record.status === "running") fields.message = IN_PROGRESS_MESSAGE;
  return {
    status: statusCodeOf(record.status),
    body: {
      runId: record.runId,
      attempts: record.attempts,
      ...fields,
      intentName: record.intentName,
      ticketId: record.ticketId,
      createdAt: record.createdAt,
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
      ...extra,
    },
  };
}
