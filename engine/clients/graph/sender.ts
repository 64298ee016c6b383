import type { Dispatcher } from "undici";
import { IntentError } from "../../core/errors";
import type { Clock } from "../../core/clock";
import type { EventSink } from "../../core/events";
import { exchange, outcomeOf, type ExchangeResult } from "../http/exchange";
import type { Gate } from "../http/gate";
import { retryLoop } from "../http/retry-loop";
import { resolveRetryPolicy, type AttemptOutcome, type RetryPolicy } from "../http/retry-policy";
import { GRAPH_SERVICE, type ServiceNames } from "../http/service";
import type { TokenProvider } from "./auth";
import { abortedError, deferredError, label, timeoutError, unreachableError, type RequestLabel } from "./errors";
import { toGraphResponse } from "./response";
import type { GraphRequestOptions, GraphResponse, HttpMethod } from "./types";

/** A request resolved to a place on the Graph origin. */
export interface SendTarget {
  method: HttpMethod;
  /** Path and encoded query on the Graph origin, base path (e.g. `/v1.0`) included. */
  pathAndQuery: string;
  /** For messages and events: method and the path relative to the base, no query values. */
  label: RequestLabel;
  headers?: Record<string, string>;
  body?: unknown;
  idempotent: boolean;
}

export interface SenderSettings {
  dispatcher: Dispatcher;
  tokens: TokenProvider;
  clock: Clock;
  policy: RetryPolicy;
  timeoutMs: number;
  events: EventSink;
  random?: () => number;
  /** Whom the messages and events name; Microsoft Graph unless said otherwise. */
  service?: ServiceNames;
  /** The process-wide limit on requests in flight (GRAPH_CONCURRENCY); none = the dispatcher's own. */
  gate?: Gate;
}

export type Sender = (target: SendTarget, options?: GraphRequestOptions) => Promise<GraphResponse>;

/** An attempt whose answer says nothing of what Graph did: it may have carried the request out. */
function answerLost(value: ExchangeResult): boolean {
  if (value.kind === "timeout") return true;
  if (value.kind === "network") return !value.neverSent;
  return value.status === 500 || value.status === 502 || value.status === 504;
}

/**
 * The one path every Graph (and Exchange admin API) call takes: a connection slot, token, headers,
 * the retry loop, the timeout, the event. Any HTTP answer is returned; a failure to get one throws
 * an IntentError.
 */
export function createSender(settings: SenderSettings): Sender {
  const service = settings.service ?? GRAPH_SERVICE;
  return async (target, options = {}) => {
    const startedAt = settings.clock.now();
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    const body = target.body === undefined ? undefined : JSON.stringify(target.body);
    const fixedHeaders = requestHeaders(target, body !== undefined);
    let tokenResent = false;
    let lostSoFar = false;
    let lostBeforeLast = false;
    const sendOnce = async (): Promise<{ token: string; value: ExchangeResult }> => {
      const token = await settings.tokens.getToken();
      const headers = { ...fixedHeaders, authorization: `Bearer ${token}` };
      const request = { method: target.method, pathAndQuery: target.pathAndQuery, headers, ...(body === undefined ? {} : { body }) };
      return { token, value: await exchange(settings.dispatcher, request, timeoutMs, options.signal) };
    };
    const attempt = async (attemptNumber: number): Promise<{ outcome: AttemptOutcome; value: ExchangeResult }> => {
      // Only the first attempt may give up waiting for a slot: nothing has been sent before it.
      const waitMs = attemptNumber === 1 && options.startBy !== undefined ? options.startBy - settings.clock.now() : undefined;
      const release = settings.gate ? await settings.gate.acquire(waitMs) : () => undefined;
      if (!release) throw deferredError(target.label, service);
      try {
        const first = await sendOnce();
        let value = first.value;
        // A 401 means the cached token was revoked or expired early; Graph did nothing, so one
        // resend with a fresh token is safe for any method.
        if (value.kind === "response" && value.status === 401 && !tokenResent && settings.tokens.invalidate !== undefined) {
          tokenResent = true;
          settings.tokens.invalidate(first.token);
          value = (await sendOnce()).value;
        }
        lostBeforeLast = lostSoFar;
        if (answerLost(value)) lostSoFar = true;
        return { outcome: outcomeOf(value), value };
      } finally {
        release();
      }
    };
    const report = (fields: Record<string, unknown>): void =>
      settings.events("graph.request", { method: target.method, path: target.label.path, ...fields, durationMs: settings.clock.now() - startedAt });
    try {
      const { value, attempts: loopAttempts } = await retryLoop(attempt, {
        policy: resolveRetryPolicy(settings.policy, options.retry),
        idempotent: target.idempotent,
        clock: settings.clock,
        ...(settings.random === undefined ? {} : { random: settings.random }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onRetry: ({ attempt: attemptNumber, outcome, delayMs }) =>
          settings.events("graph.retry", { method: target.method, path: target.label.path, attempt: attemptNumber, ...retryReason(outcome), delayMs }),
      });
      const attempts = loopAttempts + (tokenResent ? 1 : 0);
      if (value.kind === "timeout") throw timeoutError(target.label, timeoutMs, attempts, service);
      if (value.kind === "network") throw unreachableError(target.label, value.code, attempts, service, value.neverSent && !lostBeforeLast);
      report({ status: value.status, attempts });
      const response = toGraphResponse(value.status, value.headers, value.text, attempts);
      if (lostBeforeLast) response.afterLostAnswer = true;
      return response;
    } catch (thrown) {
      const error = thrown instanceof IntentError ? thrown : options.signal?.aborted ? abortedError(target.label, service) : thrown;
      if (error instanceof IntentError) report({ error: error.code });
      throw error;
    }
  };
}

function requestHeaders(target: SendTarget, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (hasBody) headers["content-type"] = "application/json";
  for (const [name, value] of Object.entries(target.headers ?? {})) {
    // A header value with CR/LF could smuggle a second header or request; refuse it outright.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new IntentError("STEP_INPUT_INVALID", `${label(target.label)}: header '${name.replace(/[\r\n]/g, "")}' contains a line break`);
    }
    if (name.toLowerCase() !== "authorization") headers[name.toLowerCase()] = value;
  }
  return headers;
}

function retryReason(outcome: AttemptOutcome): Record<string, unknown> {
  if (outcome.kind === "response") return { status: outcome.status };
  return { error: outcome.kind };
}
