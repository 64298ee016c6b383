import { IntentError } from "../../core/errors";
import { isIdempotent } from "../http/retry-policy";
import type { SendTarget } from "./sender";
import type { GraphRequest } from "./types";

/** Where requests go: the origin the pool talks to and the base path holding the version. */
export interface GraphBase {
  origin: string;
  /** `/v1.0` for `https://graph.microsoft.com/v1.0`; no trailing slash. */
  basePath: string;
}

export function parseBaseUrl(baseUrl: string): GraphBase {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new IntentError("CONFIG_MISSING", `GRAPH_BASE_URL is not a URL: '${baseUrl}'`, { fix: "Set GRAPH_BASE_URL to e.g. https://graph.microsoft.com/v1.0." });
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

/** Resolves a step's request against the base URL. */
export function targetFor(base: GraphBase, request: GraphRequest): SendTarget {
  if (!request.path.startsWith("/")) {
    throw new IntentError("STEP_INPUT_INVALID", `[${request.method}] ${request.path}: a Graph path must start with '/'`);
  }
  return {
    method: request.method,
    pathAndQuery: base.basePath + request.path + encodeQuery(request.query),
    label: { method: request.method, path: request.path },
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
    idempotent: isIdempotent(request.method, request.idempotent),
  };
}

/**
 * `?$filter=…&$select=…` with every value percent-encoded. `$` stays literal in names: it is
 * how Graph spells its system query options and some gateways do not decode `%24`.
 */
export function encodeQuery(query: Record<string, string> | undefined): string {
  const entries = Object.entries(query ?? {});
  if (entries.length === 0) return "";
  return "?" + entries.map(([name, value]) => `${encodeURIComponent(name).replace(/%24/g, "$")}=${encodeURIComponent(value)}`).join("&");
}
