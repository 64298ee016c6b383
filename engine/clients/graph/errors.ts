import { IntentError } from "../../core/errors";
import { GRAPH_SERVICE, type ServiceNames } from "../http/service";
import { graphErrorOf } from "./response";
import type { GraphResponse } from "./types";

/** What identifies a request in a message: its method and its path without query values. */
export interface RequestLabel {
  method: string;
  path: string;
}

const FIXES: Record<number, string> = {
  400: "Check the values the intent sends against the Graph error message.",
  401: "Check the app registration's credentials (tenant, client id, secret or certificate) for this deployment.",
  403: "Grant the app the Graph application permission or Entra role the intent lists (`intents permissions`) and admin-consent it.",
  404: "Check that the user, group or object named in the request exists in the tenant.",
  429: "Microsoft Graph is throttling this tenant; try again in a few minutes.",
  503: "Microsoft Graph is temporarily unavailable; try again in a few minutes.",
  504: "Microsoft Graph timed out; check whether the change happened before trying again.",
};

/**
 * Turns an error answer into an IntentError an engineer can act on, e.g.
 * `[PATCH] /users/adele%40contoso.com: 403 Authorization_RequestDenied Insufficient privileges… (request-id …)`.
 * Throttling that outlasted every retry gets its own code so a caller can schedule a later try.
 */
export function graphResponseError(request: RequestLabel, response: GraphResponse): IntentError {
  const graph = graphErrorOf(response.body);
  const requestId = response.requestId ?? graph.requestId;
  const text = [`${response.status}`, graph.code, graph.message].filter((part) => part !== undefined && part !== "").join(" ");
  const suffix = requestId === undefined ? "" : ` (request-id ${requestId})`;
  const throttled = response.status === 429;
  const fix = FIXES[response.status] ?? (response.status >= 500 ? FIXES[503] : undefined);
  return new IntentError(throttled ? "GRAPH_THROTTLED" : "GRAPH_ERROR", `${label(request)}: ${text}${suffix}`, {
    ...(fix === undefined ? {} : { fix }),
    details: { status: response.status, graphCode: graph.code, requestId, attempts: response.attempts },
    retryable: throttled || response.status === 503 || response.status === 504,
  });
}

export function timeoutError(request: RequestLabel, timeoutMs: number, attempts: number, service: ServiceNames = GRAPH_SERVICE): IntentError {
  return new IntentError("STEP_TIMEOUT", `${label(request)}: timed out after ${timeoutMs} ms${attemptsNote(attempts)}`, {
    fix: `${service.name} answered too slowly; raise the step's timeout or try again later.`,
    details: { timeoutMs, attempts },
    retryable: true,
    outcomeUnknown: true,
  });
}

/** `neverSent`: the connection was never made, so the service cannot have carried the request out. */
export function unreachableError(request: RequestLabel, code: string, attempts: number, service: ServiceNames = GRAPH_SERVICE, neverSent = false): IntentError {
  return new IntentError(service.unreachable, `${label(request)}: ${service.name} could not be reached (${code})${attemptsNote(attempts)}`, {
    fix: `Check the network path to the ${service.name} endpoint (${service.endpointSetting}) and try again.`,
    details: { networkCode: code, attempts },
    retryable: true,
    outcomeUnknown: !neverSent,
  });
}

export function abortedError(request: RequestLabel, service: ServiceNames = GRAPH_SERVICE): IntentError {
  return new IntentError("STEP_TIMEOUT", `${label(request)}: cancelled before ${service.name} answered`, { retryable: true, outcomeUnknown: true });
}

/** Every connection stayed busy past the caller's start-by time: nothing was sent. */
export function deferredError(request: RequestLabel, service: ServiceNames = GRAPH_SERVICE): IntentError {
  return new IntentError("BUDGET_DEFERRED", `${label(request)}: not sent, as no connection to ${service.name} came free within the run's budget`, {
    retryable: true,
    fix: "Nothing to do: the run continues from the queue. If this happens often, raise GRAPH_CONCURRENCY.",
  });
}

/** `[METHOD] /path`, the prefix of every client message. */
export function label(request: RequestLabel): string {
  return `[${request.method}] ${request.path}`;
}

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}
