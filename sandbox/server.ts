/**
 * The sandbox's HTTP front door: control surface, fault rules, the ARM and Exchange hand-offs,
 * Graph authentication and the request log. Everything Graph-specific happens in ./graph.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { handleArmRequest } from "./arm";
import { handleControl } from "./control";
import { answerExchange, exchangeFault, type ExchangeResult } from "./exchange";
import { runBatch } from "./graph/batch";
import { graphError } from "./graph/errors";
import { finishGraphResult, runGraphCall } from "./graph/pipeline";
import { resourceUnits } from "./graph/resource-units";
import type { FaultStore } from "./faults/store";
import type { GraphCall, GraphEnv, GraphResult } from "./graph/types";

/** What the server answers from: the routes' environment, and the fault rules it applies before any route. */
export interface SandboxEnv extends GraphEnv {
  faults: FaultStore;
}
import type { RequestLog } from "./request-log";
import { handleSubscriptionControl } from "./subscriptions/control";

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const VERSION_ROOT = "/v1.0";

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, so the client gets the 413 rather than a reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8");
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

/** Any bearer token is accepted, except the literal "expired", which lets clients test their 401 path. */
function authenticate(headers: Record<string, string>): GraphResult | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "");
  if (!match) return graphError(401, "InvalidAuthenticationToken", "Access token is empty.");
  if (match[1] === "expired") return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
  return undefined;
}

/** A `$batch` item: its own error fault rules (a per-item 429, or a 504 after it ran), then the call itself. */
async function runBatchItem(call: GraphCall, env: SandboxEnv): Promise<GraphResult> {
  const outcome = env.faults.evaluate({ method: call.method, path: VERSION_ROOT + call.path, cost: resourceUnits(call), roundTrip: false });
  if (outcome.result) return outcome.result;
  const result = await runGraphCall(call, env);
  return outcome.afterwards ? { ...outcome.afterwards, appliedStatus: result.status } : result;
}

/** Carries out an ARM call into a sink, for a fault that loses its answer; returns the status it had. */
async function armCallDiscarded(req: IncomingMessage, ctx: Parameters<typeof handleArmRequest>[2]): Promise<number> {
  const sink = { writeHead: () => sink, end: () => sink } as unknown as Parameters<typeof handleArmRequest>[1];
  return handleArmRequest(req, sink, ctx);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? undefined : JSON.stringify(body);
  res.writeHead(status, text === undefined ? headers : { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

async function answerGraph(env: SandboxEnv, log: RequestLog, sequence: number, call: GraphCall, bodyOk: boolean): Promise<GraphResult> {
  const denied = authenticate(call.headers);
  if (denied) return denied;
  if (!bodyOk) return graphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  if (call.method === "POST" && call.path === "/$batch") return runBatch(call.body, env, log, sequence, (item) => runBatchItem(item, env));
  return runGraphCall(call, env);
}

export function createSandboxServer(env: SandboxEnv, log: RequestLog): Server {
  return createServer((req, res) => {
    handle(env, log, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, {}, { error: { code: "generalException", message: "An unexpected error occurred in the sandbox." } });
      else res.destroy();
    });
  });
}

async function handle(env: SandboxEnv, log: RequestLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = env.now();
  const sequence = log.reserve();
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://sandbox");
  const text = await readBody(req);
  const parsed = text === undefined ? { ok: false as const } : parseJson(text);
  // Unparsable text is not logged: it could hold a secret that masking cannot find.
  const body = parsed.ok ? parsed.value : text === undefined ? undefined : `<not JSON: ${text.length} characters>`;
  const record = (status: number, appliedStatus?: number): void =>
    log.add(sequence, {
      method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, status, time: new Date(started).toISOString(), durationMs: env.now() - started,
      ...(appliedStatus === undefined ? {} : { appliedStatus }),
    });

  if (url.pathname === "/_sandbox/subscriptions" || url.pathname.startsWith("/_sandbox/subscriptions/")) {
    const answer = await handleSubscriptionControl(env, method, url, parsed.ok ? parsed.value : undefined);
    send(res, answer.status, {}, answer.body);
    return;
  }
  if (url.pathname.startsWith("/_sandbox/")) {
    // The control surface is not logged or faulted: it is how tests look at the tenant.
    const answer = parsed.ok ? handleControl({ tenant: env.tenant, faults: env.faults, log }, method, url.pathname.slice("/_sandbox".length), body) : { status: 400, body: { error: { code: "BadRequest", message: "The body is not valid JSON." } } };
    send(res, answer.status, {}, answer.body);
    return;
  }
  const call: GraphCall = { method, path: url.pathname.slice(VERSION_ROOT.length), query: url.searchParams, headers: lowerHeaders(req), body };
  // Only the items of a batch count against a budget, as each counts against Graph's limits.
  const cost = method === "POST" && call.path === "/$batch" ? 0 : resourceUnits(call);
  const outcome = text === undefined ? { latencyMs: 0 } : env.faults.evaluate({ method, path: url.pathname, cost, roundTrip: true });
  if (outcome.latencyMs > 0) await sleep(outcome.latencyMs);
  let result: GraphResult | undefined =
    text === undefined ? graphError(413, "RequestEntityTooLarge", `The request body is larger than ${MAX_BODY_BYTES} bytes.`) : outcome.result;
  let appliedStatus: number | undefined;
  if (!result && url.pathname.startsWith("/subscriptions/")) {
    const arm = { tenant: env.tenant, now: env.now, body: parsed.ok ? parsed.value : undefined, path: url.pathname, query: url.searchParams };
    if (!outcome.afterwards) {
      record(await handleArmRequest(req, res, arm));
      return;
    }
    appliedStatus = await armCallDiscarded(req, arm);
    result = outcome.afterwards;
  }
  if (url.pathname.startsWith("/adminapi/")) {
    let answer: ExchangeResult | undefined;
    if (!result) {
      const baseUrl = env.graphBaseUrl.slice(0, -VERSION_ROOT.length);
      answer = answerExchange({ method, path: url.pathname, headers: call.headers, body: parsed.ok ? parsed.value : undefined, bodyOk: parsed.ok, tenant: env.tenant, baseUrl, now: env.now });
      if (outcome.afterwards) {
        appliedStatus = answer.status;
        result = outcome.afterwards;
      }
    }
    if (result?.reset) {
      record(0, appliedStatus);
      req.socket.destroy();
      return;
    }
    if (result) answer = exchangeFault(result.status, result.headers);
    send(res, answer!.status, answer!.headers ?? {}, answer!.body);
    record(answer!.status, appliedStatus);
    return;
  }
  if (!result) {
    result = url.pathname.startsWith(`${VERSION_ROOT}/`)
      ? await answerGraph(env, log, sequence, call, parsed.ok)
      : graphError(404, "NotFound", `The sandbox serves Graph under ${VERSION_ROOT}/, ARM under /subscriptions/ and Exchange under /adminapi/; nothing at ${url.pathname}.`);
    if (outcome.afterwards) {
      appliedStatus = result.status;
      result = outcome.afterwards;
    }
  }
  if (result.reset) {
    record(0, appliedStatus);
    req.socket.destroy();
    return;
  }
  send(res, result.status, finishGraphResult(result, call, env), result.body);
  record(result.status, appliedStatus);
}
