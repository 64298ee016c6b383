/** Renders a step's input and checks it against its kind's input schema before any side effect. */
import type { ValidateFunction } from "ajv";
import { IntentError } from "../errors";
import type { CompiledStep } from "../spec/types";
import { compileSchema } from "../spec/validate";
import type { StepKind } from "../steps/types";
import { renderTree } from "../template/tree";

const validators = new WeakMap<StepKind, ValidateFunction>();

export function renderInput(step: CompiledStep, scope: object): unknown {
  const input = renderTree(step.with, scope);
  let validate = validators.get(step.kind);
  if (!validate) validators.set(step.kind, (validate = compileSchema(step.kind.inputSchema)));
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "input"} ${e.message ?? "is invalid"}`);
    throw new IntentError("STEP_INPUT_INVALID", `Step "${step.id}" input is invalid: ${problems.join("; ")}.`);
  }
  return input;
}
