/** The console's endpoints over @azure/functions types: the Function App registers them, `npm start` serves them. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../../core/errors";
import { errorAnswer } from "../../inbound/console/api/answers";
import { consoleRunDetail, type ConsoleEndpoint } from "../../inbound/console/endpoints";
import type { ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "../../inbound/console/types";
import { handleRunStatus } from "../../inbound/webhook/run-status";
import { SECRET_HEADER } from "../../inbound/webhook/shared-secret";
import { answerSafely, eventsFor, inInvocation, incoming, type DepsProvider } from "./adapt";
import type { HttpHandler } from "./handlers";

export type ConsoleDepsProvider = () => Promise<ConsoleDeps>;

function consoleRequest(request: HttpRequest): ConsoleRequest {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    body: request.body as AsyncIterable<Uint8Array> | null,
  };
}

function toResponse(answer: ConsoleAnswer): HttpResponseInit {
  const headers = answer.headers ?? {};
  if (answer.json !== undefined) return { status: answer.status, headers, body: JSON.stringify(answer.json) };
  return { status: answer.status, headers, ...(answer.text === undefined ? {} : { body: answer.text }) };
}

/** A console endpoint as a Functions handler; a failure to compose (storage, settings) is a JSON 503/500, not a stack. */
export function consoleHandler(endpoint: Pick<ConsoleEndpoint, "handle">, deps: ConsoleDepsProvider): HttpHandler {
  return async (request, context: InvocationContext) => {
    const events = eventsFor(context);
    try {
      return toResponse(await inInvocation(context, async () => endpoint.handle({ deps: await deps(), request: consoleRequest(request), params: request.params, events })));
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      events("error", { code: error.code, ...(error.code === "CONFIG_MISSING" ? { message: error.message } : {}) });
      return toResponse(errorAnswer(error, error.code === "CONFIG_MISSING" || error.code === "STORE_ERROR" ? 503 : 500));
    }
  };
}

/**
 * `GET /api/runs/{runId}`: with X-Intent-Secret it answers as it always has (Thread, scripts); without
 * it, it is the console's run detail for a signed-in technician.
 */
export function runStatusOrDetailHandler(pipeline: DepsProvider, console: ConsoleDepsProvider | undefined): HttpHandler {
  const detail = console ? consoleHandler({ handle: consoleRunDetail }, console) : undefined;
  return (request, context) => {
    if (request.headers.get(SECRET_HEADER) !== null || !detail) {
      return answerSafely(context, async () => handleRunStatus(await pipeline(), incoming(request), request.params.runId ?? "", eventsFor(context)));
    }
    return detail(request, context);
  };
}
