import { Pool } from "../http/pool";
import { systemClock, type Clock } from "../../core/clock";
import type { EventSink } from "../../core/events";
import { createGate } from "../http/gate";
import { resolveRetryPolicy } from "../http/retry-policy";
import type { TokenProvider } from "./auth";
import { sendBatch } from "./batch";
import { getAllPages } from "./pagination";
import { createSender } from "./sender";
import { parseBaseUrl, targetFor } from "./target";
import type { GraphClient, RetryPolicy } from "./types";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Requests in flight per process (GRAPH_CONCURRENCY): at 100 ms a request, ~300 a second. */
export const DEFAULT_GRAPH_CONCURRENCY = 32;

export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com/v1.0` or a national cloud's `https://graph.microsoft.us/v1.0`. */
  baseUrl: string;
  tokens: TokenProvider;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  events?: EventSink;
  /** Requests in flight at once (and keep-alive connections) to the Graph host; more wait for a slot. */
  connections?: number;
  /** Jitter source for backoff; tests pin it. */
  random?: () => number;
}

/** The Graph client every Graph step kind uses: one keep-alive pool to the Graph host. */
export function createGraphClient(options: GraphClientOptions): GraphClient & { close(): Promise<void> } {
  const base = parseBaseUrl(options.baseUrl);
  const connections = options.connections ?? DEFAULT_GRAPH_CONCURRENCY;
  const pool = new Pool(base.origin, { connections });
  const gate = createGate(connections);
  const clock = options.clock ?? systemClock;
  const policy = resolveRetryPolicy(options.retry);
  const events: EventSink = options.events ?? (() => undefined);
  const random = options.random === undefined ? {} : { random: options.random };
  let closing: Promise<void> | undefined;
  const send = createSender({ dispatcher: pool, tokens: options.tokens, clock, policy, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, events, gate, ...random });

  return {
    request: (request, requestOptions) => send(targetFor(base, request), requestOptions),
    getAll: (request, requestOptions) => getAllPages(send, base, targetFor(base, request), requestOptions),
    batch: (requests, requestOptions) => sendBatch({ send, base, clock, policy, events, ...random }, requests, requestOptions),
    close: () => (closing ??= pool.close()),
  };
}
