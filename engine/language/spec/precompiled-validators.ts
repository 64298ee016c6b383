/**
 * Validators the build generated from our JSON Schemas as plain JavaScript (Ajv's standalone
 * code), found by a digest of the schema and the Ajv set-up it is compiled with: a starting process
 * validates its first webhook without loading Ajv's compiler or generating any code. Beside the
 * sources there are none, and a schema not among them is compiled as before.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { AjvFlavour } from "./ajv-flavours";

/** `dist/precompiled-validators/` beside a build (from dist/engine/language/spec): one module per flavour. */
export const PRECOMPILED_VALIDATORS_DIR = join(__dirname, "..", "..", "..", "precompiled-validators");

/** The export name of a schema's validator: the same schema in the same flavour always has the same one. */
export function validatorKey(flavour: AjvFlavour, schema: object): string {
  return `v_${createHash("sha256").update(`${flavour}\u0000${JSON.stringify(schema)}`).digest("hex").slice(0, 40)}`;
}

export type ValidatorLookup = (flavour: AjvFlavour, schema: object) => unknown;

/** The validators generated into `dir`; a lookup that finds nothing when there are none. */
export function validatorsIn(dir: string): ValidatorLookup {
  const modules = new Map<AjvFlavour, Record<string, unknown> | null>();
  return (flavour, schema) => {
    if (!modules.has(flavour)) {
      const path = join(dir, `${flavour}.js`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      modules.set(flavour, existsSync(path) ? (require(path) as Record<string, unknown>) : null);
    }
    return modules.get(flavour)?.[validatorKey(flavour, schema)];
  };
}

let build: ValidatorLookup | undefined;

/** The build's validator for this schema, or undefined (then compile it). */
export function precompiledValidator(flavour: AjvFlavour, schema: object): unknown {
  build ??= validatorsIn(PRECOMPILED_VALIDATORS_DIR);
  return build(flavour, schema);
}
