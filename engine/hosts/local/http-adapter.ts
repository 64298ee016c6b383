/**
 * A node:http server that serves the Function App's handlers as the Functions host would (route
 * prefix /api), since Core Tools cannot be installed here. The body reaches the handler as a stream,
 * so the handler checks the secret from the headers before reading a byte of it, refuses an
 * oversized body as it arrives (413) and cuts off one that stalls (408). What the handler leaves
 * unread is drained after the answer, up to the size limit, so the client still gets its answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DepsProvider } from "../functions/adapt";
import type { ConsoleDepsProvider } from "../functions/console-handlers";
import type { HttpHandler } from "../functions/handlers";
import { invokeHttp, jsonAnswer, type PlainResponse } from "../functions/invoke";
import { httpRoutes } from "../functions/routes";
import { IntentError } from "../../core/errors";
import { errorAnswer } from "../../inbound/webhook/answers";

export interface Route {
  method: string;
  /** e.g. `/api/runs/{runId}` */
  pattern: string;
  name: string;
  handler: HttpHandler;
}

/** The Function App's HTTP routes under the /api prefix, as the Functions host serves them. */
export function appRoutes(deps: DepsProvider, console?: ConsoleDepsProvider): Route[] {
  return httpRoutes(deps, console).map((route) => ({ method: route.method, pattern: `/api/${route.route}`, name: route.name, handler: route.handler }));
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Route parameters, or undefined when the path does not fit; a bad percent-escape throws URIError. */
function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? "";
    const value = got[i] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) params[part.slice(1, -1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

/**
 * The request body as a web stream that pulls from the socket only when the handler reads. When the
 * handler stops reading (it answered, or the body stalled), cancelling keeps the socket open so the
 * answer can still be written; the server drains or closes it afterwards.
 */
function bodyStream(request: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      request.pause();
      request.on("data", (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.on("end", () => open && controller.close());
      request.on("error", (error) => open && controller.error(error));
    },
    pull() {
      request.resume();
    },
    cancel() {
      open = false;
    },
  }, { highWaterMark: 1 });
}

/** Drops what the handler left unread, up to `cap` bytes; past that (or on a stall) the socket is closed. */
function drain(request: IncomingMessage, response: ServerResponse, cap: number): void {
  if (request.complete) return;
  request.removeAllListeners("data");
  let dropped = 0;
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > cap) request.socket.destroy();
  });
  if (response.getHeader("connection") === "close") response.once("finish", () => request.socket.destroy());
  request.resume();
}

function badUrl(): Promise<PlainResponse> {
  return jsonAnswer(400, { message: "This address is not valid.", error: { code: "REQUEST_URL_INVALID", message: "The request URL has a malformed percent-escape." } });
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export interface LocalServerOptions {
  routes: Route[];
  port?: number;
  host?: string;
  /** How much of a body the handler left unread is drained after its answer before the socket is closed. */
  maxBodyBytes: number;
  /** Receives each invocation's log lines (the structured events). */
  log?: (level: string, line: string) => void;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server = createServer((request, response) => {
    void serve(options, request, response).catch(() => {
      // The answer every unexpected failure gets (the webhook's own), never the error itself.
      const answer = errorAnswer(new IntentError("INTERNAL", "The local server failed to serve a request."));
      if (!response.headersSent) response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `port ${options.port} is already in use; pick another with --port or PORT` : error.message)));
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}`,
    server,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The URL, or undefined when it cannot be read (a target such as `//[` is no valid URL). */
function parseUrl(target: string): URL | undefined {
  try {
    return new URL(target.startsWith("/") ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
}

async function serve(options: LocalServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = parseUrl(request.url ?? "/");
  if (!url) return answer(options, request, response, await badUrl());
  for (const route of options.routes) {
    let params: Record<string, string> | undefined;
    try {
      params = route.method === request.method ? match(route.pattern, url.pathname) : undefined;
    } catch {
      return answer(options, request, response, await badUrl());
    }
    if (!params) continue;
    const method = request.method ?? "GET";
    const hasBody = method !== "GET" && method !== "HEAD";
    const call = { method, url: url.toString(), params, headers: headersOf(request), ...(hasBody ? { body: bodyStream(request) } : {}) };
    return answer(options, request, response, await invokeHttp(route.handler, route.name, call, options.log));
  }
  answer(options, request, response, await jsonAnswer(404, { message: "There is nothing at this address." }));
}

function answer(options: LocalServerOptions, request: IncomingMessage, response: ServerResponse, plain: PlainResponse): void {
  response.writeHead(plain.status, plain.headers);
  drain(request, response, options.maxBodyBytes);
  response.end(plain.body);
}
