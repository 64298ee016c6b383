/**
 * `GET /api/runs/{runId}/undo` (the compensating plan, against the tenant as it is now) and
 * `POST /api/runs/{runId}/undo` (the plan, then the undo as a new run linked to the run), behind
 * the same shared secret as the webhook. The POST body is optional: `meta_data` names who asks
 * (`contact_email`, `contact_name`: requester policy judges them) and the ticket the undo's notes
 * go to (`ticket_id`, default the run's).
 */
import { ensureIntentError, IntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import type { PipelineDeps } from "../../lifecycle/types";
import { computeUndoPlan } from "../../lifecycle/undo/plan";
import { startUndo, type UndoRequester } from "../../lifecycle/undo/start";
import type { UndoPlan } from "../../lifecycle/undo/types";
import { continuingAnswer, errorAnswer, recordAnswer, runAnswer } from "./answers";
import { readLimitedBody } from "./body";
import { refusedForRun, runNotFound } from "./run-endpoint";
import type { HttpAnswer, IncomingRequest } from "./types";

const UNDO_BODY_BYTES = 16 * 1024;

function planMessage(plan: UndoPlan): string {
  if (plan.nothingToUndo) return "Nothing is left to undo: everything this request changed is as it was before, or was changed since by someone else.";
  return `${plan.changes.reduce((n, change) => n + change.requests.length, 0)} change(s) would be undone.`;
}

function text(value: unknown, limit: number): string | undefined {
  return typeof value === "string" && value.trim() !== "" && value.length <= limit ? value.trim() : undefined;
}

/** Who asks, from the optional body; a body that is not JSON, or names things wrongly, is refused. */
async function requesterFrom(request: IncomingRequest): Promise<UndoRequester> {
  const raw = await readLimitedBody(request.body, request.header("content-length"), UNDO_BODY_BYTES);
  if (raw.byteLength === 0) return { email: "", name: "" };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new IntentError("WEBHOOK_BAD_JSON", "The request body is not valid JSON.", { fix: "Send no body, or a JSON object with meta_data." });
  }
  const meta = (body as { meta_data?: unknown } | null)?.meta_data ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body) || typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    throw new IntentError("WEBHOOK_INVALID", "The request body does not have the expected shape.", {
      fix: "Send { \"meta_data\": { \"contact_email\", \"contact_name\", \"ticket_id\" } }, each optional.",
      details: [{ field: "meta_data", message: "meta_data must be an object." }],
    });
  }
  const { contact_email: email, contact_name: name, ticket_id: ticket } = meta as Record<string, unknown>;
  const ticketId = typeof ticket === "number" && Number.isSafeInteger(ticket) && ticket >= 0 ? String(ticket) : typeof ticket === "string" && /^\d{1,18}$/.test(ticket.trim()) ? BigInt(ticket.trim()).toString() : undefined;
  if (ticket !== undefined && ticketId === undefined) {
    throw new IntentError("WEBHOOK_INVALID", "The request body does not have the expected shape.", {
      fix: "ticket_id is a whole number, or a string of 1 to 18 digits.", details: [{ field: "meta_data.ticket_id", message: "ticket_id must be a whole number." }],
    });
  }
  return { email: text(email, 320)?.toLowerCase() ?? "", name: text(name, 200) ?? "", ...(ticketId ? { ticketId } : {}) };
}

async function guarded(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink, work: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  const refused = await refusedForRun(deps, request, runId, events);
  if (refused) return refused;
  try {
    return await work();
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    events("undo.refused", { runId, code: error.code });
    return errorAnswer(error, error.code === "WEBHOOK_INVALID" ? { errors: error.details } : {});
  }
}

export function handleUndoPlan(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer> {
  return guarded(deps, request, runId, events, async () => {
    const plan = await computeUndoPlan(deps, runId, events);
    return { status: 200, body: { runId, message: planMessage(plan), plan } };
  });
}

export function handleUndoStart(deps: PipelineDeps, request: IncomingRequest, runId: string, events: EventSink): Promise<HttpAnswer> {
  return guarded(deps, request, runId, events, async () => {
    const requester = await requesterFrom(request);
    const started = await startUndo(deps, runId, requester, events);
    if (started.kind === "nothing-to-undo") {
      return { status: 200, body: { runId, status: "nothing_to_undo", message: planMessage(started.plan), plan: started.plan } };
    }
    if (started.kind === "existing") return recordAnswer(started.record, { duplicate: true, undoOf: runId, plan: started.plan });
    const answer = started.kind === "continuing" ? continuingAnswer(started.runId, started.attempts) : runAnswer(started.runId, started.result, started.attempts);
    return { ...answer, body: { ...answer.body, undoOf: runId, plan: started.plan } };
  });
}
