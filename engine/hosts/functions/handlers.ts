/**
 * The Function App's handlers as plain functions over a deps provider. Registration with the
 * Functions host (app.http / app.storageQueue) lives in ./index.ts; the local server calls these.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { handleContinuation } from "../../lifecycle/continue/continuation";
import { handleIntent } from "../../inbound/webhook/intake";
import { handleCancelSchedule } from "../../inbound/webhook/cancel-schedule";
import { handleUndoPlan, handleUndoStart } from "../../inbound/webhook/undo";
import { answerSafely, eventsFor, inInvocation, incoming, type DepsProvider } from "./adapt";

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function intentHandler(deps: DepsProvider): HttpHandler {
  return (request, context) => answerSafely(context, async () => handleIntent(await deps(), incoming(request), eventsFor(context)));
}

export function cancelScheduleHandler(deps: DepsProvider): HttpHandler {
  return (request, context) =>
    answerSafely(context, async () => handleCancelSchedule(await deps(), incoming(request), request.params.runId ?? "", eventsFor(context)));
}

export function undoPlanHandler(deps: DepsProvider): HttpHandler {
  return (request, context) => answerSafely(context, async () => handleUndoPlan(await deps(), incoming(request), request.params.runId ?? "", eventsFor(context)));
}

export function undoStartHandler(deps: DepsProvider): HttpHandler {
  return (request, context) => answerSafely(context, async () => handleUndoStart(await deps(), incoming(request), request.params.runId ?? "", eventsFor(context)));
}

/** Liveness only: it answers without touching storage or Graph, so it cannot leak or hang. */
export function healthHandler(): HttpHandler {
  return async () => ({ status: 200, jsonBody: { status: "ok", message: "The service is running." } });
}

export function continuationHandler(deps: DepsProvider) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    await inInvocation(context, async () => handleContinuation(await deps(), message, dequeueCount, eventsFor(context)));
  };
}
