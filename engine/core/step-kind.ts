/**
 * The step-kind contract: what a kind declares (its spec, all the intent language needs to check
 * and compile a step) and what it does (`run`, closing over the clients its factory received).
 */
import type { Clock } from "./clock";
import type { ErrorCode } from "./errors";
import type { EventSink } from "./events";
import type { RetryPolicy } from "./retry";

export type RunMode = "live" | "dry-run";

/** A typed slot for a URL with a fixed beginning (origin and leading path), e.g. `https://graph.microsoft.com/v1.0/`. */
export interface UrlSlot {
  prefixes: readonly string[];
}

/** One lint finding, located in the intent file. */
export interface Diagnostic {
  code: ErrorCode;
  message: string;
  file: string;
  line: number;
  col: number;
  /** Where in the document, e.g. `steps[2].with.body.passwordProfle`. */
  path?: string;
  severity?: "error" | "warning";
}

/**
 * What a kind's static check sees of a step: its raw `with` (templates not rendered) and a way to
 * locate any value in it, so a kind can report at the exact line and column.
 */
export interface StaticStep {
  id: string;
  kind: string;
  with: unknown;
  /** Position of the value at `path` inside `with` (falls back to the nearest parent). */
  locate(path: ReadonlyArray<string | number>): { line: number; col: number };
  /** True when the value at `path` holds no template at all (a literal the linter can check). */
  isLiteral(path: ReadonlyArray<string | number>): boolean;
  /**
   * False when the runtime loads the catalogue: checks against large reference data (the Graph
   * metadata index) belong to `intents lint` and CI, not to every cold start. Absent means true.
   */
  referenceChecks?: boolean;
  /** The intent's constants, for a kind that lets a constant choose among literal values. */
  constants?: Readonly<Record<string, unknown>>;
  /**
   * What the intent declares its identity is granted (`permissions:`), for a kind whose calls need a
   * grant only the kind can name (an Exchange role holding its cmdlet). Absent outside an intent.
   */
  permissions?: DeclaredPermissions;
}

/** An intent's `permissions:`, each list as written (names the linter has not checked yet). */
export interface DeclaredPermissions {
  graph: readonly string[];
  entraRoles: readonly string[];
  exchangeRoles: readonly string[];
}

/** Where inside the node at `path` to point: its key, or a character offset inside its string value. */
export interface DiagnosticAnchor {
  key?: boolean;
  offset?: number;
}

export type ReportDiagnostic = (code: ErrorCode, message: string, path: ReadonlyArray<string | number>, anchor?: DiagnosticAnchor) => void;

/** How a kind sees an answer, for outcome rules (`match: {status, code, message}`) and defaults. */
export interface Classification {
  success: boolean;
  /** The answer's HTTP status, for kinds whose answers have one; `match.status` reads it. */
  status?: number;
  code?: string;
  message?: string;
  /**
   * The kind's own verdict on a success when the answer says more than its status (a runbook's
   * result line knows whether it changed anything); absent = changed for a write, ok for a read.
   */
  outcome?: "changed" | "ok";
  /**
   * What the step reports when it fails on this answer and no outcome rule says otherwise: the
   * kind's own code and sentence (Graph's answer for Graph kinds). Give it whenever success is false.
   */
  error?: { code: string; message: string };
  /** The service may have done the write though its answer says otherwise (a gateway timeout). */
  outcomeUnknown?: boolean;
  /** Trying the same write again later may succeed (throttling, an outage). */
  transient?: boolean;
}

export interface KindAnswer {
  /** What `outputs` and `outcomes` templates read as `response`. */
  response: unknown;
  attempts: number;
  /** Values of the kind's fixed outputs (e.g. secret:generate's `value`). */
  outputs?: Record<string, unknown>;
  /**
   * An earlier attempt of this request was sent and lost its answer (a gateway timeout, a dropped
   * connection) before this answer came: an "already so" answer may be that attempt's own work.
   */
  afterLostAnswer?: boolean;
  /** Not finished yet (a runbook job still running): the run suspends and resumes later. */
  pending?: { resumeAfterMs: number; state: unknown };
}

/** One Graph request of any method as the Graph client takes it (the engine passes it on unchanged). */
export interface GraphCall {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  idempotent?: boolean;
}

/** One Graph GET. */
export interface GraphRead extends Pick<GraphCall, "path" | "query" | "headers"> {
  method: "GET";
}

/** Graph's answer to one request (a read, or a request sent in another's `$batch`), as the Graph client gives it. */
export interface GraphReadAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  attempts: number;
}

/** A step's input as independent Graph reads, and how their answers become the kind's answer. */
export interface GraphReads {
  requests: GraphRead[];
  answer(responses: GraphReadAnswer[]): KindAnswer;
}

/** A step's input as one Graph request, and how Graph's answer to it becomes the kind's answer. */
export interface GraphSend {
  request: GraphCall;
  answer(response: GraphReadAnswer): KindAnswer;
}

/** What a kind's `run` sees of its step; the clients it calls came from its factory. */
export interface StepRunContext {
  runId: string;
  stepId: string;
  mode: RunMode;
  signal: AbortSignal;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The step (or intent author) declared that resending is safe. */
  idempotent: boolean;
  /** Kind-owned state saved by an earlier, pending attempt of this step (e.g. a job name). */
  state?: unknown;
  clock: Clock;
  events: EventSink;
  /**
   * Epoch ms by which the step's first request must have started (the run's budget); a client that
   * cannot start it by then sends nothing and throws BUDGET_DEFERRED, and the run continues later.
   */
  deadline?: number;
}

/**
 * What a kind declares: enough to check, compile and document a step without any client. The
 * interpreter knows nothing else about what a step does.
 */
export interface StepKindSpec<Input = any> {
  /** `namespace:verb`. */
  id: string;
  description: string;
  /** JSON Schema of the rendered `with`; checked after rendering, before any side effect. */
  inputSchema: Record<string, unknown>;
  /** Outputs every step of this kind has, beyond those the intent declares. */
  outputs?: Record<string, { secret?: boolean; description: string }>;
  /** Paths in `with` (`*` matches one key) where secret values may be used, e.g. `body`, `requests.*.body`. */
  secretPaths?: string[];
  /** Paths in `with` holding an OData expression, where every interpolation must go through `odata`. */
  odataPaths?: string[];
  /**
   * Leaves of `with` that hold a URL naming a resource (Graph's `@odata.id`, `…@odata.bind`): the
   * URL starts with one of the slot's prefixes, written out, and each value fills one path segment,
   * percent-encoded. Undefined for every other leaf.
   */
  urlSlot?(path: ReadonlyArray<string | number>): UrlSlot | undefined;
  /**
   * The kind hands what it sends to a person (a mail). A step of it that carries a generated secret
   * is a delivery: while it fails for a reason that may pass, the run waits and tries it again
   * (the secret kept sealed meanwhile) rather than ending with the credential undelivered.
   */
  delivers?: boolean;
  /** Decided on the rendered input: a GET is read-only, so dry-run may send it. */
  isReadOnly(input: Input): boolean;
  /** Static checks beyond the schema (Graph metadata, runbook manifest, …). */
  lint?(step: StaticStep, report: ReportDiagnostic): void;
  /**
   * The Microsoft Graph requests a step of this kind sends, as far as its unrendered input says
   * (a literal method and path), each with where in `with` its path is: the linter derives the
   * Graph application permissions an intent needs from them.
   */
  graphRequests?(input: unknown): Array<{ method: string; path: string; at: ReadonlyArray<string | number> }>;
  /** What the step would do, for `intents plan` and dry-run (masked by the caller). */
  describe(input: Input): unknown;
  /** The kind's reading of its own answer: success, what outcome rules match on, its default error. */
  classify(response: unknown): Classification;
  /**
   * A read-only input as independent Graph GETs, and how their answers become this kind's answer:
   * lets the engine send a run's first reads in one `$batch` with its own (requester policy).
   * Absent, or undefined for an input, when the step cannot be answered that way.
   */
  graphReads?(input: Input): GraphReads | undefined;
  /**
   * The input as one Graph request and how its answer becomes this kind's answer: lets the engine
   * send it in the same `$batch` as the write before it, to run only if that write succeeded (a
   * delivery after the write that set what it hands over). Absent, or undefined for an input, when
   * the step cannot be sent that way.
   */
  graphSend?(input: Input): GraphSend | undefined;
}

/** A step kind with its work: made by a factory that received the clients it calls. */
export interface StepKind<Input = any> extends StepKindSpec<Input> {
  run(input: Input, ctx: StepRunContext): Promise<KindAnswer>;
  /** For-each over many inputs in fewer round trips (Graph `$batch`). */
  runMany?(inputs: Input[], ctx: StepRunContext): Promise<KindAnswer[]>;
  /**
   * Sends the step's request and then `next` in one Graph `$batch`, `next` depending on it: this
   * step's answer as `run` gives it, and Graph's answer to `next`, absent when Graph did not run it
   * (this request failed: 424 Failed Dependency).
   */
  runThen?(input: Input, next: GraphCall, ctx: StepRunContext): Promise<{ answer: KindAnswer; next?: GraphReadAnswer }>;
}
