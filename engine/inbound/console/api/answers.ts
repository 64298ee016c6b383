/** The console API's JSON answers: never cached, never sniffed, errors with a stable code and a fix. */
import { ensureIntentError, type IntentError } from "../../../core/errors";
import type { ConsoleAnswer } from "../types";

export const API_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-type": "application/json; charset=utf-8",
};

export function jsonAnswer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): ConsoleAnswer {
  return { status, headers: { ...API_HEADERS, ...headers }, json: body };
}

const STATUS_OF: Partial<Record<IntentError["code"], number>> = {
  CONSOLE_QUERY_INVALID: 400,
  WEBHOOK_BAD_JSON: 400,
  WEBHOOK_TOO_LARGE: 413,
  WEBHOOK_BODY_TIMEOUT: 408,
  RUN_NOT_FOUND: 404,
  RUN_NOT_RETRYABLE: 409,
  CONSOLE_FEATURE_OFF: 501,
  STORE_ERROR: 503,
};

/** An error as the console shows it: internals never leave the server. */
export function errorAnswer(thrown: unknown, status?: number): ConsoleAnswer {
  const error = ensureIntentError(thrown);
  const detail = error.code === "INTERNAL" ? { code: error.code, message: "An unexpected error occurred." } : error.toJSON();
  return jsonAnswer(status ?? STATUS_OF[error.code] ?? 500, { message: detail.message, error: detail });
}
