/**
 * A node:http server that serves the Function App's handlers as the Functions host would (route
 * prefix /api), since Core Tools cannot be installed here. The body is read up to one byte past
 * the size limit (the rest is dropped as it arrives), so an oversized body is never held whole and
 * the handler still answers 413.
 */
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DepsProvider } from "../functions/adapt";
import type { HttpHandler } from "../functions/handlers";
import { httpRoutes } from "../functions/routes";

export interface Route {
  method: string;
  /** e.g. `/api/runs/{runId}` */
  pattern: string;
  name: string;
  handler: HttpHandler;
}

/** The Function App's HTTP routes under the /api prefix, as the Functions host serves them. */
export function appRoutes(deps: DepsProvider): Route[] {
  return httpRoutes(deps).map((route) => ({ method: route.method, pattern: `/api/${route.route}`, name: route.name, handler: route.handler }));
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

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

/** Keeps at most cap+1 bytes; the rest is read and dropped, so the client still gets its answer. */
function readCapped(request: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size > cap) return;
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function send(response: ServerResponse, init: HttpResponseInit): Promise<void> {
  const normalised = new HttpResponse(init);
  response.writeHead(normalised.status, Object.fromEntries(normalised.headers));
  response.end(Buffer.from(await normalised.arrayBuffer()));
}

export interface LocalServerOptions {
  routes: Route[];
  port?: number;
  host?: string;
  maxBodyBytes: number;
  /** Receives each invocation's log lines (the structured events). */
  log?: (level: string, line: string) => void;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server = createServer((request, response) => {
    void serve(options, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ message: "Something went wrong on our side; the helpdesk has been told." }));
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

async function serve(options: LocalServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  for (const route of options.routes) {
    const params = route.method === request.method ? match(route.pattern, url.pathname) : undefined;
    if (!params) continue;
    const body = await readCapped(request, options.maxBodyBytes);
    const httpRequest = new HttpRequest({
      method: request.method ?? "GET",
      url: url.toString(),
      headers: headersOf(request),
      params,
      ...(body.byteLength > 0 ? { body: { bytes: body } } : {}),
    });
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: route.name,
      logHandler: (level, ...args) => options.log?.(level, args.map(String).join(" ")),
    });
    await send(response, await route.handler(httpRequest, context));
    return;
  }
  await send(response, { status: 404, jsonBody: { message: "There is nothing at this address." } });
}
