/**
 * The step inputs of schemas/intent.schema.json, generated from the registered kinds' input
 * schemas so an editor checks `with:` as it is typed: for each kind, `if kind is K then with is
 * K's input`. What an intent may write but the rendered input never holds is allowed too: a
 * template where a typed value goes (checked after rendering, at run time) and a library request
 * `{ use, inputs }` where a Graph request goes (resolved at load). The rest of the file is written
 * by hand; `npm run build:schema` rewrites only the generated parts, and a test keeps them current.
 */
import type { StepKindSpec } from "../../core/step-kind";

type Schema = Record<string, unknown>;

/** A `{{…}}` string: what an intent writes where the rendered value must be a number, a list, one of a set, … */
const TEMPLATE: Schema = { type: "string", pattern: "\\{\\{", description: "A template, checked once rendered." };
const FRAGMENT_USE: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["use"],
  properties: { use: { type: "string", pattern: "^[a-z][a-zA-Z0-9]*$" }, inputs: { type: "object" } },
  description: "A request fragment from a library: { use: NAME, inputs: { … } }.",
};

const GENERATED_PREFIX = "with:";

function isObjectSchema(schema: Schema): boolean {
  return schema.type === "object" || typeof schema.properties === "object";
}

function acceptsAnyString(schema: Schema): boolean {
  const type = schema.type;
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  // A template is never empty, so a minimum length of a few characters holds for it too.
  return types.includes("string") && schema.pattern === undefined && schema.enum === undefined && schema.const === undefined && (typeof schema.minLength !== "number" || schema.minLength <= 5);
}

/** The kind's input schema as an intent is written: templates allowed at typed leaves, fragments where a request goes. */
export function writtenInputSchema(schema: Schema): Schema {
  if (isObjectSchema(schema)) {
    const out: Schema = { ...schema };
    if (schema.properties && typeof schema.properties === "object") {
      out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([key, child]) => [key, writtenInputSchema(child)]));
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") out.additionalProperties = writtenInputSchema(schema.additionalProperties as Schema);
    // A Graph request: its place may hold a library request instead.
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    if ("path" in properties && "params" in properties) return { anyOf: [out, FRAGMENT_USE] };
    // Rendered, a template may be a whole object (`params: "{{…}}"` is rare, but the runtime allows it).
    return out;
  }
  if (schema.anyOf || schema.oneOf) {
    // One list of alternatives, the template among them once (for a oneOf too: a template is none of the others).
    const key = schema.anyOf ? "anyOf" : "oneOf";
    const alternatives = (schema[key] as Schema[]).map(writtenInputSchema).flatMap((branch) => (Object.keys(branch).length === 1 && Array.isArray(branch.anyOf) ? (branch.anyOf as Schema[]) : [branch]));
    const unique = alternatives.filter((branch) => branch !== TEMPLATE);
    return { ...schema, [key]: [...unique, TEMPLATE] };
  }
  if (schema.type === "array" && schema.items && typeof schema.items === "object") {
    return { anyOf: [{ ...schema, items: writtenInputSchema(schema.items as Schema) }, TEMPLATE] };
  }
  if (Object.keys(schema).length === 0 || acceptsAnyString(schema)) return schema;
  return { anyOf: [schema, TEMPLATE] };
}

/** The base schema with its generated parts (step inputs per kind) made from these kinds. */
export function generateIntentSchema(base: Schema, kinds: readonly StepKindSpec[]): Schema {
  const definitions = { ...(base.definitions as Record<string, Schema>) };
  for (const key of Object.keys(definitions)) if (key.startsWith(GENERATED_PREFIX)) delete definitions[key];
  const sorted = [...kinds].sort((a, b) => a.id.localeCompare(b.id));
  for (const kind of sorted) {
    definitions[`${GENERATED_PREFIX}${kind.id}`] = { description: `The input of ${kind.id}: ${kind.description}`, ...writtenInputSchema(kind.inputSchema) };
  }
  const step = { ...definitions.step };
  step.allOf = sorted.map((kind) => ({
    if: { properties: { kind: { const: kind.id } }, required: ["kind"] },
    then: { properties: { with: { $ref: `#/definitions/${GENERATED_PREFIX}${kind.id}` } } },
  }));
  definitions.step = step;
  return { ...base, definitions };
}
