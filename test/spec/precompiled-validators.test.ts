/**
 * The validators the build generates (Ajv standalone code) must judge exactly as Ajv compiling the
 * same schema at run time would: same verdict, same errors, same defaults filled in.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readFileSync } from "node:fs";
import policySchema from "../../schemas/policy.schema.json";
import webhookSchema from "../../schemas/webhook.schema.json";
import { builtinKindSpecs } from "../../engine/kinds";
import { AJV_FLAVOURS, type AjvFlavour } from "../../engine/language/spec/ajv-flavours";
import { DEFAULT_INTENTS_DIR } from "../../engine/language/spec/catalog";
import { formatSchema } from "../../engine/language/spec/fields";
import { runtimeSchemas, writePrecompiledValidators } from "../../engine/language/spec/precompile";
import { validatorsIn, type ValidatorLookup } from "../../engine/language/spec/precompiled-validators";
import { createSnapshot } from "../../engine/language/spec/snapshot-write";
import type { IntentSpec } from "../../engine/language/spec/types";

const ROOT = join(__dirname, "..", "..");
let specs: IntentSpec[] = [];
let lookup: ValidatorLookup;
let dir = "";

function compiled(flavour: AjvFlavour, schema: object): ValidateFunction {
  const ajv = new Ajv({ ...AJV_FLAVOURS[flavour] });
  if (flavour === "intent") addFormats(ajv);
  return ajv.compile(schema);
}

/** Verdict, errors (without the schema objects verbose mode attaches) and the data after validation. */
function judge(validate: ValidateFunction, data: unknown): unknown {
  const copy = structuredClone(data);
  const valid = validate(copy);
  const errors = (validate.errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
  return { valid, errors, copy };
}

beforeAll(() => {
  const outcome = createSnapshot(builtinKindSpecs(), DEFAULT_INTENTS_DIR, "test");
  if (!("snapshot" in outcome)) throw new Error("the shipped intents do not validate");
  specs = outcome.snapshot.intents.map((intent) => intent.spec);
  // Inside the checkout, so the generated code's requires of ajv's runtime resolve as they do in dist/.
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "validators-"));
  expect(writePrecompiledValidators(dir, runtimeSchemas(builtinKindSpecs(), specs))).toBeGreaterThan(10);
  lookup = validatorsIn(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("precompiled validators", () => {
  it("judge webhook bodies as Ajv does, defaults filled in alike", () => {
    const built = lookup("webhook", webhookSchema) as ValidateFunction;
    expect(built).toBeTypeOf("function");
    const runtime = compiled("webhook", webhookSchema);
    const bodies: unknown[] = [
      { intent_name: "Revoke Sessions", intent_fields: { "User Email": "a@b.c" }, meta_data: { ticket_id: 1 } },
      { intent_name: "Revoke Sessions", intent_fields: { "User Email": ["x", ["nested"]] }, meta_data: {} },
      { intent_name: "", intent_fields: { long: "x".repeat(20_000) }, meta_data: { ticket_id: "12a" } },
      { intent_fields: null },
      "not an object",
    ];
    for (const body of bodies) expect(judge(built, body)).toEqual(judge(runtime, body));
  });

  it("judge every step kind's input, as written in the shipped intents and empty, as Ajv does", () => {
    const kinds = builtinKindSpecs();
    let checked = 0;
    for (const id of kinds.ids()) {
      const schema = kinds.find(id)!.inputSchema;
      const built = lookup("intent", schema) as ValidateFunction;
      expect(built, id).toBeTypeOf("function");
      const runtime = compiled("intent", schema);
      const inputs = [{}, ...specs.flatMap((spec) => spec.steps.filter((step) => step.kind === id).map((step) => step.with ?? {}))];
      for (const input of inputs) expect(judge(built, input), id).toEqual(judge(runtime, input));
      checked += inputs.length;
    }
    expect(checked).toBeGreaterThan(kinds.ids().length);
  });

  it("judge the intents' own schemas and field formats as Ajv does", () => {
    const withSchema = specs.filter((spec) => spec.validation);
    expect(withSchema.length).toBeGreaterThan(0);
    for (const spec of withSchema) {
      const built = lookup("intent", spec.validation!) as ValidateFunction;
      const runtime = compiled("intent", spec.validation!);
      for (const fields of [{}, Object.fromEntries(Object.keys(spec.fields).map((name) => [name, "x"]))]) expect(judge(built, fields), spec.name).toEqual(judge(runtime, fields));
    }
    const email = lookup("intent", formatSchema("email")) as ValidateFunction;
    expect([email("adele.vance@contoso.com"), email("not an address")]).toEqual([true, false]);
  });

  it("judge policy files as Ajv does", () => {
    const built = lookup("intent", policySchema) as ValidateFunction;
    expect(built).toBeTypeOf("function");
    const runtime = compiled("intent", policySchema);
    const demo = parseYaml(readFileSync(join(ROOT, "sandbox", "fixtures", "demo-policy.yaml"), "utf8")) as Record<string, unknown>;
    const documents: unknown[] = [
      demo,
      { ...demo, rules: { destructive: { requesters: [{ group: "not-a-guid" }], admit: ["nobody"] } } },
      { ...demo, protected: { accounts: [42], exemptRoles: ["x"] } },
      { apiVersion: "intents/v1", kind: "Policy" },
      {},
    ];
    expect(judge(runtime, demo)).toMatchObject({ valid: true });
    for (const document of documents) expect(judge(built, document)).toEqual(judge(runtime, document));
  });

  it("find nothing for a schema they were not made from", () => {
    expect(lookup("intent", { type: "string", minLength: 3 })).toBeUndefined();
    expect(validatorsIn(join(tmpdir(), "no-such-folder"))("webhook", webhookSchema)).toBeUndefined();
  });
});

describe("the built webhook parser", () => {
  it("validates without loading Ajv's compiler", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { compiledIsCurrent } = require(join(ROOT, "bin", "compiled.cjs")) as { compiledIsCurrent(): boolean };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!compiledIsCurrent()) (require(join(ROOT, "scripts", "build.cjs")) as { build(): number }).build();
    const probe = [
      'const { parseWebhook } = require("./dist/engine/inbound/webhook/webhook.js");',
      'parseWebhook(Buffer.from(JSON.stringify({ intent_name: "X", intent_fields: {}, meta_data: { ticket_id: 1 } })));',
      'process.stdout.write(String(Object.keys(require.cache).some((path) => /[\\\\/]ajv[\\\\/]dist[\\\\/]compile[\\\\/]/.test(path))));',
    ].join("\n");
    expect(execFileSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } })).toBe("false");
  }, 120_000);

  it("loads a deployment's policy file without loading Ajv's compiler", () => {
    const probe = [
      'const { loadDeploymentPolicy } = require("./dist/engine/language/policy/load.js");',
      'const policy = loadDeploymentPolicy("sandbox/fixtures/demo-policy.yaml", true);',
      'if (!policy.rules.destructive) throw new Error("no destructive rule");',
      'process.stdout.write(String(Object.keys(require.cache).some((path) => /[\\/]ajv[\\/]dist[\\/]compile[\\/]/.test(path))));',
    ].join("\n");
    expect(execFileSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } })).toBe("false");
  }, 120_000);
});
