/**
 * A for-each step: one input per item of a list. Graph kinds send them through `$batch`
 * (runMany); each item gets its own outcome. Pending answers are not supported here.
 */
import { ensureIntentError, IntentError } from "../core/errors";
import { isPlaceholderText, placeholder } from "../core/placeholder";
import type { CompiledStep } from "../language/spec/types";
import type { KindAnswer, StepKind, StepRunContext } from "../core/step-kind";
import { scopeWith } from "./scope";
import { renderInput } from "./step-input";
import { deferred, kindContext, placeholderOutputs, registerSecretOutputs, reportedError, runnableKind, settle, type StepAttempt, type StepEnv } from "./step-runner";
import { withStepTimeout } from "./step-timeout";

export type ItemAttempt = Omit<StepAttempt, "suspend">;

/** One `$batch` round trip per 20 items where the kind can, else one call per item, in order. */
async function runItems(kind: StepKind, inputs: unknown[], ctx: StepRunContext): Promise<KindAnswer[]> {
  if (kind.runMany && inputs.length > 1) return kind.runMany(inputs, ctx);
  const answers: KindAnswer[] = [];
  for (const input of inputs) answers.push(await kind.run(input, ctx));
  return answers;
}

export async function runForEach(step: CompiledStep, scope: object, env: StepEnv): Promise<StepAttempt & { items?: ItemAttempt[] }> {
  let request: unknown;
  try {
    const rendered = step.forEach?.render(scope);
    // Offline, a list only a read would know is planned as one item standing for each of them.
    const list = env.offline && typeof rendered === "string" && isPlaceholderText(rendered) ? [placeholder(`${rendered.slice(1, -1)}[*]`)] : rendered;
    if (!Array.isArray(list)) throw new IntentError("STEP_INPUT_INVALID", `Step "${step.id}" forEach did not produce a list.`);
    const scopes = list.map((item: unknown) => scopeWith(scope, step.as, item));
    const inputs = scopes.map((itemScope) => renderInput(step, itemScope));
    const readOnly = inputs.every((input) => step.kind.isReadOnly(input));
    if ((env.mode === "dry-run" && !readOnly) || env.offline) {
      return { status: readOnly ? "ok" : "skipped", attempts: 0, planned: inputs.map((input) => step.kind.describe(input)), outputs: env.offline ? placeholderOutputs(step) : {} };
    }
    const kind = runnableKind(step, env);
    if (env.mode === "live") request = inputs.map((input) => step.kind.describe(input));
    const answers = await withStepTimeout(step, (signal) => runItems(kind, inputs, kindContext(step, env, undefined, signal)));
    if (answers.some((answer) => answer.pending)) {
      throw new IntentError("STEP_FAILED", `Step "${step.id}": a kind that answers pending cannot run in a for-each.`);
    }
    const items = answers.map((answer, i) => settle(step, answer, readOnly, scopes[i] ?? scope, env));
    const failed = items.find((item) => item.status === "failed");
    const status = failed ? "failed" : items.some((item) => item.status === "changed") ? "changed" : "ok";
    const response = answers.map((answer) => answer.response);
    const outputs = failed ? undefined : Object.fromEntries(step.outputs.map(([name, t]) => [name, t.render(scopeWith(scope, "response", response))]));
    if (outputs) registerSecretOutputs(step, outputs, env);
    return {
      status,
      attempts: Math.max(0, ...items.map((item) => item.attempts)),
      items,
      ...(outputs ? { outputs } : {}),
      ...(failed?.error ? { error: failed.error } : {}),
      ...(request === undefined ? {} : { request }),
      ...(items.some((item) => item.answerLost) ? { answerLost: true } : {}),
    };
  } catch (thrown) {
    const later = deferred(thrown, env);
    if (later) return later;
    const error = ensureIntentError(thrown);
    return { status: "failed", attempts: 1, error: reportedError(error), ...(request === undefined ? {} : { request }) };
  }
}
