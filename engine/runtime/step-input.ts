/** Renders a step's input and checks it against its kind's input schema before any side effect. */
import { IntentError } from "../core/errors";
import type { CompiledStep } from "../language/spec/types";
import { inputValidator } from "../language/spec/input-validator";
import { renderTree, type TemplateTree } from "../language/template/tree";

export function renderInput(step: CompiledStep, scope: object): unknown {
  return renderWith(step, undefined, scope);
}

/** The step's `with`, or another request of its kind (`tree`, e.g. `adopt.find`), rendered and checked. */
export function renderWith(step: CompiledStep, tree: TemplateTree | undefined, scope: object): unknown {
  const input = renderTree(tree ?? step.with, scope);
  const validate = inputValidator(step.kind);
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "input"} ${e.message ?? "is invalid"}`);
    throw new IntentError("STEP_INPUT_INVALID", `Step "${step.id}" input is invalid: ${problems.join("; ")}.`);
  }
  return input;
}
