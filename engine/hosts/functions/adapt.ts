/** The thin layer between @azure/functions types and the transport-neutral pipeline. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import { ensureIntentError } from "../../core/errors";
import { errorAnswer } from "../../inbound/webhook/answers";
import { withEvents } from "../../core/current-events";
import { jsonEventSink } from "../../core/events";
import type { PipelineDeps } from "../../lifecycle/types";
import type { HttpAnswer, IncomingRequest } from "../../inbound/webhook/types";
import type { EventSink } from "../../runtime/types";

export type DepsProvider = () => Promise<PipelineDeps>;

export function incoming(request: HttpRequest): IncomingRequest {
  return {
    header: (name) => request.headers.get(name),
    body: request.body as AsyncIterable<Uint8Array> | null,
  };
}

/** Each event through the invocation's logger at its own severity, so severity-based alerts and filters see it. */
export function eventsFor(context: InvocationContext): EventSink {
  return jsonEventSink((line, severity) => {
    if (severity === "error") context.error(line);
    else if (severity === "warning") context.warn(line);
    else if (severity === "debug") context.debug(line);
    else context.info(line);
  }, { invocationId: context.invocationId });
}

export function toResponse(answer: HttpAnswer): HttpResponseInit {
  // A client that stalled mid-body gets its 408 and then the connection is closed under it.
  const headers: Record<string, string> = answer.status === 408 ? { "cache-control": "no-store", connection: "close" } : { "cache-control": "no-store" };
  return { status: answer.status, jsonBody: answer.body, headers };
}

/** Runs an invocation's work with its logger as the sink the process-wide clients write to. */
export function inInvocation<T>(context: InvocationContext, work: () => Promise<T>): Promise<T> {
  return withEvents(eventsFor(context), work);
}

/** Wraps a handler so a failure to compose (settings, storage) is still a JSON answer, not a stack. */
export async function answerSafely(context: InvocationContext, work: () => Promise<HttpAnswer>): Promise<HttpResponseInit> {
  try {
    return toResponse(await inInvocation(context, work));
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    // The log says which setting is missing; the answer, given before anyone is authenticated, does not.
    eventsFor(context)("error", { code: error.code, ...(error.code === "CONFIG_MISSING" ? { message: error.message } : {}) });
    return toResponse(errorAnswer(error));
  }
}
