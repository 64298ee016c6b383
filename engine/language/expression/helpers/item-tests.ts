/** Tests of list items: a named predicate or an expression over `item` decides. */
import type { HelperDefinition, Predicate } from "./types";
import { list } from "./values";
import { EXAMPLE_GROUPS } from "./example-data";

export const ITEM_TEST_HELPERS: readonly HelperDefinition[] = [
  {
    name: "filter",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "list",
    summary: "The items that pass a test: a named predicate, or an expression over `item`.",
    semantics: "Keeps the items' order. Anything that is not a list gives an empty list.",
    example: { template: "{{groups | filter (item.id != 'dl') | pluck 'id'}}", values: { groups: EXAMPLE_GROUPS }, result: ["mailEnabled", "rule"] },
    fn: (values, test: Predicate) => list(values).filter((item) => test(item)),
  },
  {
    name: "reject",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "list",
    summary: "The items that fail a test: the opposite of `filter`.",
    semantics: "Keeps the items' order. Anything that is not a list gives an empty list.",
    example: { template: "{{groups | reject ('DynamicMembership' in item.groupTypes) | pluck 'id'}}", values: { groups: EXAMPLE_GROUPS }, result: ["mailEnabled", "dl"] },
    fn: (values, test: Predicate) => list(values).filter((item) => !test(item)),
  },
  {
    name: "find",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "any",
    summary: "The first item that passes a test.",
    semantics: "null when no item passes.",
    example: { template: "{{skus | find (item.skuPartNumber == 'SPE_E3')}}", values: { skus: [{ skuPartNumber: "SPE_E5" }, { skuPartNumber: "SPE_E3" }] }, result: { skuPartNumber: "SPE_E3" } },
    fn: (values, test: Predicate) => list(values).find((item) => test(item)) ?? null,
  },
  {
    name: "any",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "boolean",
    summary: "True when at least one item passes a test.",
    semantics: "False for an empty list.",
    example: { template: "{{groups | any ('Unified' in item.groupTypes)}}", values: { groups: EXAMPLE_GROUPS }, result: true },
    fn: (values, test: Predicate) => list(values).some((item) => test(item)),
  },
  {
    name: "all",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "boolean",
    summary: "True when every item passes a test.",
    semantics: "True for an empty list (nothing fails).",
    example: { template: "{{groups | all (item.id != '')}}", values: { groups: EXAMPLE_GROUPS }, result: true },
    fn: (values, test: Predicate) => list(values).every((item) => test(item)),
  },
  {
    name: "is",
    group: "list",
    params: [{ name: "value", type: "any" }, { name: "test", type: "predicate" }],
    returns: "boolean",
    summary: "True when one value passes a test: `output.group | is dynamic`.",
    semantics: "The test sees the value as `item`; a missing value is tested like any other (as null).",
    example: { template: "{{group | is ('Unified' in item.groupTypes)}}", values: { group: { groupTypes: ["Unified"] } }, result: true },
    fn: (value, test: Predicate) => test(value ?? null),
  },
];
