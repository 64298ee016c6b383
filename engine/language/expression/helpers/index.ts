/**
 * The closed set of helpers. Each is pure and data-only (no helper reaches the file system, the
 * network or an object's prototype) and carries its own documentation: signature, semantics and an
 * example that a test evaluates, so docs/intent-language.md (generated from here) cannot drift.
 * One file per family; their order here is the order of the docs.
 */

import { COMPARE_HELPERS } from "./compare";
import { ITEM_TEST_HELPERS } from "./item-tests";
import { LIST_HELPERS } from "./list";
import { LOGIC_HELPERS } from "./logic";
import { TEXT_HELPERS } from "./text";
import type { HelperDefinition } from "./types";
import { WHERE_HELPERS } from "./where";

export type { HelperDefinition, HelperExample, HelperParam, ParamType } from "./types";
export { truthy } from "./values";

export const HELPER_DEFINITIONS: readonly HelperDefinition[] = [...COMPARE_HELPERS, ...LOGIC_HELPERS, ...TEXT_HELPERS, ...LIST_HELPERS, ...ITEM_TEST_HELPERS, ...WHERE_HELPERS];

const BY_NAME = new Map(HELPER_DEFINITIONS.map((helper) => [helper.name, helper]));

/** Helper names a template may call. */
export const HELPER_NAMES: ReadonlySet<string> = new Set(BY_NAME.keys());

export function findHelper(name: string): HelperDefinition | undefined {
  return BY_NAME.get(name);
}

/** How many arguments a helper takes: at least `min`, at most `max` (Infinity when variadic). */
export function arity(helper: HelperDefinition): { min: number; max: number } {
  const variadic = helper.params.some((p) => p.variadic);
  const min = helper.params.filter((p) => !p.optional && !p.variadic).length + (variadic ? 1 : 0);
  return { min, max: variadic ? Infinity : helper.params.length };
}

/** The helper's signature as the docs write it: `join values [separator]`. */
export function signature(helper: HelperDefinition): string {
  const params = helper.params.map((p) => (p.variadic ? `${p.name}…` : p.optional ? `[${p.name}]` : p.name));
  return [helper.name, ...params].join(" ");
}
