import type { GraphResponse } from "./types";

/** Builds the GraphResponse every caller sees from a raw answer (lower-cased headers assumed). */
export function toGraphResponse(status: number, headers: Record<string, string>, text: string, attempts: number): GraphResponse {
  const body = parseBody(text);
  const requestId = headers["request-id"] ?? innerRequestId(body);
  return { status, headers, body, attempts, ...(requestId === undefined ? {} : { requestId }) };
}

/** JSON when it parses, the text itself otherwise, null when there is nothing. */
function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Graph's error envelope: `{ error: { code, message, innerError: { "request-id" } } }`. */
export function graphErrorOf(body: unknown): { code?: string; message?: string; requestId?: string } {
  const error = record(record(body)?.error);
  if (error === undefined) return {};
  const inner = record(error.innerError) ?? record(error.innererror);
  const code = typeof error.code === "string" ? error.code : undefined;
  const message = typeof error.message === "string" ? error.message : undefined;
  const requestId = typeof inner?.["request-id"] === "string" ? inner["request-id"] : undefined;
  return { ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }), ...(requestId === undefined ? {} : { requestId }) };
}

function innerRequestId(body: unknown): string | undefined {
  return graphErrorOf(body).requestId;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
