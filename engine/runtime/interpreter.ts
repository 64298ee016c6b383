/**
 * The executor: a short loop over the compiled plan. Conditions, outcomes, for-each,
 * checkpointing and redaction live in their own modules; dry-run is a mode of this same loop.
 */
import { placeholder } from "../core/placeholder";
import { ensureIntentError } from "../core/errors";
import type { KindAnswer } from "../core/step-kind";
import type { CompiledIntent, CompiledStep } from "../language/spec/types";
import { finishedCheckpoint, loadCheckpoints, restorable, savePending, secretsDelivered } from "./checkpoint";
import { holds, undecidedBy } from "./conditions";
import { runForEach } from "./for-each";
import { createRedactor, type Redactor } from "../core/redaction";
import { FAILED_MESSAGE, finishRun } from "./run-result";
import { readSecretSettings } from "./secret-settings";
import { SECRET_VALUES } from "../language/template/secret-slot";
import { createScope, nullOutputs, type RunScope } from "./scope";
import { sendAlong } from "./sent-along";
import { runStepOnce, type StepAttempt, type StepEnv } from "./step-runner";
import { calendarOf, isTimed, RunTimeline, startDue } from "./timing";
import { scheduledRun } from "./scheduled-result";
import { isoLocal } from "../language/time/zone";
import type { TenantCalendar } from "../language/time/calendar";
import { takeSnapshot } from "./snapshot";
import type { EngineServices, RunContext, RunJournal, RunMode, RunResult, SnapshotRecorder, StepCheckpoint, StepResult, UndoContext } from "./types";

export interface ExecuteOptions {
  fields: Record<string, unknown>;
  run: RunContext;
  services: EngineServices;
  mode?: RunMode;
  journal?: RunJournal;
  /** Epoch ms; once passed, the run suspends between steps (or while a step is pending). */
  deadline?: number;
  /** `intents plan` without a tenant: nothing is sent, reads are planned with placeholder outputs. */
  offline?: boolean;
  /** The run's redactor when the caller must learn which secrets the run knew (the cases' secret scan); else a new one. */
  redactor?: Redactor;
  /** The tenant's calendar for a timed intent (schedule, after); default: TENANT_TIME_ZONE and TENANT_DATE_ORDER from the settings. */
  calendar?: TenantCalendar;
  /**
   * Which execution of the run this is: 1 the first; a retry, a takeover or a continuation counts
   * on. From the second, a create that meets "already exists" looks for what the run made.
   */
  attempt?: number;
  /** Aborted when the run must stop where it is (its lease was lost): nothing more is sent or saved. */
  signal?: AbortSignal;
  /** Steps' answers already read (the run's first reads, sent with requester policy's): used instead of calling their kinds. */
  prefetched?: Array<{ stepId: string; answer: KindAnswer }>;
  /** Where a live run records its snapshot before its first step (an intent with snapshot or undo). */
  snapshots?: SnapshotRecorder;
  /** An undo run: the snapshot and steps of the run it reverses, read as `snapshot` and `original`. */
  undo?: UndoContext;
}

function outputNames(step: CompiledStep): string[] {
  return [...Object.keys(step.kind.outputs ?? {}), ...step.outputs.map(([name]) => name)];
}

function toResult(step: CompiledStep, attempt: StepAttempt & { items?: StepAttempt[] }, durationMs: number, redactor: Redactor): StepResult {
  const result: StepResult = { id: step.id, kind: step.kind.id, status: attempt.status, attempts: attempt.attempts, durationMs };
  if (attempt.outputs && attempt.status !== "failed") result.outputs = redactor.mask(attempt.outputs);
  if (attempt.error) result.error = redactor.mask(attempt.error);
  if (attempt.planned !== undefined) result.planned = redactor.mask(attempt.planned);
  if (attempt.request !== undefined) result.request = redactor.mask(attempt.request);
  if (attempt.answerLost) result.answerLost = true;
  if (attempt.plannedIf !== undefined) result.plannedIf = attempt.plannedIf;
  if (attempt.items) {
    result.items = attempt.items.map((item, i) => ({
      id: `${step.id}[${i}]`,
      status: item.status,
      attempts: item.attempts,
      durationMs: 0,
      ...(item.error ? { error: redactor.mask(item.error) } : {}),
      ...(item.answerLost ? { answerLost: true } : {}),
    }));
  }
  return result;
}

/** True unless the step's condition is false; a condition that fails to render is reported when the step runs. */
function applies(step: CompiledStep, scope: RunScope): boolean {
  try {
    return holds(step.when, scope);
  } catch {
    return true;
  }
}

async function attemptStep(step: CompiledStep, scope: RunScope, env: StepEnv): Promise<StepAttempt> {
  // Offline, a condition on what only a read would answer cannot be decided: the step is planned
  // as though it held, and says on what it depends.
  const undecided = env.offline && step.when ? undecidedBy(step.when, scope) : [];
  try {
    if (undecided.length === 0 && !holds(step.when, scope)) return { status: "skipped", attempts: 0 };
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    return { status: "failed", attempts: 0, error: { code: error.code, message: error.message } };
  }
  const attempt = await (step.forEach ? runForEach(step, scope, env) : runStepOnce(step, scope, env));
  return undecided.length > 0 && step.when ? { ...attempt, plannedIf: step.when.source } : attempt;
}

export async function execute(intent: CompiledIntent, options: ExecuteOptions): Promise<RunResult> {
  const { services, mode = "live" } = options;
  const redactor = options.redactor ?? createRedactor();
  const steps: StepResult[] = [];
  try {
    // Field mapping refuses a secret too short to mask; a caller that skipped it is refused here.
    for (const field of intent.fields) if (field.secret) redactor.add(options.fields[field.variable]);
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    return { status: "failed", message: FAILED_MESSAGE, steps, error: { code: error.code, message: error.message } };
  }
  // What this run made is newer than when it started; a run without a record started now.
  const run = options.run.startedAt ? options.run : { ...options.run, startedAt: new Date(services.clock.now()).toISOString() };
  const scope = createScope(intent, options.fields, run, services.settings);
  const missing = intent.settings.filter((name) => !services.settings[name]);
  // A dry run may plan without the tenant's settings; a live run may not start without them.
  if (missing.length > 0 && mode === "dry-run") for (const name of missing) scope.settings[name] = placeholder(`settings.${name}`) as string;
  else if (missing.length > 0) {
    const error = { code: "CONFIG_MISSING", message: `Missing setting(s): ${missing.join(", ")}.` };
    return { status: "failed", message: FAILED_MESSAGE, steps, error };
  }
  const secretSettings = await readSecretSettings(intent, services, mode, redactor);
  if ("code" in secretSettings) return { status: "failed", message: FAILED_MESSAGE, steps, error: secretSettings };
  scope[SECRET_VALUES] = secretSettings.values;
  const journal = mode === "live" ? options.journal : undefined;
  const runEnv: StepEnv = {
    services,
    runId: options.run.runId,
    mode,
    ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
    ...(options.offline ? { offline: true } : {}),
    ...((options.attempt ?? 1) > 1 ? { retrying: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.prefetched ? { prefetched: options.prefetched } : {}),
    ...(mode === "live" && !options.offline ? { sentAlong: new Map() } : {}),
    secrets: redactor,
  };
  const checkpoints = await loadCheckpoints(journal);
  let timeline: RunTimeline | undefined;
  if (isTimed(intent)) {
    const calendar = calendarOf(options.calendar, services.settings);
    const now = services.clock.now();
    const start = startDue(intent, options.fields, calendar);
    // What runs first at that time: the snapshot's reads, when the intent has them.
    const first = (intent.plan.snapshot[0] ?? intent.plan.steps[0])?.id ?? "";
    if (mode === "live" && start !== undefined && start > now) return scheduledRun(intent, scope, steps, redactor, { step: first, due: start }, calendar, now);
    timeline = new RunTimeline(calendar, mode === "live", now, start);
  }
  /** Checkpoints that hold sealed secrets, to save again without them once every reader is done. */
  const sealed = new Map<string, StepCheckpoint>();
  if (options.undo) Object.assign(scope, { snapshot: options.undo.snapshot, original: options.undo.original });
  const snapshot = await takeSnapshot(intent, scope, steps, {
    mode, checkpoints, ...(journal ? { journal } : {}), ...(options.snapshots ? { recorder: options.snapshots } : {}), outputNames,
    runStep: async (step) => {
      const started = services.clock.now();
      const attempt = await attemptStep(step, scope, runEnv);
      const result = toResult(step, attempt, services.clock.now() - started, redactor);
      // A plan of a timed intent says when the snapshot is read: at the start, like the first step.
      if (timeline && mode === "dry-run") result.at = isoLocal(timeline.calendar.timeZone, timeline.plannedAt());
      services.events("step.finished", { runId: options.run.runId, stepId: step.id, kind: step.kind.id, status: result.status, attempts: result.attempts, durationMs: result.durationMs, ...(result.error ? { code: result.error.code } : {}) });
      return { attempt, result };
    },
  });
  if (snapshot.kind === "suspend") {
    await savePending(journal, snapshot.step, snapshot.result, snapshot.state);
    return finishRun(intent, scope, steps, redactor, mode, snapshot.resumeAfterMs);
  }
  if (snapshot.kind === "stop") return finishRun(intent, scope, steps, redactor, mode);
  for (const [index, step] of intent.plan.steps.entries()) {
    // A run whose lease was lost stops between steps: whoever holds the run now goes on from here.
    if (options.signal?.aborted) return finishRun(intent, scope, steps, redactor, mode, 0);
    const saved = checkpoints[step.id];
    if (saved && restorable(saved)) {
      for (const secret of Object.values(saved.secrets ?? {})) redactor.add(secret);
      if (saved.secrets) sealed.set(step.id, saved);
      scope.steps[step.id] = { status: saved.result.status, output: { ...nullOutputs(outputNames(step)), ...saved.outputs, ...saved.secrets } };
      steps.push({ ...saved.result, resumed: true });
      if (saved.result.status === "failed" && !step.continueOnError) break;
      continue;
    }
    const due = timeline && step.after ? await timeline.waitBefore(step, applies(step, scope), checkpoints, journal, services.clock.now()) : undefined;
    if (timeline && due !== undefined) return scheduledRun(intent, scope, steps, redactor, { step: step.id, due }, timeline.calendar, services.clock.now());
    // A delivery already sent with its write has its answer: taking it sends nothing.
    if (options.deadline !== undefined && services.clock.now() >= options.deadline && !runEnv.sentAlong?.has(step.id)) {
      return finishRun(intent, scope, steps, redactor, mode, 0);
    }
    const along = sendAlong(step, intent.plan.steps[index + 1], scope, runEnv, checkpoints);
    const env: StepEnv = saved ? { ...runEnv, ...(saved.state === undefined ? {} : { state: saved.state }), ...(saved.retry ? { retry: saved.retry } : {}) } : along ? { ...runEnv, along } : runEnv;
    const started = services.clock.now();
    const attempt = await attemptStep(step, scope, env);
    // What a stopped run did last is not recorded: the new holder sees the step as not done.
    if (options.signal?.aborted) return finishRun(intent, scope, steps, redactor, mode, 0);
    const result = toResult(step, attempt, services.clock.now() - started, redactor);
    if (timeline && mode === "dry-run") result.at = isoLocal(timeline.calendar.timeZone, timeline.plannedAt());
    services.events("step.finished", {
      runId: options.run.runId, stepId: step.id, kind: step.kind.id, status: result.status,
      attempts: result.attempts, durationMs: result.durationMs, ...(result.error ? { code: result.error.code } : {}),
    });
    if (attempt.suspend) {
      if (!attempt.suspend.deferred) await savePending(journal, step, result, attempt.suspend.state, attempt.suspend.retry);
      return finishRun(intent, scope, steps, redactor, mode, attempt.suspend.resumeAfterMs);
    }
    // A planned step's stand-in outputs (offline plans) flow on like a ran step's.
    const ran = attempt.status === "changed" || attempt.status === "ok" || (attempt.planned !== undefined && attempt.outputs !== undefined);
    const outputs = { ...nullOutputs(outputNames(step)), ...(ran ? attempt.outputs : {}) };
    scope.steps[step.id] = { status: attempt.status, output: outputs };
    steps.push(result);
    if (journal) {
      const checkpoint = finishedCheckpoint(step, result, outputs, redactor);
      await journal.save(step.id, checkpoint);
      if (checkpoint.secrets) sealed.set(step.id, checkpoint);
    }
    if (attempt.status === "failed" && !step.continueOnError) break;
  }
  if (journal && sealed.size > 0 && secretsDelivered(intent.plan.steps, steps)) await forgetSecrets(journal, sealed);
  return finishRun(intent, scope, steps, redactor, mode);
}

/** Every step that needed a sealed secret has it: the checkpoints are saved again without it. */
async function forgetSecrets(journal: RunJournal, sealed: Map<string, StepCheckpoint>): Promise<void> {
  for (const [stepId, { secrets: _secrets, ...kept }] of sealed) await journal.save(stepId, kept);
}
