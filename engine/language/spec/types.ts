/** The shapes of an intent: as written (after schema validation) and as compiled. */
import type { ValidateFunction } from "ajv";
import type { TemplateTree } from "../template/tree";
import type { Template } from "../template/compile";
import type { RetryPolicy } from "../../core/retry";
import type { StepKindSpec } from "../../core/step-kind";
import type { PolicyRule, PolicyRuleSpec } from "../policy/types";
import type { Duration } from "../time/duration";
import type { TimeOfDay } from "../time/parse";

/** `date` and `datetime` are read in the tenant's calendar (engine/language/time). */
export type FieldType = "string" | "boolean" | "integer" | "number" | "array" | "date" | "datetime";

export interface FieldSpec {
  variable: string;
  label: string;
  type: FieldType;
  required: boolean;
  default?: unknown;
  enum?: readonly string[];
  format?: string;
  secret: boolean;
  description?: string;
}

export interface OutcomeSpec {
  match?: { status?: number; code?: string; message?: string };
  when?: string;
  result: "changed" | "ok" | "failed";
  error?: { code: string; message: string; fix?: string };
}

/** A step output as written: a template, or `{ value, secret }` to mark its value secret. */
export type StepOutputSpec = string | { value: string; secret?: boolean };

export interface StepSpec {
  id: string;
  kind: string;
  description?: string;
  when?: string;
  forEach?: string;
  as?: string;
  with?: Record<string, unknown>;
  outputs?: Record<string, StepOutputSpec>;
  outcomes?: OutcomeSpec[];
  idempotent?: boolean;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  continueOnError?: boolean;
  /** ISO 8601 duration: the step waits this long after the step before it (or the run's start). */
  after?: string;
  adopt?: AdoptSpec;
}

/** `adopt:` as written: how a create finds the object an earlier attempt of its run made. */
export interface AdoptSpec {
  match: { status?: number; code?: string; message?: string };
  find: Record<string, unknown>;
  ours: string;
  replace?: Record<string, unknown>;
}

/** `schedule:` as written: when a run starts, from one date or datetime field. */
export interface ScheduleSpec {
  /** `{{fields.NAME}}` of a date or datetime field; empty = start at once. */
  at: string;
  /** `HH:MM`: the time of day a date field's day starts at (midnight when absent). */
  defaultTime?: string;
}

export type ChangeType = "created" | "updated" | "deleted";

/** `trigger:` as written: which Graph change runs the intent and how its fields are mapped. */
export interface TriggerSpec {
  /** `users`, `groups`, `users/{id}`, `groups/{id}` or `groups/{id}/members` (the member is the changed object). */
  resource: string;
  changeTypes: ChangeType[];
  when?: string;
  /** Field variable → template over `resource`. */
  fields: Record<string, string>;
}

export interface CompiledTrigger {
  resource: string;
  changeTypes: readonly ChangeType[];
  /** Properties of the changed object the templates read, `id` first: the GET's $select. */
  select: readonly string[];
  when?: Template;
  fields: ReadonlyArray<readonly [string, Template]>;
}

export interface IntentSpec {
  apiVersion: string;
  kind: "Intent";
  name: string;
  aliases?: string[];
  description: string;
  risk: "read" | "reversible" | "destructive";
  permissions: { graph?: string[]; entraRoles?: string[]; exchangeRoles?: string[] };
  settings?: string[];
  /** Secret settings (Key Vault), readable as `{{secrets.NAME}}` only where a step kind takes a secret. */
  secrets?: string[];
  fields: Record<string, Omit<FieldSpec, "variable" | "required" | "secret"> & { required?: boolean; secret?: boolean }>;
  validation?: object;
  identity?: string[];
  constants?: Record<string, unknown>;
  /** Named tests of one item (`filter NAME`), each one {{expression}} over `item`. */
  predicates?: Record<string, string>;
  steps: StepSpec[];
  /** Optional: run the intent on a Graph change notification (engine/inbound/notifications). */
  trigger?: TriggerSpec;
  /** The user the intent acts on: `fields.<variable>`, or `none` (also when absent). */
  target?: string;
  /** This intent's requester rule over the policy file's rule for its risk tier. */
  policy?: PolicyRuleSpec;
  /** Start the run at a date from a field, not when the webhook arrives. */
  schedule?: ScheduleSpec;
  /** Read-only steps run before any other, whose outputs are recorded with the run (language/spec/undo.ts). */
  snapshot?: StepSpec[];
  /** How to reverse what a run of this intent changed, from what its snapshot recorded. */
  undo?: UndoSpec;
  result: {
    messages: { succeeded: string; failed: string; partial?: string; running?: string; scheduled?: string };
    outputs?: Record<string, string>;
    credential?: string;
  };
}

/** One sentence an undo shows: what cannot be reversed, or what someone changed since (one per item with `forEach`). */
export interface NoticeSpec {
  when?: string;
  forEach?: string;
  as?: string;
  message: string;
}

/** `undo:` as written: ordinary steps over the snapshot, and what they cannot or will not reverse. */
export interface UndoSpec {
  /** What a run may have changed that no step can restore (a revoked session, a deleted method): shown, never skipped silently. */
  irreversible?: NoticeSpec[];
  steps: StepSpec[];
  /** After the steps: what someone else changed since the run, left as it is and reported. */
  changedSince?: NoticeSpec[];
  result?: { messages?: Partial<IntentSpec["result"]["messages"]>; outputs?: Record<string, string> };
}

export interface CompiledNotice {
  when?: Template;
  forEach?: Template;
  as: string;
  message: Template;
}

/** The reversal of an intent: an intent of its own (the undo steps and messages) and its notices. */
export interface CompiledUndo {
  intent: CompiledIntent;
  irreversible: readonly CompiledNotice[];
  changedSince: readonly CompiledNotice[];
}

export interface CompiledOutcome {
  match?: OutcomeSpec["match"];
  when?: Template;
  result: OutcomeSpec["result"];
  error?: { code: string; message: Template; fix?: string };
}

export interface CompiledStep {
  id: string;
  /** What the step does, as the intent says it (plans show it). */
  description?: string;
  /** The kind's spec as compiled; the engine's registry supplies the kind that runs it. */
  kind: StepKindSpec;
  when?: Template;
  forEach?: Template;
  as: string;
  with: TemplateTree;
  outputs: ReadonlyArray<readonly [string, Template]>;
  /** Output names whose value is a secret (the kind's secret outputs and those declared secret). */
  secretOutputs: ReadonlySet<string>;
  outcomes: readonly CompiledOutcome[];
  idempotent: boolean;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  continueOnError: boolean;
  /** The rendered input may hold a secret: its checkpointed outputs are masked. */
  handlesSecrets: boolean;
  /** An outcome rule reads the step's own outputs (`output.x`): they are rendered before deciding. */
  outcomesReadOutput: boolean;
  /** How long the step waits after the one before it (or the run's start). */
  after?: Duration;
  /** Reads a secret output of an earlier step: the run keeps that secret sealed until this step completes. */
  readsSecretOutputs: boolean;
  /** Hands a generated secret to a person (a kind that `delivers`, carrying one): retried until delivered. */
  delivers: boolean;
  adopt?: CompiledAdopt;
}

export interface CompiledAdopt {
  match: AdoptSpec["match"];
  find: TemplateTree;
  ours: Template;
  replace?: TemplateTree;
}

/** When a scheduled intent's run starts: the field holding the date, and a date's time of day. */
export interface CompiledStart {
  field: string;
  timeOfDay?: TimeOfDay;
}

export interface CompiledPlan {
  /** Read-only steps run first, together; their outputs are the run's snapshot (`snapshot.<id>.<name>`). */
  snapshot: readonly CompiledStep[];
  steps: readonly CompiledStep[];
  messages: Readonly<Record<"succeeded" | "partial" | "failed" | "running" | "scheduled", Template | undefined>>;
  outputs: ReadonlyArray<readonly [string, Template]>;
  credential?: Template;
  constants: unknown;
  /** The intent's `validation` schema, compiled on first use. */
  validator?: () => ValidateFunction;
  identity: readonly string[];
  start?: CompiledStart;
}

export interface CompiledIntent {
  name: string;
  aliases: readonly string[];
  description: string;
  risk: "read" | "reversible" | "destructive";
  permissions: { graph: string[]; entraRoles: string[]; exchangeRoles: string[] };
  settings: readonly string[];
  secrets: readonly string[];
  fields: readonly FieldSpec[];
  file: string;
  plan: CompiledPlan;
  trigger?: CompiledTrigger;
  /** The field variable naming the user the intent acts on; absent = the intent acts on no user. */
  target?: string;
  /** The intent file's own requester rule, when it has one. */
  policy?: PolicyRule;
  /** How a run of this intent is undone, when the intent says. */
  undo?: CompiledUndo;
}

export interface Catalog {
  intents: readonly CompiledIntent[];
  /** By name or alias, ignoring case and runs of whitespace. */
  find(name: string): CompiledIntent | undefined;
  supportedNames(): string[];
}
