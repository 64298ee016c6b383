/** Renders a step's input and checks it against its kind's input schema before any side effect. */
import { IntentError } from "../core/errors";
import type { CompiledStep } from "../language/spec/types";
import { inputValidator } from "../language/spec/input-validator";
import { renderTree } from "../language/template/tree";

export function renderInput(step: CompiledStep, scope: object): unknown {
  const input = renderTree(step.with, scope);
  const validate = inputValidator(step.kind);
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "input"} ${e.message ?? "is invalid"}`);
    throw new IntentError("STEP_INPUT_INVALID", `Step "${step.id}" input is invalid: ${problems.join("; ")}.`);
  }
  return input;
}
