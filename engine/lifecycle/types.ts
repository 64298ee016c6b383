/**
 * The contracts of a run's life (claim, execute, record, continue, mail a failure). It is plain
 * functions over these interfaces, so the Azure handlers, the local server and the tests all drive
 * the same code.
 */
import type { MappedFields } from "../language/spec/fields";
import type { ExecuteOptions } from "../runtime/interpreter";
import type { Clock, EngineServices, EventSink, RunContext, RunResult } from "../runtime/types";
import type { ApprovalDeps } from "./approval/deps";
import type { ContinuationQueue, RunningRuns } from "./continue/types";
import type { Judgement } from "./policy/gate";
import type { RunReporter } from "./report/types";
import type { OperatorRecords } from "./runs/operator-records";
import type { ScheduleStore } from "./schedule/types";
import type { RunStore } from "./store/types";
import type { SnapshotStore } from "./undo/types";

/** What the pipeline needs of a compiled intent (CompiledIntent fits). */
export interface EngineIntent {
  name: string;
  /** The field variable naming the user the intent acts on (CompiledIntent.target), for the run record. */
  target?: string;
  /** Its steps in order (CompiledIntent.plan), snapshot reads first: a record listing what a run did follows it. */
  plan?: { snapshot: ReadonlyArray<{ id: string }>; steps: ReadonlyArray<{ id: string }> };
}

/**
 * The engine as the pipeline sees it: the catalogue plus mapFields and execute, typed with the
 * engine's own result and option types so a test's fake engine stays in step with the real one.
 */
export interface IntentEngine<I extends EngineIntent = EngineIntent> {
  find(name: string): I | undefined;
  supportedNames(): string[];
  mapFields(intent: I, intentFields: Record<string, unknown>): MappedFields;
  /** Requester policy for a webhook's run, before anything runs (engine/lifecycle/policy). */
  judge(intent: I, request: JudgeRequest): Promise<Judgement>;
  execute(intent: I, options: ExecuteOptions): Promise<RunResult>;
  /** When a scheduled intent's run starts for these mapped fields (epoch ms), and the field that says so; undefined = at once. */
  scheduledStart?(intent: I, fields: Record<string, unknown>): { at: number; field: { variable: string; label: string } } | undefined;
}

export interface JudgeRequest {
  fields: Record<string, unknown>;
  run: RunContext;
  /** What `{{settings.NAME}}` reads, to render the intent's first reads. */
  settings: Readonly<Record<string, string | undefined>>;
  /** The run's budget end: a read that cannot start by then is not sent (BUDGET_DEFERRED). */
  startBy?: number;
  /** Aborted when the run must stop (its lease was lost). */
  signal?: AbortSignal;
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
  /** The tenant's time zone (TENANT_TIME_ZONE): scheduled times are told in it. */
  timeZone: string;
  /** How far ahead a run may be scheduled (SCHEDULE_HORIZON_DAYS). */
  scheduleHorizonMs: number;
  /** How long a claim holds without a heartbeat (RUN_LEASE_MS). */
  leaseMs: number;
  /** How long past its lease's end a running run waits before the abandoned-run sweep takes it (ABANDONED_RUN_GRACE_MS). */
  abandonedGraceMs: number;
  /**
   * How often a run may be taken over after the instance running it stopped (ABANDONED_RUN_MAX_TAKEOVERS):
   * one that stops its instance every time would otherwise be taken again by every sweep.
   */
  abandonedMaxTakeovers: number;
}

/** Everything the pipeline calls out to; built once by the composition root (engine/hosts/compose). */
export interface PipelineDeps {
  engine: IntentEngine;
  store: RunStore;
  queue: ContinuationQueue;
  notifier: FailureNotifier;
  /** Reporting back (PSA note, requester mail, outbound webhook) for every state that matters. */
  reporter: RunReporter;
  /** What a run leaves for the operator console (kept request of a failure, throttling seen); none in tests of other parts. */
  operator?: OperatorRecords;
  /** Wake-ups of runs that wait for a time (engine/lifecycle/schedule). */
  schedules: ScheduleStore;
  /** Runs indexed as running, for the abandoned-run sweep (continue/abandoned.ts); absent, it sweeps nothing. */
  runningRuns?: RunningRuns;
  /** Asking for approvals (engine/lifecycle/approval); absent, a run that needs one is refused. */
  approvals?: ApprovalDeps;
  /** What runs recorded before they changed anything, for their undo (./undo); none in tests of other parts. */
  snapshots?: SnapshotStore;
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
