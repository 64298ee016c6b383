/**
 * POST /$batch (reference §8): at most 20 items with unique ids (case-insensitive); `dependsOn`
 * sequences items and a failed dependency gives 424. Each item passes through the error fault rules
 * and permissions on its own, so one item can be throttled with its own Retry-After while others
 * pass; latency and resets belong to the batch's one round trip.
 */
import type { RequestLog } from "../request-log";
import { graphError } from "./errors";
import { finishGraphResult, runGraphCall } from "./pipeline";
import type { GraphCall, GraphEnv, GraphResult } from "./types";

const MAX_ITEMS = 20;
const METHODS = new Set(["GET", "POST", "PATCH", "PUT", "DELETE"]);

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one item: its fault rules, then the call. */
export type CallRunner = (call: GraphCall) => Promise<GraphResult>;

function readItems(body: unknown): BatchItem[] | GraphResult {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return graphError(400, "BadRequest", "The batch request must have a non-empty 'requests' array.");
  if (requests.length > MAX_ITEMS) return graphError(400, "BadRequest", `The batch request contains ${requests.length} requests; the limit is ${MAX_ITEMS}.`);
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const raw of requests as Record<string, unknown>[]) {
    const { id, method, url, headers = {}, body: itemBody, dependsOn = [] } = raw ?? {};
    if (typeof id !== "string" || id === "") return graphError(400, "BadRequest", "Every batch request needs a string 'id'.");
    if (seen.has(id.toLowerCase())) return graphError(400, "BadRequest", `Batch request ids must be unique; '${id}' appears more than once.`);
    if (typeof method !== "string" || !METHODS.has(method.toUpperCase())) return graphError(400, "BadRequest", `Batch request '${id}' has an invalid method.`);
    if (typeof url !== "string" || /^[a-z]+:\/\//i.test(url)) return graphError(400, "BadRequest", `Batch request '${id}' needs a relative 'url' such as '/users'.`);
    if (typeof headers !== "object" || headers === null) return graphError(400, "BadRequest", `Batch request '${id}' has invalid headers.`);
    const lowered = Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
    if (itemBody !== undefined && !lowered["content-type"]) return graphError(400, "BadRequest", `Batch request '${id}' has a body but no Content-Type header.`);
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === "string")) return graphError(400, "BadRequest", `Batch request '${id}' has an invalid 'dependsOn'.`);
    // Only earlier ids: that rules out cycles and lets items start in order.
    const unknown = (dependsOn as string[]).find((d) => !seen.has(d.toLowerCase()) || d.toLowerCase() === id.toLowerCase());
    if (unknown !== undefined) return graphError(400, "BadRequest", `Batch request '${id}' depends on '${unknown}', which is not an earlier request in the batch.`);
    items.push({ id, method: method.toUpperCase(), url, headers: lowered, body: itemBody, dependsOn: dependsOn as string[] });
    seen.add(id.toLowerCase());
  }
  return items;
}

function toCall(item: BatchItem): GraphCall {
  const relative = item.url.startsWith("/") ? item.url : `/${item.url}`;
  const queryAt = relative.indexOf("?");
  return {
    method: item.method,
    path: queryAt < 0 ? relative : relative.slice(0, queryAt),
    query: new URLSearchParams(queryAt < 0 ? "" : relative.slice(queryAt + 1)),
    headers: item.headers,
    body: item.body,
  };
}

export async function runBatch(body: unknown, env: GraphEnv, log: RequestLog, batchSequence: number, runCall: CallRunner): Promise<GraphResult> {
  const items = readItems(body);
  if (!Array.isArray(items)) return items;
  const done = new Map<string, Promise<BatchResponseItem>>();
  const runItem = async (item: BatchItem): Promise<BatchResponseItem> => {
    const dependencies = await Promise.all(item.dependsOn.map((d) => done.get(d.toLowerCase()) as Promise<BatchResponseItem>));
    const call = toCall(item);
    const started = env.now();
    const failed = dependencies.some((d) => d.status < 200 || d.status >= 300);
    const result = failed ? graphError(424, "FailedDependency", "The request failed because a request it depends on failed.") : await runCall(call);
    const headers = finishGraphResult(result, call, env);
    log.add(log.reserve(), {
      method: call.method, path: `/v1.0${call.path}`, query: Object.fromEntries(call.query), body: call.body,
      status: result.status, time: new Date(started).toISOString(), durationMs: env.now() - started, batch: { sequence: batchSequence, itemId: item.id },
      ...(result.appliedStatus === undefined ? {} : { appliedStatus: result.appliedStatus }),
    });
    return { id: item.id, status: result.status, headers, ...(result.body === undefined ? {} : { body: result.body }) };
  };
  // Items are registered in order, so a dependency (always an earlier id) is already in the map.
  for (const item of items) done.set(item.id.toLowerCase(), runItem(item));
  const responses = await Promise.all(done.values());
  return { status: 200, body: { responses } };
}
