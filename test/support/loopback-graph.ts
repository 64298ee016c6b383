/**
 * A scripted Graph stand-in for tests: a node:http server on port 0 whose routes each test
 * declares, recording every request it receives ($batch items included), plus a minimal
 * GraphClient over undici (no retry) that talks to it.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request as undiciRequest } from "undici";
import type { BatchRequest, GraphClient, GraphRequest, GraphResponse } from "../../engine/clients/graph/types";
import { IntentError } from "../../engine/core/errors";

export interface Received {
  method: string;
  /** Raw (still percent-encoded) path after /v1.0. */
  path: string;
  segments: string[];
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  viaBatch: boolean;
}
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Handler = (req: Received, params: Record<string, string>) => Answer;

export function graphError(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message, innerError: { "request-id": "test" } } } };
}

export interface LoopbackGraph {
  url: string;
  received: Received[];
  route(method: string, pattern: string, handler: Handler | Answer): void;
  client(): GraphClient;
  close(): Promise<void>;
}

function parse(method: string, rawUrl: string, headers: Record<string, string>, body: unknown, viaBatch: boolean): Received {
  const url = new URL(rawUrl, "http://loopback");
  const path = url.pathname.replace(/^\/v1\.0/, "");
  const segments = path.split("/").slice(1).map((s) => decodeURIComponent(s));
  return { method, path, segments, query: Object.fromEntries(url.searchParams), headers, body, viaBatch };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/**
 * For tests that count writes rather than script answers: every request succeeds (sendMail 202 as
 * in Graph, anything else 204) unless a key of `refusals` is part of its path; that one gets the
 * key's status. Tests change `refusals` as they go.
 */
export function acceptingAll(refusals: ReadonlyMap<string, number>): Handler {
  return (req) => {
    const refused = [...refusals.entries()].find(([fragment]) => req.path.includes(fragment));
    if (refused && refused[1] >= 400) return graphError(refused[1], "Request_BadRequest", "Refused by the test.");
    return { status: refused?.[1] ?? (req.path.endsWith("/sendMail") ? 202 : 204) };
  };
}

export interface LoopbackGraphOptions {
  /** The answer to a request no route matches; default 404 Request_ResourceNotFound. */
  otherwise?: Handler;
}

export async function startLoopbackGraph(options: LoopbackGraphOptions = {}): Promise<LoopbackGraph> {
  const routes: Array<{ method: string; pattern: string[]; handler: Handler }> = [];
  const received: Received[] = [];
  const dispatch = (req: Received): Answer => {
    received.push(req);
    for (const route of routes) {
      if (route.method !== req.method || route.pattern.length !== req.segments.length) continue;
      const params: Record<string, string> = {};
      const hit = route.pattern.every((part, i) => (part.startsWith(":") ? ((params[part.slice(1)] = req.segments[i] ?? ""), true) : part === req.segments[i]));
      if (hit) return route.handler(req, params);
    }
    return options.otherwise ? options.otherwise(req, {}) : graphError(404, "Request_ResourceNotFound", `No route for ${req.method} ${req.path}`);
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let answer: Answer;
      if (req.method === "POST" && req.url === "/v1.0/$batch") {
        const items = (body as { requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }> }).requests;
        const statuses = new Map<string, number>();
        const responses = items.map((item) => {
          // As Graph: an item whose dependency failed is not run, and answers 424.
          const failed = (item.dependsOn ?? []).some((id) => { const status = statuses.get(id) ?? 0; return status < 200 || status > 299; });
          const a = failed ? graphError(424, "FailedDependency", "A request it depends on failed.") : dispatch(parse(item.method, `/v1.0${item.url}`, item.headers ?? {}, item.body, true));
          statuses.set(item.id, a.status);
          return { id: item.id, status: a.status, headers: a.headers ?? {}, body: a.body };
        });
        answer = { status: 200, body: { responses: responses.reverse() } };
      } else {
        answer = dispatch(parse(req.method ?? "GET", req.url ?? "/", headers, body, false));
      }
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  return {
    url,
    received,
    route(method, pattern, handler) {
      routes.push({ method, pattern: pattern.split("/").slice(1), handler: typeof handler === "function" ? handler : () => handler });
    },
    client: () => createTestGraphClient(url, "test-token"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function relativeUrl(request: GraphRequest): string {
  const query = new URLSearchParams(request.query ?? {}).toString();
  return query ? `${request.path}?${query}` : request.path;
}

/** For tests and `intents run` against a loopback or sandbox URL: one attempt, no retry. */
export function createTestGraphClient(baseUrl: string, token: string): GraphClient {
  const send = async (request: GraphRequest): Promise<GraphResponse> => {
    try {
      const res = await undiciRequest(`${baseUrl}${relativeUrl(request)}`, {
        method: request.method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...request.headers },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await res.body.text();
      const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
      return { status: res.statusCode, headers, body: text === "" ? null : (JSON.parse(text) as unknown), attempts: 1 };
    } catch (cause) {
      throw new IntentError("GRAPH_UNREACHABLE", "Microsoft Graph could not be reached.", { cause });
    }
  };
  return {
    request: (request) => send(request),
    async batch(requests: BatchRequest[]) {
      const out: GraphResponse[] = [];
      for (let start = 0; start < requests.length; start += 20) {
        const chunk = requests.slice(start, start + 20);
        const items = chunk.map((r, i) => ({
          id: String(i + 1),
          method: r.method,
          url: relativeUrl(r),
          ...(r.body === undefined ? {} : { body: r.body, headers: { "content-type": "application/json" } }),
          ...(r.dependsOn?.length ? { dependsOn: r.dependsOn.map((earlier) => String(earlier - start + 1)) } : {}),
        }));
        const answer = await send({ method: "POST", path: "/$batch", body: { requests: items } });
        const responses = (answer.body as { responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }> }).responses;
        for (const item of items) {
          const r = responses.find((x) => x.id === item.id);
          out.push({ status: r?.status ?? 500, headers: r?.headers ?? {}, body: r?.body ?? null, attempts: 1 });
        }
      }
      return out;
    },
    async getAll(request) {
      const items: unknown[] = [];
      let pages = 0;
      let next: GraphRequest | undefined = request;
      while (next) {
        const answer = await send(next);
        if (answer.status !== 200) throw new IntentError("GRAPH_ERROR", `Microsoft Graph answered ${answer.status}.`);
        pages++;
        const body = answer.body as { value?: unknown[]; "@odata.nextLink"?: string };
        items.push(...(body.value ?? []));
        const link = body["@odata.nextLink"];
        next = link ? { method: "GET", path: link.slice(link.indexOf("/v1.0") + 5) } : undefined;
      }
      return { items, attempts: pages, pages };
    },
  };
}
