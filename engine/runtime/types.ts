import type { Clock } from "../core/clock";
import type { ErrorCode } from "../core/errors";
import type { EventSink } from "../core/events";
import type { RunMode } from "../core/step-kind";
import type { StepKindRegistry } from "../core/step-kind-registry";
import type { PolicyDecision } from "../language/policy/types";

export type { Clock, EventSink, RunMode };

/** What one step did. `ok` = already in the desired state, nothing changed. */
export type StepStatus = "changed" | "ok" | "failed" | "skipped";
/**
 * `scheduled`: waiting for its time (a start date or a step's delay); `cancelled`: stopped before
 * that time; `denied`: refused before anything ran (by requester policy or an approver);
 * `awaiting_approval`: stopped before its first write until an approver decides; `expired`: nobody
 * did in time.
 */
export type RunStatus = "succeeded" | "partial" | "failed" | "running" | "scheduled" | "cancelled" | "denied" | "awaiting_approval" | "expired";

export interface ReportedError {
  code: ErrorCode | string;
  message: string;
  fix?: string;
  /** True when trying the run again later may succeed (a timeout, throttling, an outage). */
  retryable?: boolean;
}

export interface StepResult {
  id: string;
  kind: string;
  status: StepStatus;
  attempts: number;
  durationMs: number;
  /** Secrets masked. */
  outputs?: Record<string, unknown>;
  error?: ReportedError;
  /** In dry-run (and in `intents plan`): what the step would send, secrets masked. */
  planned?: unknown;
  /** In live runs: what the step sent (a for-each step: one per item), secrets masked. */
  request?: unknown;
  /** For-each steps: one result per item. */
  items?: Array<Omit<StepResult, "items" | "kind">>;
  /** True when the result was restored from a checkpoint rather than executed again. */
  resumed?: boolean;
  /**
   * The write's first answer was lost (a gateway timeout, a dropped connection after it was sent);
   * sent again, the service answered that it was already so. Recorded `changed`: the lost request
   * made the change, so the run's record, its message and its undo count it as the run's own.
   */
  answerLost?: boolean;
  /** In dry-run of a timed intent: when the step would run (ISO 8601, tenant time zone). */
  at?: string;
  /**
   * In an offline plan: the step's `when`, when it reads what only the tenant would answer (a
   * stand-in such as `<steps.lookup.output.enabled>`); the step is planned as though it held.
   */
  plannedIf?: string;
}

/** What a `scheduled` run waits for: the step that runs next and when (ISO 8601, tenant time zone). */
export interface RunSchedule {
  step: string;
  at: string;
}

export interface RunResult {
  status: RunStatus;
  /** One sentence fit to show the end user in the chat; never holds a secret. */
  message: string;
  steps: StepResult[];
  error?: ReportedError;
  /** Values the intent declares for the caller (a credential only when the intent says so). */
  outputs?: Record<string, unknown>;
  /** When status is `running`: how long to wait before resuming. */
  resumeAfterMs?: number;
  /** When status is `scheduled`: what runs next, and when. */
  schedule?: RunSchedule;
  /** What requester policy decided, when it refused the run. */
  policy?: PolicyDecision;
  /** The run's approval, when requester policy asked for one (engine/lifecycle/approval). */
  approval?: RunApproval;
  /** An undo run: the run it reverses, and what it could not or would not reverse. */
  undo?: UndoReport;
}

/** What a run shows of its approval: who may approve, until when, and who decided, when, how. */
export interface RunApproval {
  id: string;
  state: "pending" | "approved" | "denied" | "expired" | "superseded" | "cancelled";
  approvers: Array<{ name: string; address: string; reason: string }>;
  requestedAt: string;
  expiresAt: string;
  decidedBy?: { name: string; address: string };
  decidedAt?: string;
  comment?: string;
  via?: "link" | "console";
  /** The approval this one replaced (the tenant changed after that one was approved). */
  supersedes?: string;
}

export interface UndoReport {
  /** The run undone. */
  of: string;
  /** What that run changed that no step restores (a revoked session, a deleted method). */
  irreversible: string[];
  /** What someone changed since that run: left as it is. */
  changedSince: string[];
}

/** Who asked, from the webhook's meta_data. */
export interface RunContext {
  runId: string;
  ticketId: string;
  intentName: string;
  contactName: string;
  contactEmail: string;
  companyName: string;
  /** When the run was first claimed (ISO 8601): what this run made is newer. */
  startedAt?: string;
  /** An undo run: the run it reverses (engine/lifecycle/undo). */
  undoOf?: string;
}

/** A step's durable record, so a resumed run does not redo completed work. */
export interface StepCheckpoint {
  result: StepResult;
  /** Non-secret outputs for later templates (masked where the step handled a secret). */
  outputs: Record<string, unknown>;
  /**
   * Secret outputs (a generated password, a Temporary Access Pass) for the steps that still need
   * them. The journal never stores them in clear: it seals them, and they are forgotten once every
   * step that reads them has completed.
   */
  secrets?: Record<string, string>;
  /** Kind-owned state of a step that is still in progress (e.g. a runbook job name). */
  state?: unknown;
  /** A delivery that failed for a reason that may pass: how often, and since when (epoch ms). */
  retry?: DeliveryRetry;
}

export interface DeliveryRetry {
  failures: number;
  since: number;
}

export interface RunJournal {
  load(): Promise<Record<string, StepCheckpoint>>;
  save(stepId: string, checkpoint: StepCheckpoint): Promise<void>;
}

/** What a run's snapshot steps read before anything changed: each step's outputs, by step id. */
export type SnapshotValues = Record<string, Record<string, unknown>>;

/** Where a live run records its snapshot before its first step (engine/lifecycle/undo). */
export interface SnapshotRecorder {
  /** Throws (STORE_ERROR) when it cannot: the run then changes nothing. */
  record(snapshot: SnapshotValues): Promise<void>;
}

/** What one step of the run being undone did: its status, and whether it (or any of its items) changed something. */
export interface OriginalStep {
  status: string;
  changed: boolean;
}

/** What an undo run reads besides its own fields: the snapshot of the run it undoes, and what that run did. */
export interface UndoContext {
  snapshot: SnapshotValues;
  original: { runId: string; status: string; steps: Record<string, OriginalStep> };
}

export interface SecretSettingsReader {
  get(name: string): Promise<string | undefined>;
  /** Where the deployment puts the secret setting NAME, for the error that says it is missing. */
  whereSet?(name: string): string;
}

/** What a host gives the interpreter once: no client, only the kinds that hold them. */
export interface EngineServices {
  /** The kinds that run the steps; the catalogue was compiled against the same ones. */
  kinds: StepKindRegistry;
  clock: Clock;
  /** Settings intents may read as `{{settings.NAME}}` (HELPDESK_EMAIL, DEFAULT_USAGE_LOCATION, …). */
  settings: Readonly<Record<string, string | undefined>>;
  /** Reads the secret settings intents declare (`{{secrets.NAME}}`), e.g. from Key Vault; never a credential. */
  secrets?: SecretSettingsReader;
  events: EventSink;
}
