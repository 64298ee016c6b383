import type { Clock } from "../../core/clock";
import type { EventSink } from "../../core/events";
import { createTokenProvider } from "./auth";
import { createGraphClient, DEFAULT_GRAPH_BASE_URL } from "./client";
import type { GraphClient } from "./types";

export { createGraphClient, DEFAULT_GRAPH_BASE_URL, type GraphClientOptions } from "./client";
export { createTokenProvider, graphScope, type TokenProvider } from "./auth";
export { graphResponseError } from "./errors";
export type { BatchRequest, GraphClient, GraphRequest, GraphRequestOptions, GraphResponse, RetryPolicy } from "./types";

/**
 * The Graph client a deployment's settings describe: GRAPH_BASE_URL (default the public cloud)
 * and the identity settings `createTokenProvider` reads. What the Function App and CLI call.
 */
export function graphClientFromSettings(
  settings: Readonly<Record<string, string | undefined>>,
  options: { clock?: Clock; events?: EventSink } = {},
): GraphClient & { close(): Promise<void> } {
  const baseUrl = settings.GRAPH_BASE_URL?.trim() || DEFAULT_GRAPH_BASE_URL;
  return createGraphClient({
    baseUrl,
    tokens: createTokenProvider(settings, baseUrl, options.clock === undefined ? {} : { clock: options.clock }),
    ...options,
  });
}
