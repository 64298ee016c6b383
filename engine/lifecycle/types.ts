/**
 * The contracts of the webhook pipeline. The pipeline is plain functions over these interfaces, so
 * the Azure handlers, the local server and the tests all drive the same code.
 */
import type { ExecuteOptions, MappedFields } from "../index";
import type { Clock, EngineServices, EventSink, RunContext, RunResult } from "../runtime/types";
import type { RunReporter } from "./report/types";
import type { ContinuationQueue, RunStore } from "./store/types";

/** What the pipeline needs of a compiled intent (engine/index.ts CompiledIntent fits). */
export interface EngineIntent {
  name: string;
}

/**
 * The engine as the pipeline sees it: the catalogue plus mapFields and execute, typed with the
 * engine's own result and option types so a test's fake engine stays in step with the real one.
 */
export interface IntentEngine<I extends EngineIntent = EngineIntent> {
  find(name: string): I | undefined;
  supportedNames(): string[];
  mapFields(intent: I, intentFields: Record<string, unknown>): MappedFields;
  execute(intent: I, options: ExecuteOptions): Promise<RunResult>;
}

/** The validated webhook body, normalised (ticket id as a digit string, missing names as ""). */
export interface WebhookPayload {
  intent_name: string;
  intent_fields: Record<string, unknown>;
  meta_data: { ticket_id: string; contact_name: string; contact_email: string; company_name: string };
}

/** A transport-neutral HTTP answer; every body is JSON with a `message` for the end user. */
export interface HttpAnswer {
  status: number;
  body: { message: string } & Record<string, unknown>;
}

/** The incoming request, as much of it as the pipeline may look at. */
export interface IncomingRequest {
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | null;
}

export interface PipelineSettings {
  /** The X-Intent-Secret value; read per request so a rotated secret (Key Vault, cached) is picked up. */
  sharedSecret: () => Promise<string>;
  maxBodyBytes: number;
  /** How long a body may take to arrive once its headers have; a stalled one is answered 408. */
  bodyTimeoutMs: number;
  /** How long the HTTP handler lets a run go before answering 202 and queueing the rest. */
  runBudgetMs: number;
  /** Dequeue count from which a continuation message is treated as poison. */
  maxDequeueCount: number;
  /** How long a queued continuation may run before it suspends again. */
  continuationBudgetMs: number;
  /** How often a running run renews its lease; well under the store's lease time. */
  heartbeatMs: number;
}

/** Everything the pipeline calls out to; built once by the composition root (engine/hosts/compose). */
export interface PipelineDeps {
  engine: IntentEngine;
  store: RunStore;
  queue: ContinuationQueue;
  notifier: FailureNotifier;
  /** Reporting back (PSA note, requester mail, outbound webhook) for every state that matters. */
  reporter: RunReporter;
  /** Services for the engine, minus the per-invocation event sink. */
  services: Omit<EngineServices, "events">;
  clock: Clock;
  settings: PipelineSettings;
}

export interface FailureNotice {
  run: RunContext;
  result: RunResult;
  /** Values to mask wherever they appear. */
  secretValues: readonly string[];
}

export interface FailureNotifier {
  /** Never throws: its own failure is reported through `events`. */
  notify(notice: FailureNotice, events: EventSink): Promise<void>;
}
