import { IntentError } from "../../core/errors";
import type { Clock } from "../../core/clock";
import type { EventSink } from "../../core/events";
import { resolveRetryPolicy, retryDelay, type RetryPolicy } from "../http/retry-policy";
import { toGraphResponse } from "./response";
import type { Sender } from "./sender";
import { encodeQuery, targetFor, type GraphBase } from "./target";
import type { BatchRequest, GraphRequestOptions, GraphResponse } from "./types";

/** Graph's limit on requests in one `/$batch` body. */
const BATCH_LIMIT = 20;

export interface BatchSettings {
  send: Sender;
  base: GraphBase;
  clock: Clock;
  policy: RetryPolicy;
  events: EventSink;
  random?: () => number;
}

interface BatchItem {
  index: number;
  idempotent: boolean;
  wire: { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] };
}

interface WireAnswer {
  id?: unknown;
  status?: unknown;
  headers?: unknown;
  body?: unknown;
}

/**
 * Sends requests through `/$batch`, 20 per round trip (chunks in parallel). Items
 * Graph throttled (429/503, or 504 when idempotent) are resubmitted together after the longest wait any of them asked
 * for; answers are returned in the order of `requests` whatever order Graph used. An item that
 * depends on another (`dependsOn`) and got 424 is not resubmitted: its caller decides whether it
 * is still wanted once the other has its answer.
 */
export async function sendBatch(settings: BatchSettings, requests: BatchRequest[], options: GraphRequestOptions = {}): Promise<GraphResponse[]> {
  const startedAt = settings.clock.now();
  const items = requests.map((request, index) => toItem(settings.base, request, index));
  const chunks: BatchItem[][] = [];
  for (let start = 0; start < items.length; start += BATCH_LIMIT) chunks.push(items.slice(start, start + BATCH_LIMIT));
  const answers = new Array<GraphResponse>(requests.length);
  const stats = { roundTrips: 0, resubmitted: 0 };
  await Promise.all(chunks.map((chunk) => runChunk(settings, chunk, options, answers, stats)));
  settings.events("graph.batch", { items: requests.length, ...stats, durationMs: settings.clock.now() - startedAt });
  return answers;
}

async function runChunk(
  settings: BatchSettings,
  chunk: BatchItem[],
  options: GraphRequestOptions,
  answers: GraphResponse[],
  stats: { roundTrips: number; resubmitted: number },
): Promise<void> {
  const policy = resolveRetryPolicy(settings.policy, options.retry);
  const submissions = new Map<number, number>();
  /** Items whose earlier submission lost its answer (a 500/502/504 for the item). */
  const lost = new Set<number>();
  let pending = chunk;
  // Only the first round may be deferred for want of a connection: later ones follow writes already sent.
  const { startBy: _startBy, ...later } = options;
  let roundOptions = options;
  while (pending.length > 0) {
    for (const item of pending) submissions.set(item.index, (submissions.get(item.index) ?? 0) + 1);
    stats.roundTrips++;
    const outer = await settings.send(
      {
        method: "POST",
        pathAndQuery: `${settings.base.basePath}/$batch`,
        label: { method: "POST", path: "/$batch" },
        body: { requests: pending.map((item) => item.wire) },
        // A batch of writes that may have run cannot be blindly resent, as for any POST.
        idempotent: pending.every((item) => item.idempotent),
      },
      roundOptions,
    );
    roundOptions = later;
    if (outer.status !== 200) {
      // The whole batch was refused (the sender already retried what could be): each item gets that answer.
      for (const item of pending) answers[item.index] = { ...outer, attempts: submissions.get(item.index) ?? 1 };
      return;
    }
    const byId = answersById(outer.body);
    const again: Array<{ item: BatchItem; delayMs: number }> = [];
    for (const item of pending) {
      const wire = byId.get(item.wire.id);
      if (wire === undefined) throw new IntentError("GRAPH_ERROR", `[POST] /$batch: the answer has no response for request ${item.wire.id} (${item.wire.method} ${item.wire.url})`);
      // An envelope the sender sent more than once (throttled, its answer lost) sent its items as often.
      const answer = itemResponse(wire, (submissions.get(item.index) ?? 1) + outer.attempts - 1);
      if (outer.afterLostAnswer || lost.has(item.index)) answer.afterLostAnswer = true;
      if (answer.status === 500 || answer.status === 502 || answer.status === 504) lost.add(item.index);
      answers[item.index] = answer;
      // The same decision as for single requests: 429/503 always, 504 only for idempotent items.
      const delayMs = retryDelay(
        { kind: "response", status: answer.status, ...(answer.headers["retry-after"] === undefined ? {} : { retryAfter: answer.headers["retry-after"] }) },
        { attempt: submissions.get(item.index) ?? 1, policy, idempotent: item.idempotent, nowMs: settings.clock.now(), ...(settings.random === undefined ? {} : { random: settings.random }) },
      );
      if (delayMs !== undefined) again.push({ item, delayMs });
    }
    if (again.length === 0) return;
    const waitMs = Math.max(...again.map((entry) => entry.delayMs));
    settings.events("graph.batch.retry", { items: again.length, delayMs: waitMs });
    stats.resubmitted += again.length;
    await settings.clock.sleep(waitMs, options.signal);
    pending = alone(again.map((entry) => entry.item));
  }
}

function toItem(base: GraphBase, request: BatchRequest, index: number): BatchItem {
  const target = targetFor(base, request); // validates the path and settles idempotency
  const headers = { ...(request.headers ?? {}) };
  if (request.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const wire: BatchItem["wire"] = { id: String(index + 1), method: request.method, url: request.path + encodeQuery(request.query) };
  if (Object.keys(headers).length > 0) wire.headers = headers;
  if (request.body !== undefined) wire.body = request.body;
  if (request.dependsOn?.length) wire.dependsOn = request.dependsOn.map((earlier) => dependencyId(earlier, index));
  return { index, idempotent: target.idempotent, wire };
}

/** Graph resolves `dependsOn` inside one `$batch` only: an earlier request of the same chunk. */
function dependencyId(earlier: number, index: number): string {
  if (!Number.isInteger(earlier) || earlier < 0 || earlier >= index || Math.floor(earlier / BATCH_LIMIT) !== Math.floor(index / BATCH_LIMIT)) {
    throw new IntentError("INTERNAL", `Batch request ${index} cannot depend on request ${earlier}: only an earlier one of the same ${BATCH_LIMIT}.`);
  }
  return String(earlier + 1);
}

/**
 * The items of a resubmission, each without the dependencies left behind: an item Graph ran (its
 * answer was not 424) ran after what it depends on had succeeded, so that is settled.
 */
function alone(items: BatchItem[]): BatchItem[] {
  const ids = new Set(items.map((item) => item.wire.id));
  return items.map((item) => {
    if (!item.wire.dependsOn) return item;
    const { dependsOn, ...wire } = item.wire;
    const kept = dependsOn.filter((id) => ids.has(id));
    return { ...item, wire: kept.length > 0 ? { ...wire, dependsOn: kept } : wire };
  });
}

function answersById(body: unknown): Map<string, WireAnswer> {
  const responses = (body as { responses?: unknown } | null)?.responses;
  if (!Array.isArray(responses)) throw new IntentError("GRAPH_ERROR", "[POST] /$batch: the answer has no 'responses' array");
  const byId = new Map<string, WireAnswer>();
  for (const entry of responses as WireAnswer[]) {
    if (typeof entry?.id === "string") byId.set(entry.id, entry);
  }
  return byId;
}

function itemResponse(wire: WireAnswer, attempts: number): GraphResponse {
  const headers: Record<string, string> = {};
  if (typeof wire.headers === "object" && wire.headers !== null) {
    for (const [name, value] of Object.entries(wire.headers)) headers[name.toLowerCase()] = String(value);
  }
  const status = typeof wire.status === "number" ? wire.status : 0;
  const text = wire.body === undefined || wire.body === null ? "" : typeof wire.body === "string" ? wire.body : JSON.stringify(wire.body);
  return toGraphResponse(status, headers, text, attempts);
}
