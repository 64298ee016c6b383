/**
 * Runs one step once: render, validate, (in dry-run) plan instead of sending a write, call the
 * kind (sleeping on the clock while it is pending and the deadline allows), adopt what a lost
 * create made, decide the outcome and render outputs. Returns unmasked outputs for later
 * templates; the caller masks the result.
 */
import { ensureIntentError, IntentError } from "../core/errors";
import type { CompiledStep } from "../language/spec/types";
import type { KindAnswer, StepKind, StepRunContext } from "../core/step-kind";
import { placeholder } from "../core/placeholder";
import { adoptOrRetry } from "./adopt";
import { nextDelivery } from "./delivery";
import { decide, type Decision } from "./outcomes";
import type { Redactor } from "../core/redaction";
import { scopeWith } from "./scope";
import type { SendAlong, SentAlong } from "./sent-along";
import { renderInput } from "./step-input";
import { withStepTimeout } from "./step-timeout";
import type { DeliveryRetry, EngineServices, ReportedError, RunMode } from "./types";

export interface StepAttempt {
  status: Decision["status"] | "skipped";
  attempts: number;
  outputs?: Record<string, unknown>;
  error?: ReportedError;
  planned?: unknown;
  /** Live runs: what the kind was asked to send, described as `intents plan` shows it (masked by the caller). */
  request?: unknown;
  /** Its first answer was lost and the resend found it already so (StepResult.answerLost). */
  answerLost?: boolean;
  /** Offline plans: the step's condition, which reads what only the tenant would answer (planned as though it held). */
  plannedIf?: string;
  /**
   * Suspend the run here: the kind is still working and the deadline does not allow waiting
   * (`state`), a delivery waits to be tried again (`retry`), or the step could not start within the
   * budget and sent nothing (`deferred`: nothing to save, the step simply runs again).
   */
  suspend?: { resumeAfterMs: number; state: unknown; retry?: DeliveryRetry; deferred?: boolean };
}

export interface StepEnv {
  services: EngineServices;
  runId: string;
  mode: RunMode;
  deadline?: number;
  /** `intents plan` without a tenant: reads are planned too, their outputs shown as placeholders. */
  offline?: boolean;
  state?: unknown;
  /** Failed deliveries of this step so far, restored from its checkpoint. */
  retry?: DeliveryRetry;
  /** True when an earlier execution of this run may already have sent this step's write. */
  retrying?: boolean;
  /** The run's redactor: secret outputs are added as soon as they exist. */
  secrets: Pick<Redactor, "add">;
  /** Aborts when the run must stop where it is (its lease was lost). */
  signal?: AbortSignal;
  /** Steps' answers read before the run (ExecuteOptions.prefetched). */
  prefetched?: Array<{ stepId: string; answer: KindAnswer }>;
  /** The delivery this step's write carries in its `$batch` (./sent-along.ts). */
  along?: SendAlong;
  /** Live runs: answers of deliveries Graph ran in their write's `$batch`, by step id. */
  sentAlong?: SentAlong;
}

/** Stand-ins for every output of a step an offline plan does not run. */
export function placeholderOutputs(step: CompiledStep): Record<string, unknown> {
  const names = [...Object.keys(step.kind.outputs ?? {}), ...step.outputs.map(([name]) => name)];
  return Object.fromEntries(names.map((name) => [name, placeholder(`steps.${step.id}.output.${name}`)]));
}

/** The kind that does the step's work: the engine's own, by the id the catalogue compiled. */
export function runnableKind(step: CompiledStep, env: StepEnv): StepKind {
  const kind = env.services.kinds.find(step.kind.id);
  if (!kind) throw new IntentError("INTERNAL", `Step kind ${step.kind.id} is not registered with this engine.`);
  return kind;
}

/**
 * What a kind's `run` sees; `state` is the kind's own, saved by an earlier pending attempt, and
 * `signal` aborts when the step's timeout expires.
 */
export function kindContext(step: CompiledStep, env: StepEnv, state: unknown, signal: AbortSignal): StepRunContext {
  return {
    clock: env.services.clock,
    events: env.services.events,
    runId: env.runId,
    stepId: step.id,
    mode: env.mode,
    signal,
    idempotent: step.idempotent,
    ...(step.timeoutMs === undefined ? {} : { timeoutMs: step.timeoutMs }),
    ...(step.retry === undefined ? {} : { retry: step.retry }),
    ...(state === undefined ? {} : { state }),
    ...(env.deadline === undefined ? {} : { deadline: env.deadline }),
  };
}

async function callKind(step: CompiledStep, input: unknown, env: StepEnv): Promise<KindAnswer | { suspend: StepAttempt["suspend"] }> {
  const kind = runnableKind(step, env);
  if (env.along && kind.runThen && !kind.isReadOnly(input)) return sendThen(step, kind, input, env, env.along);
  let state = env.state;
  for (;;) {
    const answer = await withStepTimeout(step, (signal) => kind.run(input, kindContext(step, env, state, signal)));
    if (!answer.pending) return answer;
    const wakeAt = env.services.clock.now() + answer.pending.resumeAfterMs;
    if (env.deadline !== undefined && wakeAt > env.deadline) return { suspend: answer.pending };
    await env.services.clock.sleep(answer.pending.resumeAfterMs, env.signal);
    state = answer.pending.state;
  }
}

/** The write and the delivery after it in one `$batch`; the delivery keeps Graph's answer when Graph ran it after the write succeeded. */
async function sendThen(step: CompiledStep, kind: StepKind, input: unknown, env: StepEnv, along: SendAlong): Promise<KindAnswer> {
  const { answer, next } = await withStepTimeout(step, (signal) => kind.runThen!(input, along.request, kindContext(step, env, env.state, signal)));
  if (next && kind.classify(answer.response).success) along.ran(next);
  return answer;
}

/** One more request of the step's kind (adoption's look-up, replacement, resend): never pending. */
async function sendOnce(step: CompiledStep, input: unknown, env: StepEnv): Promise<KindAnswer> {
  const kind = runnableKind(step, env);
  const { deadline: _deadline, ...unbounded } = env;
  return withStepTimeout(step, (signal) => kind.run(input, kindContext(step, unbounded, undefined, signal)));
}

/** Declared secret outputs exist only once rendered; they are known to the redactor before any result is recorded. */
export function registerSecretOutputs(step: CompiledStep, outputs: Record<string, unknown>, env: StepEnv): void {
  for (const [name, value] of Object.entries(outputs)) if (step.secretOutputs.has(name)) env.secrets.add(value);
}

/** Decides and renders outputs for an answer the kind gave; an adopted object is what the step made. */
export function settle(step: CompiledStep, answer: KindAnswer, readOnly: boolean, scope: object, env: StepEnv, adopted = false): StepAttempt {
  registerSecretOutputs(step, answer.outputs ?? {}, env);
  const answered = scopeWith(scope, "response", answer.response);
  // Outcomes that read the step's own outputs see them rendered from this answer; one that cannot
  // render from it (an error answer) reads as null there, and renders again below on success.
  const early = step.outcomesReadOutput ? renderOutputs(step, answered, true) : undefined;
  if (early) registerSecretOutputs(step, early, env);
  const decision: Decision = adopted ? { status: "changed" } : decide(step.outcomes, step.kind.classify(answer.response), readOnly, early ? scopeWith(answered, "output", early) : answered);
  if (decision.status === "failed") return { status: "failed", attempts: answer.attempts, ...(decision.error ? { error: decision.error } : {}) };
  // "Already so" to a write resent after its answer was lost: the lost request did it. Recorded as
  // ok, the run's message would say nothing needed changing and its undo would skip the change.
  const answerLost = decision.status === "ok" && !readOnly && answer.afterLostAnswer === true;
  if (answerLost) decision.status = "changed";
  const outputs: Record<string, unknown> = { ...answer.outputs, ...(early && !Object.values(early).includes(null) ? early : renderOutputs(step, answered, false)) };
  registerSecretOutputs(step, outputs, env);
  return { status: decision.status, attempts: answer.attempts, outputs, ...(answerLost ? { answerLost } : {}) };
}

function renderOutputs(step: CompiledStep, answered: object, lenient: boolean): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const [name, template] of step.outputs) {
    try {
      outputs[name] = template.render(answered);
    } catch (thrown) {
      if (!lenient) throw thrown;
      outputs[name] = null;
    }
  }
  return outputs;
}

/** What a run reports of a failure: code, message, fix, and whether trying again may succeed. */
export function reportedError(error: IntentError): ReportedError {
  return { code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}), ...(error.retryable ? { retryable: true } : {}) };
}

/** Nothing was sent: the step could not start within the run's budget, so the run continues later. */
export function deferred(thrown: unknown, env: StepEnv): StepAttempt | undefined {
  if (ensureIntentError(thrown).code !== "BUDGET_DEFERRED") return undefined;
  return { status: "skipped", attempts: 0, suspend: { resumeAfterMs: 0, state: env.state, deferred: true } };
}

/** The kind's answer, or (for a step that adopts) undefined when the kind threw without one. */
async function firstAnswer(step: CompiledStep, input: unknown, env: StepEnv): Promise<KindAnswer | { suspend: StepAttempt["suspend"] } | { lost: IntentError }> {
  try {
    // Read before the run, in requester policy's $batch (ExecuteOptions.prefetched), or sent in
    // the $batch of the write before it (./sent-along.ts).
    const prefetched = env.prefetched?.find((read) => read.stepId === step.id)?.answer ?? env.sentAlong?.get(step.id);
    if (prefetched) return prefetched;
    return await callKind(step, input, env);
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    if (step.adopt && error.outcomeUnknown) return { lost: error };
    throw thrown;
  }
}

async function attemptOnce(step: CompiledStep, scope: object, env: StepEnv, sent: { request?: unknown }): Promise<StepAttempt> {
  const input = renderInput(step, scope);
  const readOnly = step.kind.isReadOnly(input);
  // Offline, what a planned write would answer (a new user's id) stands in for later steps.
  if (env.mode === "dry-run" && !readOnly) return { status: "skipped", attempts: 0, planned: step.kind.describe(input), ...(env.offline ? { outputs: placeholderOutputs(step) } : {}) };
  if (env.offline) return { status: "ok", attempts: 0, planned: step.kind.describe(input), outputs: placeholderOutputs(step) };
  if (env.mode === "live") sent.request = step.kind.describe(input);
  const first = await firstAnswer(step, input, env);
  if ("suspend" in first) return { status: "skipped", attempts: 1, suspend: first.suspend };
  const answer = "lost" in first ? undefined : first;
  if (!step.adopt && answer) return settle(step, answer, readOnly, scope, env);
  const send = (request: unknown) => sendOnce(step, request, env);
  const adopted = await adoptOrRetry({ step, scope, retrying: env.retrying === true, send, resend: () => send(input) }, answer);
  if (adopted) return settle(step, adopted.answer, readOnly, scope, env, adopted.adopted);
  if ("lost" in first) throw first.lost;
  return settle(step, first, readOnly, scope, env);
}

export async function runStepOnce(step: CompiledStep, scope: object, env: StepEnv): Promise<StepAttempt> {
  const sent: { request?: unknown } = {};
  let attempt: StepAttempt;
  try {
    attempt = await attemptOnce(step, scope, env, sent);
  } catch (thrown) {
    const later = deferred(thrown, env);
    if (later) return later;
    attempt = { status: "failed", attempts: 1, error: reportedError(ensureIntentError(thrown)) };
  }
  if (sent.request !== undefined) attempt.request = sent.request;
  return step.delivers && attempt.status === "failed" ? deliveryRetry(attempt, env) : attempt;
}

/** A delivery that failed for a reason that may pass waits to be tried again (see ./delivery.ts). */
function deliveryRetry(attempt: StepAttempt, env: StepEnv): StepAttempt {
  const next = nextDelivery(attempt.error, env.retry, env.services.clock.now());
  if (!next) return attempt;
  env.services.events("delivery.retry", { runId: env.runId, failures: next.retry.failures, resumeAfterMs: next.resumeAfterMs, code: attempt.error?.code });
  return { ...attempt, suspend: { resumeAfterMs: next.resumeAfterMs, state: undefined, retry: next.retry } };
}
