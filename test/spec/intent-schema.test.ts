/**
 * schemas/intent.schema.json publishes each kind's `with:` (generated from the kinds' input
 * schemas by `npm run build:schema`), so an editor checks a step's input as it is typed.
 */
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtinKindSpecs } from "../../engine/kinds";
import { formatJson } from "../../engine/tooling/schema/format-json";
import { generateIntentSchema } from "../../engine/tooling/schema/intent-schema";

const ROOT = join(__dirname, "..", "..");
const path = join(ROOT, "schemas", "intent.schema.json");
const text = readFileSync(path, "utf8");
const schema = JSON.parse(text) as Record<string, unknown>;

function editorValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** A shipped intent with these steps in place of its own. */
function intent(steps: unknown[]): unknown {
  const shipped = parse(readFileSync(join(ROOT, "intents", "revoke-sessions.yaml"), "utf8")) as Record<string, unknown>;
  return { ...shipped, steps };
}

describe("the published intent schema", () => {
  it("holds every registered kind's input as the kinds define it (npm run build:schema rewrites it)", () => {
    expect(text).toBe(formatJson(generateIntentSchema(schema, builtinKindSpecs().list())));
  });

  it("accepts every shipped intent as written (templates at typed values, library requests)", () => {
    const validate = editorValidator();
    const dir = join(ROOT, "intents");
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".yaml"))) {
      const value = parse(readFileSync(join(dir, file), "utf8")) as unknown;
      expect(validate(value) ? [] : validate.errors, file).toEqual([]);
    }
  });

  it("refuses a step input its kind refuses, so the editor marks it as it is typed", () => {
    const validate = editorValidator();
    const ok = { id: "read", kind: "graph:request", with: { method: "GET", path: "/users/{id}", params: { id: "{{fields.user}}" } } };
    expect(validate(intent([ok])), JSON.stringify(validate.errors)).toBe(true);
    const badMethod = { ...ok, with: { ...ok.with, method: "FETCH" } };
    expect(validate(intent([badMethod]))).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === "/steps/0/with/method")).toBe(true);
    const unknownKey = { ...ok, with: { ...ok.with, bodyy: {} } };
    expect(validate(intent([unknownKey]))).toBe(false);
    const templatedLength = { id: "pw", kind: "secret:generate", with: { length: "{{fields.length}}" } };
    expect(validate(intent([templatedLength])), JSON.stringify(validate.errors)).toBe(true);
    const shortLength = { id: "pw", kind: "secret:generate", with: { length: 4 } };
    expect(validate(intent([shortLength]))).toBe(false);
  });
});
