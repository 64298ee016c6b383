/**
 * One Graph call through the sandbox: metadata check, route, permission, handler; then ids and
 * innerError on the answer. Wire requests and `$batch` items both come through here.
 */
import { randomUUID } from "node:crypto";
import { checkAgainstMetadata } from "./metadata-check";
import { completeInnerError, forbidden, graphError, innerErrorDate } from "./errors";
import { resourceUnits } from "./resource-units";
import { createRouter, pathSegments } from "./router";
import { GRAPH_ROUTES } from "../routes";
import { withChangeNotifications } from "../subscriptions/changes";
import type { GraphCall, GraphEnv, GraphResult, RouteContext } from "./types";

const router = createRouter(GRAPH_ROUTES);

function allowed(env: GraphEnv, required: readonly string[]): boolean {
  const held = env.tenant.permissions;
  if (held === undefined) return true;
  const lower = new Set(held.map((p) => p.toLowerCase()));
  return required.some((p) => lower.has(p.toLowerCase()));
}

/** Answers a call that has already passed authentication and fault rules. */
export async function runGraphCall(call: GraphCall, env: GraphEnv): Promise<GraphResult> {
  const invalid = checkAgainstMetadata(call);
  if (invalid) return invalid;
  const { found, methodMismatch } = router.match(call.method, pathSegments(call.path));
  if (!found) {
    return methodMismatch
      ? graphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request uri.")
      : graphError(501, "NotImplemented", `The sandbox tenant does not implement ${call.method} ${call.path}.`);
  }
  const ctx: RouteContext = { ...call, env, params: found.params };
  const permissions = typeof found.route.permissions === "function" ? found.route.permissions(ctx) : found.route.permissions;
  if (!allowed(env, permissions)) return forbidden();
  try {
    return await withChangeNotifications(env, call.method, async () => found.route.handler(ctx));
  } catch {
    // A sandbox bug must still answer like Graph, never with a stack trace.
    return graphError(500, "generalException", "An unexpected error occurred in the sandbox tenant.");
  }
}

/** Stamps request ids on an answer and fills an error's innerError; returns the response headers. */
export function finishGraphResult(result: GraphResult, call: GraphCall, env: GraphEnv): Record<string, string> {
  const requestId = randomUUID();
  const clientRequestId = call.headers["client-request-id"] ?? requestId;
  completeInnerError(result, innerErrorDate(env.now()), requestId, clientRequestId);
  const headers: Record<string, string> = {
    ...(result.headers ?? {}), "request-id": requestId, "client-request-id": clientRequestId, "x-ms-resource-unit": String(resourceUnits(call)),
  };
  if (result.body !== undefined) headers["content-type"] = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
  return headers;
}
