/** Comparing two values: equality, order, membership. */
import type { HelperDefinition } from "./types";
import { list } from "./values";

export const COMPARE_HELPERS: readonly HelperDefinition[] = [
  {
    name: "eq",
    group: "compare",
    params: [{ name: "a", type: "any" }, { name: "b", type: "any" }],
    returns: "boolean",
    summary: "True when both values are the same. Same as `a == b`.",
    semantics: "Strict: the number `1` and the text `'1'` differ; two lists or objects are equal only when they are the same value.",
    example: { template: "{{eq fields.action 'assign'}}", values: { fields: { action: "assign" } }, result: true },
    fn: (a, b) => a === b,
  },
  {
    name: "ne",
    group: "compare",
    params: [{ name: "a", type: "any" }, { name: "b", type: "any" }],
    returns: "boolean",
    summary: "True when the values differ. Same as `a != b`.",
    semantics: "The opposite of `eq`.",
    example: { template: "{{ne response.status 200}}", values: { response: { status: 404 } }, result: true },
    fn: (a, b) => a !== b,
  },
  {
    name: "lt",
    group: "compare",
    params: [{ name: "a", type: "number" }, { name: "b", type: "number" }],
    returns: "boolean",
    summary: "True when a is less than b. Same as `a < b`.",
    semantics: "Numbers only: anything else compares false, so a missing count never passes a check.",
    example: { template: "{{lt sku.consumedUnits sku.prepaidUnits.enabled}}", values: { sku: { consumedUnits: 24, prepaidUnits: { enabled: 25 } } }, result: true },
    fn: (a, b) => typeof a === "number" && typeof b === "number" && a < b,
  },
  {
    name: "gt",
    group: "compare",
    params: [{ name: "a", type: "number" }, { name: "b", type: "number" }],
    returns: "boolean",
    summary: "True when a is greater than b. Same as `a > b`.",
    semantics: "Numbers only: anything else compares false.",
    example: { template: "{{gt (length groups) 0}}", values: { groups: ["Sales"] }, result: true },
    fn: (a, b) => typeof a === "number" && typeof b === "number" && a > b,
  },
  {
    name: "in",
    group: "compare",
    params: [{ name: "value", type: "any" }, { name: "values", type: "list" }],
    returns: "boolean",
    summary: "True when the list holds the value. Same as `value in values`.",
    semantics: "Compares like `eq`. Anything that is not a list holds nothing.",
    example: { template: "{{in 'Unified' group.groupTypes}}", values: { group: { groupTypes: ["Unified"] } }, result: true },
    fn: (value, values) => list(values).includes(value),
  },
  {
    name: "contains",
    group: "compare",
    params: [{ name: "haystack", type: "any" }, { name: "needle", type: "any" }],
    returns: "boolean",
    summary: "True when a text contains another text (ignoring case), or a list holds a value.",
    semantics: "On a text the needle is read as text and case is ignored; on a list it is compared like `eq`; anything else contains nothing.",
    example: { template: "{{contains error.message 'ALREADY exist'}}", values: { error: { message: "One or more added object references already exist" } }, result: true },
    fn: (haystack, needle) =>
      typeof haystack === "string" ? haystack.toLowerCase().includes(String(needle).toLowerCase()) : list(haystack).includes(needle),
  },
];
