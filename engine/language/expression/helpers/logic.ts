/** Combining conditions, read as `when:` reads them. */
import type { HelperDefinition } from "./types";
import { truthy } from "./values";

export const LOGIC_HELPERS: readonly HelperDefinition[] = [
  {
    name: "not",
    group: "logic",
    params: [{ name: "value", type: "any" }],
    returns: "boolean",
    summary: "True when the value is false, null, 0, empty text or an empty list. Same as `not value`.",
    semantics: "The same falsy values as `when:`.",
    example: { template: "{{not steps.lookup.output.skuIds}}", values: { steps: { lookup: { output: { skuIds: [] } } } }, result: true },
    fn: (value) => !truthy(value),
  },
  {
    name: "and",
    group: "logic",
    params: [{ name: "values", type: "any", variadic: true }],
    returns: "boolean",
    summary: "True when every value is true. Same as `a and b`.",
    semantics: "Every value is read as `when:` reads it (an empty list is false).",
    example: { template: "{{and fields.removeGroups groups}}", values: { fields: { removeGroups: true }, groups: ["Sales"] }, result: true },
    fn: (...values) => values.every(truthy),
  },
  {
    name: "or",
    group: "logic",
    params: [{ name: "values", type: "any", variadic: true }],
    returns: "boolean",
    summary: "True when any value is true. Same as `a or b`.",
    semantics: "Every value is read as `when:` reads it. Gives true or false, never one of the values: use `default` to pick a value.",
    example: { template: "{{or fields.removeLicenses fields.removeGroups}}", values: { fields: { removeLicenses: false, removeGroups: true } }, result: true },
    fn: (...values) => values.some(truthy),
  },
];
