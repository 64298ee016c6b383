import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../../engine/runtime/types";

/** One request as the server saw it; `at` is stamped on the test's clock. */
export interface ArrivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
  /** The client's port: equal ports mean one kept-alive connection. */
  remotePort: number | undefined;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown; text?: string }
  /** Read the request, then drop the connection without answering. */
  | { reset: true }
  /** Never answer. */
  | { hang: true };

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ArrivedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server on port 0 that answers each request as the test scripts it. */
export async function startScriptedServer(
  script: (request: ArrivedRequest, index: number) => Reply | Promise<Reply>,
  clock?: Clock,
): Promise<ScriptedServer> {
  const requests: ArrivedRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://localhost");
    const arrived: ArrivedRequest = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawUrl: req.url ?? "",
      headers: req.headers,
      body: parsed(text),
      at: clock?.now() ?? Date.now(),
      remotePort: req.socket.remotePort,
    };
    requests.push(arrived);
    const reply = await script(arrived, requests.length - 1);
    if ("reset" in reply) {
      req.socket.destroy();
      return;
    }
    if ("hang" in reply) return;
    const body = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    const headers = { ...(reply.body === undefined ? {} : { "content-type": "application/json" }), ...reply.headers };
    res.writeHead(reply.status, headers);
    res.end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** JSON bodies parsed, form bodies (token requests) kept as text. */
function parsed(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Graph's throttling answer (reference/microsoft-graph.md §9). */
export function throttled(retryAfter?: string): Reply {
  return {
    status: 429,
    headers: retryAfter === undefined ? {} : { "retry-after": retryAfter },
    body: { error: { code: "TooManyRequests", message: "Please retry again later.", innerError: { code: "429", "request-id": "req-429" } } },
  };
}

export function unavailable(retryAfter?: string): Reply {
  return {
    status: 503,
    headers: retryAfter === undefined ? {} : { "retry-after": retryAfter },
    body: { error: { code: "serviceNotAvailable", message: "Service unavailable" } },
  };
}
