/**
 * Calling the Function App's handlers the way the Functions host does, from outside it: the local
 * server and the local queue poller hand over plain requests and messages, and the @azure/functions
 * objects the handlers expect are made here, in the one part that knows that library.
 */
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { randomUUID } from "node:crypto";
import type { HttpHandler } from "./handlers";

export type LogLine = (level: string, line: string) => void;
export type QueueHandler = (message: unknown, context: InvocationContext) => Promise<void>;

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  /** Streamed to the handler as it reads, so it can refuse a body before it has arrived. */
  body?: ReadableStream<Uint8Array>;
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function context(functionName: string, log: LogLine | undefined, triggerMetadata?: Record<string, unknown>): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => log?.(level, args.map(String).join(" ")),
  });
}

/** An answer as the Functions host would send it (jsonBody serialised, content-type set). */
async function plainResponse(init: HttpResponseInit): Promise<PlainResponse> {
  const normalised = new HttpResponse(init);
  return { status: normalised.status, headers: Object.fromEntries(normalised.headers), body: Buffer.from(await normalised.arrayBuffer()) };
}

/** A JSON answer of the server's own (no handler ran), shaped exactly like a handler's. */
export function jsonAnswer(status: number, body: Record<string, unknown>): Promise<PlainResponse> {
  return plainResponse({ status, jsonBody: body });
}

export async function invokeHttp(handler: HttpHandler, functionName: string, call: HttpCall, log?: LogLine): Promise<PlainResponse> {
  const nativeRequest = new Request(call.url, {
    method: call.method,
    headers: call.headers,
    ...(call.body ? { body: call.body, duplex: "half" } : {}),
  } as RequestInit);
  const httpRequest = new HttpRequest({ method: call.method, url: call.url, params: call.params, nativeRequest } as ConstructorParameters<typeof HttpRequest>[0]);
  return plainResponse(await handler(httpRequest, context(functionName, log)));
}

export function invokeQueue(handler: QueueHandler, functionName: string, message: string, dequeueCount: number, log?: LogLine): Promise<void> {
  return handler(message, context(functionName, log, { dequeueCount }));
}

export type TimerHandler = (timer: unknown, context: InvocationContext) => Promise<unknown>;

/** One tick of a timer trigger, as the Functions host would fire it. */
export function invokeTimer(handler: TimerHandler, functionName: string, log?: LogLine): Promise<unknown> {
  return handler(undefined, context(functionName, log));
}
