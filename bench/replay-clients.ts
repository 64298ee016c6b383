/**
 * Graph, Exchange and Automation clients that answer instantly in-process, so the engine's CPU per webhook is
 * measured without sockets or a tenant. They replay, in order, the answers real clients got when
 * the same webhook ran once against the sandbox: the engine is deterministic for one input, so the
 * same calls come in the same order, and a call out of order is an error, never a made-up answer.
 */
import type { AutomationClient } from "../engine/clients/arm/types";
import type { ExchangeClient } from "../engine/clients/exchange/types";
import type { GraphClient } from "../engine/clients/graph/types";

interface Call {
  /** Client method, e.g. "request", "batch", "startJob". */
  method: string;
  /** What the call was about, for error messages only. */
  label: string;
  answer: unknown;
}

export interface Recording {
  calls: Call[];
}

type AnyClient = Record<string, (...args: any[]) => Promise<unknown>>;

const GRAPH_METHODS = ["request", "batch", "getAll"] as const;
const AUTOMATION_METHODS = ["startJob", "getJob", "getJobOutput"] as const;
const EXCHANGE_METHODS = ["invoke"] as const;

function labelOf(args: unknown[]): string {
  const [first] = args;
  if (typeof first === "string") return first;
  if (typeof (first as { cmdlet?: unknown } | undefined)?.cmdlet === "string") return (first as { cmdlet: string }).cmdlet;
  if (Array.isArray(first)) return `${first.length} requests`;
  return String((first as { path?: string } | undefined)?.path ?? "");
}

function recordOn<T>(inner: T, methods: readonly string[], recording: Recording): T {
  const source = inner as unknown as AnyClient;
  const wrapped: AnyClient = {};
  for (const method of methods) {
    wrapped[method] = async (...args: unknown[]) => {
      const answer = await source[method]!.apply(inner, args);
      recording.calls.push({ method, label: labelOf(args), answer });
      return answer;
    };
  }
  return wrapped as unknown as T;
}

/** Wraps real clients; every answer they give is kept, in order, in one recording. */
export function recordingClients(
  graph: GraphClient,
  automation?: AutomationClient,
  exchange?: ExchangeClient,
): { graph: GraphClient; automation?: AutomationClient; exchange?: ExchangeClient; recording: Recording } {
  const recording: Recording = { calls: [] };
  return {
    recording,
    graph: recordOn(graph, GRAPH_METHODS, recording),
    ...(automation ? { automation: recordOn(automation, AUTOMATION_METHODS, recording) } : {}),
    ...(exchange ? { exchange: recordOn(exchange, EXCHANGE_METHODS, recording) } : {}),
  };
}

export interface ReplayClients {
  graph: GraphClient;
  automation: AutomationClient;
  exchange: ExchangeClient;
  /** Starts the sequence again, for the next webhook. */
  rewind(): void;
  remaining(): number;
}

export function replayClients(recording: Recording): ReplayClients {
  let next = 0;
  const take = (method: string, args: unknown[]): Promise<unknown> => {
    const call = recording.calls[next];
    if (call?.method !== method) {
      const want = call ? `${call.method} ${call.label}` : "no more calls";
      return Promise.reject(new Error(`replay: the engine called ${method} ${labelOf(args)} where the recording has ${want}`));
    }
    next++;
    return Promise.resolve(call.answer);
  };
  const build = (methods: readonly string[]): AnyClient =>
    Object.fromEntries(methods.map((method) => [method, (...args: unknown[]) => take(method, args)]));
  return {
    graph: build(GRAPH_METHODS) as unknown as GraphClient,
    automation: build(AUTOMATION_METHODS) as unknown as AutomationClient,
    exchange: build(EXCHANGE_METHODS) as unknown as ExchangeClient,
    rewind: () => { next = 0; },
    remaining: () => recording.calls.length - next,
  };
}
