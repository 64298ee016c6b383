/**
 * The approval page and its form over @azure/functions types, and the approvals timer, as plain
 * factories: the Function App registers them (./routes.ts, ./approvals.ts), `npm start` serves them.
 * These answers are HTML: a failure to compose is a page too, never JSON or a stack.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../../core/errors";
import { handleApprovalDecision, handleApprovalPage, type ApprovalRequest } from "../../inbound/approvals/handler";
import { messagePage, type PageAnswer } from "../../inbound/approvals/page";
import { sweepApprovals, type SweepReport } from "../../lifecycle/approval/sweep";
import type { PipelineDeps } from "../../lifecycle/types";
import type { EventSink } from "../../runtime/types";
import { eventsFor, inInvocation, type DepsProvider } from "./adapt";
import type { HttpHandler } from "./handlers";

/** Every five minutes: overdue approvals expire, lost continuations of approved runs are queued again. */
export const APPROVAL_SWEEP_SCHEDULE = "0 */5 * * * *";

function toResponse(answer: PageAnswer): HttpResponseInit {
  return { status: answer.status, headers: answer.headers, body: answer.html };
}

function approvalRequest(request: HttpRequest, token: string): ApprovalRequest {
  return {
    approvalId: request.params.approvalId ?? "",
    header: (name) => request.headers.get(name),
    token,
    body: request.body as AsyncIterable<Uint8Array> | null,
  };
}

function pageHandler(deps: DepsProvider, handle: (deps: PipelineDeps, request: ApprovalRequest, events: EventSink) => Promise<PageAnswer>, token: (request: HttpRequest) => string): HttpHandler {
  return async (request, context) => {
    const events = eventsFor(context);
    try {
      return toResponse(await inInvocation(context, async () => handle(await deps(), approvalRequest(request, token(request)), events)));
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      events("error", { code: error.code, ...(error.code === "CONFIG_MISSING" ? { message: error.message } : {}) });
      return toResponse(messagePage(503, "The service is not available right now", "Nothing was decided. Please try again in a few minutes."));
    }
  };
}

export function approvalPageHandler(deps: DepsProvider): HttpHandler {
  return pageHandler(deps, handleApprovalPage, (request) => request.query.get("t") ?? "");
}

export function approvalDecisionHandler(deps: DepsProvider): HttpHandler {
  return pageHandler(deps, handleApprovalDecision, () => "");
}

export function approvalSweepHandler(deps: DepsProvider) {
  return async (_timer: unknown, context: InvocationContext): Promise<SweepReport | undefined> => {
    const host = await deps();
    // Approvals off: nothing can be waiting.
    if (!host.approvals) return undefined;
    return inInvocation(context, () => sweepApprovals(host, eventsFor(context)));
  };
}
