/**
 * The HTTP front door every PSA simulator shares: body parsing, the control surface, fault rules
 * (before the call, or after it for `afterApply`), the request log, and a clean close.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { RequestLog, type RequestLogEntry } from "../request-log";
import { handlePsaControl } from "./control";
import { PsaFaults } from "./faults";
import { TicketBook } from "./tickets";
import type { PsaCall, PsaEnv, PsaReply, PsaSimulator } from "./types";

const MAX_BODY_BYTES = 1024 * 1024;

export interface PsaServerOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  now?: () => number;
}

export interface PsaServer {
  url: string;
  tickets: TicketBook;
  faults: PsaFaults;
  requests(): RequestLogEntry[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string, contentType: string): { ok: boolean; value: unknown } {
  if (text.trim() === "") return { ok: true, value: undefined };
  if (contentType.includes("application/x-www-form-urlencoded")) return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function send(res: ServerResponse, reply: PsaReply): void {
  const text = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  res.writeHead(reply.status, text === undefined ? reply.headers ?? {} : { "content-type": "application/json; charset=utf-8", ...reply.headers });
  res.end(text);
}

export async function startPsaServer(simulator: PsaSimulator, options: PsaServerOptions = {}): Promise<PsaServer> {
  const now = options.now ?? Date.now;
  const host = options.host ?? "127.0.0.1";
  const log = new RequestLog();
  const faults = new PsaFaults(now);
  const env: PsaEnv = { tickets: new TicketBook(now), now, url: "" };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = now();
    const sequence = log.reserve();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://psa");
    const text = await readBody(req);
    const parsed = text === undefined ? { ok: false, value: undefined } : parseBody(text, req.headers["content-type"] ?? "");
    if (url.pathname.startsWith("/_sandbox/")) {
      send(res, handlePsaControl({ simulator, log, faults, tickets: env.tickets }, method, url.pathname.slice("/_sandbox".length), parsed.value));
      return;
    }
    // Unparsable text is not logged: it could hold a secret that masking cannot find.
    const body = parsed.ok ? parsed.value : text === undefined ? undefined : `<not parsed: ${text.length} characters>`;
    const accept = req.headers.accept;
    const record = (status: number): void =>
      log.add(sequence, { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, status, time: new Date(started).toISOString(), durationMs: now() - started, ...(accept ? { accept } : {}) });
    const call: PsaCall = { method, path: url.pathname, query: url.searchParams, headers: lowerHeaders(req), body: parsed.value, bodyOk: parsed.ok };
    const { latencyMs, fault } = faults.evaluate(method, url.pathname);
    if (latencyMs > 0) await sleep(latencyMs);
    if (fault && !fault.afterApply) return answerFault(fault.kind, fault.retryAfter);
    const reply = text === undefined ? { status: 413, body: { message: "The request body is too large." } } : simulator.answer(call, env);
    if (fault) return answerFault(fault.kind, fault.retryAfter);
    send(res, reply);
    record(reply.status);

    function answerFault(kind: string, retryAfter: number | undefined): void {
      if (kind === "reset") {
        record(0);
        req.socket.destroy();
        return;
      }
      const faultReply = simulator.faultReply(kind as Parameters<PsaSimulator["faultReply"]>[0], retryAfter);
      send(res, faultReply);
      record(faultReply.status);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: { message: "The simulator failed unexpectedly." } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  env.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: env.url,
    tickets: env.tickets,
    faults,
    requests: () => log.list(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
