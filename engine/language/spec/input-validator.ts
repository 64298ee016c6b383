/** One compiled Ajv validator per step kind's input schema, shared by the linter and the runtime. */
import type { ValidateFunction } from "ajv";
import { compileSchema } from "./validate";
import type { StepKindSpec } from "../../core/step-kind";

const validators = new WeakMap<StepKindSpec, ValidateFunction>();

export function inputValidator(kind: StepKindSpec): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) validators.set(kind, (validate = compileSchema(kind.inputSchema)));
  return validate;
}
