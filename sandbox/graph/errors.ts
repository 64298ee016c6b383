/**
 * Graph's error envelope. Routes say status, code and message; the pipeline fills innerError
 * (date, request-id, client-request-id) once it knows the ids, so every error carries them.
 */
import type { GraphResult } from "./types";

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    details?: { code: string; message?: string; target?: string }[];
    innerError?: Record<string, string>;
  };
}

export interface GraphErrorExtras {
  details?: { code: string; message?: string; target?: string }[];
  /** innerError fields beyond date and ids (the 429 sample has code, status, message). */
  innerError?: Record<string, string>;
  headers?: Record<string, string>;
}

export function graphError(status: number, code: string, message: string, extras: GraphErrorExtras = {}): GraphResult {
  const error: GraphErrorBody["error"] = { code, message };
  if (extras.details) error.details = extras.details;
  if (extras.innerError) error.innerError = { ...extras.innerError };
  return { status, body: { error }, ...(extras.headers ? { headers: extras.headers } : {}) };
}

export function notFound(id: string): GraphResult {
  return graphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export function badRequest(message: string, extras?: GraphErrorExtras): GraphResult {
  return graphError(400, "Request_BadRequest", message, extras);
}

export function forbidden(): GraphResult {
  return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

/** "2024-05-02T10:17:05": ISO, second precision, no zone letter, as Graph writes innerError.date. */
export function innerErrorDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

/** Adds date and ids to an error body in place (no-op for bodies that are not Graph errors). */
export function completeInnerError(result: GraphResult, date: string, requestId: string, clientRequestId: string): void {
  const body = result.body as Partial<GraphErrorBody> | undefined;
  if (!body || typeof body !== "object" || !body.error || typeof body.error !== "object") return;
  body.error.innerError = { ...(body.error.innerError ?? {}), date, "request-id": requestId, "client-request-id": clientRequestId };
}
