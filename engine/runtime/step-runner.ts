/**
 * Runs one step once: render, validate, (in dry-run) plan instead of sending a write, call the
 * kind (sleeping on the clock while it is pending and the deadline allows), decide the outcome
 * and render outputs. Returns unmasked outputs for later templates; the caller masks the result.
 */
import { ensureIntentError, IntentError } from "../core/errors";
import type { CompiledStep } from "../language/spec/types";
import type { KindAnswer, StepKind, StepRunContext } from "../core/step-kind";
import { placeholder } from "../core/placeholder";
import { decide, type Decision } from "./outcomes";
import type { Redactor } from "../core/redaction";
import { scopeWith } from "./scope";
import { renderInput } from "./step-input";
import { withStepTimeout } from "./step-timeout";
import type { EngineServices, ReportedError, RunMode } from "./types";

export interface StepAttempt {
  status: Decision["status"] | "skipped";
  attempts: number;
  outputs?: Record<string, unknown>;
  error?: ReportedError;
  planned?: unknown;
  /** Live runs: what the kind was asked to send, described as `intents plan` shows it (masked by the caller). */
  request?: unknown;
  /** The kind is still working and the deadline does not allow waiting: suspend the run. */
  suspend?: { resumeAfterMs: number; state: unknown };
}

export interface StepEnv {
  services: EngineServices;
  runId: string;
  mode: RunMode;
  deadline?: number;
  /** `intents plan` without a tenant: reads are planned too, their outputs shown as placeholders. */
  offline?: boolean;
  state?: unknown;
  /** The run's redactor: secret outputs are added as soon as they exist. */
  secrets: Pick<Redactor, "add">;
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
  };
}

async function callKind(step: CompiledStep, input: unknown, env: StepEnv): Promise<KindAnswer | { suspend: StepAttempt["suspend"] }> {
  const kind = runnableKind(step, env);
  let state = env.state;
  for (;;) {
    const answer = await withStepTimeout(step, (signal) => kind.run(input, kindContext(step, env, state, signal)));
    if (!answer.pending) return answer;
    const wakeAt = env.services.clock.now() + answer.pending.resumeAfterMs;
    if (env.deadline !== undefined && wakeAt > env.deadline) return { suspend: answer.pending };
    await env.services.clock.sleep(answer.pending.resumeAfterMs);
    state = answer.pending.state;
  }
}

/** Declared secret outputs exist only once rendered; they are known to the redactor before any result is recorded. */
export function registerSecretOutputs(step: CompiledStep, outputs: Record<string, unknown>, env: StepEnv): void {
  for (const [name, value] of Object.entries(outputs)) if (step.secretOutputs.has(name)) env.secrets.add(value);
}

/** Decides and renders outputs for an answer the kind gave. */
export function settle(step: CompiledStep, answer: KindAnswer, readOnly: boolean, scope: object, env: StepEnv): StepAttempt {
  registerSecretOutputs(step, answer.outputs ?? {}, env);
  const answered = scopeWith(scope, "response", answer.response);
  // Outcomes that read the step's own outputs see them rendered from this answer; one that cannot
  // render from it (an error answer) reads as null there, and renders again below on success.
  const early = step.outcomesReadOutput ? renderOutputs(step, answered, true) : undefined;
  if (early) registerSecretOutputs(step, early, env);
  const decision = decide(step.outcomes, step.kind.classify(answer.response), readOnly, early ? scopeWith(answered, "output", early) : answered);
  if (decision.status === "failed") return { status: "failed", attempts: answer.attempts, ...(decision.error ? { error: decision.error } : {}) };
  const outputs: Record<string, unknown> = { ...answer.outputs, ...(early && !Object.values(early).includes(null) ? early : renderOutputs(step, answered, false)) };
  registerSecretOutputs(step, outputs, env);
  return { status: decision.status, attempts: answer.attempts, outputs };
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

export async function runStepOnce(step: CompiledStep, scope: object, env: StepEnv): Promise<StepAttempt> {
  let request: unknown;
  try {
    const input = renderInput(step, scope);
    const readOnly = step.kind.isReadOnly(input);
    // Offline, what a planned write would answer (a new user's id) stands in for later steps.
    if (env.mode === "dry-run" && !readOnly) return { status: "skipped", attempts: 0, planned: step.kind.describe(input), ...(env.offline ? { outputs: placeholderOutputs(step) } : {}) };
    if (env.offline) return { status: "ok", attempts: 0, planned: step.kind.describe(input), outputs: placeholderOutputs(step) };
    if (env.mode === "live") request = step.kind.describe(input);
    const answer = await callKind(step, input, env);
    if ("suspend" in answer) return { status: "skipped", attempts: 1, suspend: answer.suspend, request };
    return { ...settle(step, answer, readOnly, scope, env), request };
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    return { status: "failed", attempts: 1, error: reportedError(error), ...(request === undefined ? {} : { request }) };
  }
}
