/**
 * Ajv validation against schemas/intent.schema.json, the same file editors and CI use. Each error
 * is located at the offending node; an unknown key lists the keys allowed there.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import intentSchema from "../../../schemas/intent.schema.json";
import type { Diagnostic } from "../../core/step-kind";
import type { DocPath, SourceFile } from "./source";

export const SUPPORTED_API_VERSION = "intents/v1";

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
addFormats(ajv);
const validateIntent = ajv.compile(intentSchema);

// Ajv caches by object identity; equal schemas in many intents (or in lint then compile) share one.
const compiled = new Map<string, ValidateFunction>();

/** Compiles a JSON Schema (an intent's `validation`, a kind's input) with the shared Ajv instance, formats included. */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
  return validate;
}

export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((part) => {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

function describe(error: ErrorObject): { path: DocPath; key: boolean; message: string } {
  const path = pointerToPath(error.instancePath);
  const where = path.length > 0 ? path.join(".") : "the intent";
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
    return { path: [...path, extra], key: true, message: `unknown key "${extra}" in ${where}; allowed: ${allowed.join(", ")}` };
  }
  if (error.keyword === "required") {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { path, key: false, message: `${where} is missing required key "${missing}"` };
  }
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ");
    return { path, key: false, message: `${where} must be one of: ${allowed}` };
  }
  if (error.keyword === "propertyNames") return { path, key: false, message: `${where} has an invalid key name` };
  if (error.keyword === "pattern" && error.propertyName === undefined && path.length > 0) {
    return { path, key: false, message: `${where} must match ${(error.params as { pattern: string }).pattern}` };
  }
  return { path, key: false, message: `${where} ${error.message ?? "is invalid"}` };
}

export function validateAgainstSchema(source: SourceFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!validateIntent(source.value)) {
    for (const error of validateIntent.errors ?? []) {
      // propertyNames reports once for the name and once for the map; the name is enough.
      if (error.keyword === "pattern" && error.propertyName !== undefined) continue;
      const { path, key, message } = describe(error);
      const { line, col } = source.locate(path, key);
      diagnostics.push({ code: "SPEC_SCHEMA", message, file: source.file, line, col, path: path.join(".") });
    }
  }
  const apiVersion = (source.value as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === "string" && apiVersion !== SUPPORTED_API_VERSION) {
    const { line, col } = source.locate(["apiVersion"]);
    diagnostics.push({ code: "SPEC_API_VERSION", message: `apiVersion "${apiVersion}" is not supported; use ${SUPPORTED_API_VERSION}`, file: source.file, line, col });
  }
  return diagnostics;
}
