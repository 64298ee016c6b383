/**
 * Rewrites the generated parts of schemas/intent.schema.json — each step kind's `with:` as an
 * intent writes it — from the built-in kinds' input schemas (engine/tooling/schema/intent-schema.ts).
 * test/schemas/intent-schema.test.ts fails when the file and the kinds differ.
 *
 * Usage: npm run build:schema
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtinKindSpecs } from "../engine/kinds";
import { formatJson } from "../engine/tooling/schema/format-json";
import { generateIntentSchema } from "../engine/tooling/schema/intent-schema";

const path = join(__dirname, "..", "schemas", "intent.schema.json");
const before = readFileSync(path, "utf8");
const after = formatJson(generateIntentSchema(JSON.parse(before), builtinKindSpecs().list()));
if (after === before) process.stdout.write(`${path} is current\n`);
else {
  writeFileSync(path, after);
  process.stdout.write(`wrote ${path}\n`);
}
