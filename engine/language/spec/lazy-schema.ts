/**
 * An intent's `validation` schema, compiled by Ajv on its first use: loading the catalogue (at
 * every cold start) then generates no validator for an intent that may never run.
 */
import type { ValidateFunction } from "ajv";
import { compileSchema } from "./validate";

export function lazySchema(schema: object): () => ValidateFunction {
  let validate: ValidateFunction | undefined;
  return () => (validate ??= compileSchema(schema));
}
