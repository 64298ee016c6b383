import { IntentError } from "../../core/errors";
import { graphResponseError } from "./errors";
import type { Sender, SendTarget } from "./sender";
import type { GraphBase } from "./target";
import type { GraphRequestOptions } from "./types";

/** Stops a server that keeps handing out links from looping forever. */
const MAX_PAGES = 1_000;

/**
 * GETs a collection and follows `@odata.nextLink` to the end. A link to another origin is
 * refused rather than followed: the token must never be sent anywhere but the Graph host.
 */
export async function getAllPages(
  send: Sender,
  base: GraphBase,
  first: SendTarget,
  options: GraphRequestOptions | undefined,
): Promise<{ items: unknown[]; attempts: number; pages: number }> {
  const items: unknown[] = [];
  let attempts = 0;
  let target = first;
  // Only the first page may be deferred for want of a connection.
  const { startBy: _startBy, ...later } = options ?? {};
  for (let pages = 1; ; pages++) {
    const response = await send(target, pages === 1 ? options : later);
    attempts += response.attempts;
    if (response.status < 200 || response.status > 299) throw graphResponseError(target.label, response);
    const page = (response.body ?? {}) as { value?: unknown; "@odata.nextLink"?: unknown };
    if (!Array.isArray(page.value)) throw new IntentError("GRAPH_ERROR", `[GET] ${target.label.path}: the answer has no 'value' array`);
    items.push(...(page.value as unknown[]));
    const next = page["@odata.nextLink"];
    if (typeof next !== "string") return { items, attempts, pages };
    if (pages >= MAX_PAGES) throw new IntentError("GRAPH_ERROR", `[GET] ${first.label.path}: more than ${MAX_PAGES} pages`);
    target = nextTarget(base, first, next);
  }
}

function nextTarget(base: GraphBase, first: SendTarget, link: string): SendTarget {
  let url: URL;
  try {
    url = new URL(link, base.origin);
  } catch {
    throw new IntentError("GRAPH_ERROR", `[GET] ${first.label.path}: '@odata.nextLink' is not a URL`);
  }
  if (url.origin !== base.origin) {
    throw new IntentError("GRAPH_ERROR", `[GET] ${first.label.path}: '@odata.nextLink' points to another host (${url.origin}); not followed`, {
      fix: "Check GRAPH_BASE_URL: it must be the host Graph answers from.",
    });
  }
  const relative = url.pathname.startsWith(base.basePath + "/") ? url.pathname.slice(base.basePath.length) : url.pathname;
  // The link's query (skip tokens) is sent exactly as Graph wrote it.
  return { ...first, pathAndQuery: url.pathname + url.search, label: { method: "GET", path: relative } };
}
