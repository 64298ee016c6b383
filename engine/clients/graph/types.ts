/**
 * The contract between Graph step kinds and the Graph client. Step kinds render requests; the
 * client owns transport, tokens, retry, batching and pagination.
 */
import type { RetryPolicy } from "../../core/retry";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface GraphRequest {
  method: HttpMethod;
  /**
   * Path relative to the Graph base URL (which already holds the version, e.g. `/v1.0`), starting
   * with `/`, every segment already percent-encoded by whoever rendered it.
   */
  path: string;
  /** Raw query values; the client encodes them. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A JSON value; the client serialises it. */
  body?: unknown;
  /**
   * True when sending the request twice has the same effect as sending it once. GET, PUT, PATCH
   * and DELETE are idempotent by default; a POST only when the caller says so. A write that is not
   * idempotent is retried only when the answer proves nothing happened (429, 503).
   */
  idempotent?: boolean;
}

/** One request of a `/$batch`. */
export interface BatchRequest extends GraphRequest {
  /**
   * Indices of earlier requests of the same call (and the same 20) this one waits for: Graph runs
   * it only once they succeeded and answers 424 Failed Dependency otherwise. Graph takes a batch
   * whose requests are all independent or form one chain.
   */
  dependsOn?: readonly number[];
}

export interface GraphResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, or null when empty. */
  body: unknown;
  /** How many times the request was sent (1 = no retry). */
  attempts: number;
  requestId?: string;
  /**
   * True when an earlier attempt of this request lost its answer (a 500/502/504, a timeout, a
   * dropped connection), so this answer may describe what that attempt did ("already gone").
   */
  afterLostAnswer?: boolean;
}

export type { RetryPolicy };

/** Hands out a bearer token for Graph; the client asks per request, the provider caches. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** Forgets `token` when Graph rejected it (401), so the next getToken fetches a fresh one. */
  invalidate?(token: string): void;
}

export interface GraphRequestOptions {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /**
   * Epoch ms (the client's clock) by which the first attempt must have started. When every
   * connection is busy until then, nothing is sent and the call throws BUDGET_DEFERRED.
   */
  startBy?: number;
}

export interface GraphClient {
  /**
   * Sends one request. Any HTTP answer, error statuses included, is returned as a response so
   * intents can map it to an outcome; only a failure to get an answer (unreachable, token, timeout)
   * throws an IntentError.
   */
  request(request: GraphRequest, options?: GraphRequestOptions): Promise<GraphResponse>;
  /**
   * Sends many requests through `/$batch` (at most 20 per round trip), resubmitting throttled
   * items after their Retry-After. Answers come back in the order of `requests`.
   */
  batch(requests: BatchRequest[], options?: GraphRequestOptions): Promise<GraphResponse[]>;
  /** GETs a collection and follows `@odata.nextLink` to the end; returns every item of `value`. */
  getAll(request: GraphRequest, options?: GraphRequestOptions): Promise<{ items: unknown[]; attempts: number; pages: number }>;
}
