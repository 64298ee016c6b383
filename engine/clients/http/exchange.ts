import type { Dispatcher } from "undici";
import type { AttemptOutcome } from "./retry-policy";
import { networkErrorCode, requestNeverSent } from "./network-errors";

export interface HttpExchange {
  method: string;
  /** Path and encoded query on the dispatcher's origin. */
  pathAndQuery: string;
  headers: Record<string, string>;
  body?: string;
}

export type ExchangeResult =
  | { kind: "response"; status: number; headers: Record<string, string>; text: string }
  | { kind: "network"; code: string; neverSent: boolean }
  | { kind: "timeout" };

/**
 * One HTTP round trip with a deadline covering headers and body. Transport failures come back as
 * results so the retry loop can weigh them; only the caller's own abort is thrown.
 */
export async function exchange(
  dispatcher: Dispatcher,
  request: HttpExchange,
  timeoutMs: number,
  callerSignal?: AbortSignal,
): Promise<ExchangeResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = callerSignal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, callerSignal]);
  try {
    const answer = await dispatcher.request({
      method: request.method as Dispatcher.HttpMethod,
      path: request.pathAndQuery,
      headers: request.headers,
      body: request.body ?? null,
      signal,
    });
    const text = await answer.body.text();
    return { kind: "response", status: answer.statusCode, headers: lowerCaseHeaders(answer.headers), text };
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason ?? error;
    if (deadline.signal.aborted) return { kind: "timeout" };
    return { kind: "network", code: networkErrorCode(error), neverSent: requestNeverSent(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function outcomeOf(result: ExchangeResult): AttemptOutcome {
  if (result.kind !== "response") return result;
  const retryAfter = result.headers["retry-after"];
  return retryAfter === undefined ? { kind: "response", status: result.status } : { kind: "response", status: result.status, retryAfter };
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) lowered[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return lowered;
}
