/**
 * Ajv validation against schemas/intent.schema.json, the same file editors and CI use. Each error
 * is located at the offending node; an unknown key lists the keys allowed there.
 */
import type Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import intentSchema from "../../../schemas/intent.schema.json";
import type { ErrorCode } from "../../core/errors";
import type { Diagnostic } from "../../core/step-kind";
import type { DocPath, SourceFile } from "./source";
import { AJV_FLAVOURS } from "./ajv-flavours";
import { precompiledValidator } from "./precompiled-validators";

export const SUPPORTED_API_VERSION = "intents/v1";

/** A requester entry of a policy rule (intent and policy schemas) that fits none of its forms. */
export function requesterWording(where: string, instancePath: string): string | undefined {
  if (!/\/requesters\/\d+$/.test(instancePath)) return undefined;
  return `${where} is not a requester: use self, manager, anyone, {manager: N or max}, {group: <object id>} or {address: <email>}`;
}

// Made on first use: a process starting from the catalogue snapshot never validates an intent file.
let ajv: Ajv | undefined;
let validateIntent: ValidateFunction | undefined;

function intentValidator(): ValidateFunction {
  validateIntent ??= sharedAjv().compile(withoutStepInputs(intentSchema));
  return validateIntent;
}

// Loaded only to compile: a built app validates with the build's precompiled validators.
function sharedAjv(): Ajv {
  if (!ajv) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: AjvClass } = require("ajv") as typeof import("ajv");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
    ajv = new AjvClass({ ...AJV_FLAVOURS.intent });
    addFormats(ajv);
  }
  return ajv;
}

/**
 * The intent schema without its generated parts (each kind's `with:`, published for editors): the
 * loader checks a step's input against its kind itself, once fragments are resolved, with the
 * kind's own wording (SPEC_STEP_INPUT), and is spared compiling every kind's schema at start.
 */
export function withoutStepInputs(schema: typeof intentSchema): object {
  const definitions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema.definitions)) {
    if (key.startsWith("with:")) continue;
    if (key !== "step") definitions[key] = value;
    else {
      const { allOf: _generated, ...step } = value as Record<string, unknown>;
      definitions[key] = step;
    }
  }
  return { ...schema, definitions };
}

// Ajv caches by object identity; equal schemas in many intents (or in lint then compile) share one.
const compiled = new Map<string, ValidateFunction>();

/** Compiles a JSON Schema (an intent's `validation`, a kind's input) with the shared Ajv instance, formats included. */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = (precompiledValidator("intent", schema) as ValidateFunction | undefined) ?? sharedAjv().compile(schema)));
  return validate;
}

export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((part) => {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

/**
 * How a file's schema errors read: what the root is called, and a sentence for a `oneOf` (by the
 * JSON pointer of the value) that no branch matched; undefined keeps Ajv's errors of each branch.
 */
export interface SchemaWording {
  root: string;
  oneOf?: (where: string, instancePath: string) => string | undefined;
}

function describe(error: ErrorObject, wording: SchemaWording): { path: DocPath; key: boolean; message: string } {
  const path = pointerToPath(error.instancePath);
  const where = path.length > 0 ? path.join(".") : wording.root;
  const oneOf = error.keyword === "oneOf" ? wording.oneOf?.(where, error.instancePath) : undefined;
  if (oneOf !== undefined) return { path, key: false, message: oneOf };
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

/**
 * A file's schema errors as located diagnostics. Where a worded `oneOf` failed, the errors of its
 * branches are left out: each only says why one alternative did not fit.
 */
export function schemaDiagnostics(validate: ValidateFunction, source: SourceFile, code: ErrorCode, wording: SchemaWording): Diagnostic[] {
  if (validate(source.value)) return [];
  const errors = validate.errors ?? [];
  const worded = errors.filter((e) => e.keyword === "oneOf" && wording.oneOf?.("", e.instancePath) !== undefined);
  const oneOfAt = worded.map((e) => e.instancePath);
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    // propertyNames reports once for the name and once for the map; the name is enough.
    if (error.keyword === "pattern" && error.propertyName !== undefined) continue;
    if (error.keyword !== "oneOf" && oneOfAt.some((at) => error.instancePath === at || error.instancePath.startsWith(`${at}/`))) continue;
    const { path, key, message } = describe(error, wording);
    const { line, col } = source.locate(path, key);
    diagnostics.push({ code, message, file: source.file, line, col, path: path.join(".") });
  }
  return diagnostics;
}

export function validateAgainstSchema(source: SourceFile): Diagnostic[] {
  const diagnostics = schemaDiagnostics(intentValidator(), source, "SPEC_SCHEMA", { root: "the intent", oneOf: requesterWording });
  const apiVersion = (source.value as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === "string" && apiVersion !== SUPPORTED_API_VERSION) {
    const { line, col } = source.locate(["apiVersion"]);
    diagnostics.push({ code: "SPEC_API_VERSION", message: `apiVersion "${apiVersion}" is not supported; use ${SUPPORTED_API_VERSION}`, file: source.file, line, col });
  }
  return diagnostics;
}

// Errors that name a container (something missing from it, too few items, no alternative chosen):
// the container stays, the rest of it is still worth checking.
const CONTAINER_KEYWORDS = new Set(["required", "minItems", "minProperties", "anyOf", "oneOf", "if", "dependencies"]);

/**
 * The intent with every value its schema refuses taken out (an unknown key, a value of the wrong
 * type or outside its enum), so the semantic checks can still run over the rest and report their
 * problems beside the schema's: one schema error never hides the others.
 */
export function withoutSchemaErrors(value: unknown): unknown {
  const validateIntent = intentValidator();
  if (validateIntent(value)) return value;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  for (const error of validateIntent.errors ?? []) {
    // An error inside one alternative of a oneOf/anyOf says why that alternative did not fit; the
    // value may be meant as another, so it stays.
    if (CONTAINER_KEYWORDS.has(error.keyword) || /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) continue;
    const path = pointerToPath(error.instancePath);
    if (error.keyword === "additionalProperties") path.push(String((error.params as { additionalProperty: string }).additionalProperty));
    if (error.keyword === "propertyNames" || (error.keyword === "pattern" && error.propertyName !== undefined)) path.push(String(error.propertyName));
    if (path.length === 0) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), copy);
    if (parent === null || typeof parent !== "object") continue;
    const last = path[path.length - 1]!;
    // An array item becomes null rather than shifting its neighbours away from their lines.
    if (Array.isArray(parent)) parent[last as number] = null;
    else delete (parent as Record<string, unknown>)[String(last)];
  }
  return copy;
}
