/** One compiled Ajv validator per step kind's input schema, shared by the linter and the runtime. */
import type { ValidateFunction } from "ajv";
import { compileSchema } from "./validate";
import type { StepKind } from "../../core/step-kind";

const validators = new WeakMap<StepKind, ValidateFunction>();

export function inputValidator(kind: StepKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) validators.set(kind, (validate = compileSchema(kind.inputSchema)));
  return validate;
}
