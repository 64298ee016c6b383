/**
 * Build time: Ajv's standalone code for the schemas a running app validates against (the webhook
 * body, each step kind's input, the intents' `validation` schemas and field formats), one CommonJS
 * module per Ajv flavour, each validator exported under its validatorKey.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import addFormats from "ajv-formats";
import type { KindSpecs } from "../../core/step-kind-registry";
import policySchema from "../../../schemas/policy.schema.json";
import webhookSchema from "../../../schemas/webhook.schema.json";
import { AJV_FLAVOURS, WITH_FORMATS, type AjvFlavour } from "./ajv-flavours";
import { formatSchema } from "./fields";
import { validatorKey } from "./precompiled-validators";
import type { IntentSpec } from "./types";

export type SchemasByFlavour = Record<AjvFlavour, object[]>;

/** What the app compiles at run time: the webhook's schema, the kinds' inputs, the deployment's policy file, and the intents' own schemas and formats. */
export function runtimeSchemas(kinds: KindSpecs, intents: readonly IntentSpec[]): SchemasByFlavour {
  const intent: object[] = [...kinds.ids().map((id) => kinds.find(id)!.inputSchema), policySchema];
  for (const spec of intents) {
    if (spec.validation) intent.push(spec.validation);
    for (const field of Object.values(spec.fields)) if (field.format) intent.push(formatSchema(field.format));
  }
  return { intent, webhook: [webhookSchema] };
}

export function standaloneModule(flavour: AjvFlavour, schemas: readonly object[]): string {
  const ajv = new Ajv({ ...AJV_FLAVOURS[flavour], code: { source: true } });
  if (WITH_FORMATS[flavour]) addFormats(ajv);
  const exports: Record<string, string> = {};
  for (const schema of schemas) {
    const key = validatorKey(flavour, schema);
    if (exports[key]) continue;
    // Registered by key alone: an $id in the schema would claim a name another copy also claims.
    const { $id: _id, ...body } = schema as { $id?: string };
    ajv.addSchema(body, key);
    exports[key] = key;
  }
  return standaloneCode(ajv, exports);
}

/** Writes <dir>/<flavour>.js for every flavour, replacing what an earlier build left. */
export function writePrecompiledValidators(dir: string, schemas: SchemasByFlavour): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let count = 0;
  for (const [flavour, list] of Object.entries(schemas) as Array<[AjvFlavour, object[]]>) {
    writeFileSync(join(dir, `${flavour}.js.tmp`), standaloneModule(flavour, list));
    renameSync(join(dir, `${flavour}.js.tmp`), join(dir, `${flavour}.js`));
    count += new Set(list.map((schema) => validatorKey(flavour, schema))).size;
  }
  return count;
}
