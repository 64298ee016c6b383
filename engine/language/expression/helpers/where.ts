/** Items chosen by one property compared with a value or a list of values. */
import type { HelperDefinition } from "./types";
import { own, list, matches } from "./values";
import { EXAMPLE_GROUPS } from "./example-data";

export const WHERE_HELPERS: readonly HelperDefinition[] = [
  {
    name: "where",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "value", type: "any" }],
    returns: "list",
    summary: "The items whose property equals a value (or, for a list property, holds it).",
    semantics: "Compares like `eq`. `filter` with a named predicate usually reads better.",
    example: { template: "{{pluck (where groups 'groupTypes' 'Unified') 'id'}}", values: { groups: EXAMPLE_GROUPS }, result: ["mailEnabled"] },
    fn: (values, key, value) => list(values).filter((item) => matches(item, key, value)),
  },
  {
    name: "whereNot",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "value", type: "any" }],
    returns: "list",
    summary: "The items whose property does not equal a value (nor, for a list property, hold it).",
    semantics: "The opposite of `where`.",
    example: { template: "{{pluck (whereNot groups 'groupTypes' 'Unified') 'id'}}", values: { groups: EXAMPLE_GROUPS }, result: ["dl", "rule"] },
    fn: (values, key, value) => list(values).filter((item) => !matches(item, key, value)),
  },
  {
    name: "whereIn",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "allowed", type: "list" }],
    returns: "list",
    summary: "The items whose property is one of a list of values.",
    semantics: "Keeps only what an intent knows how to handle, e.g. the method types it may delete.",
    example: { template: "{{pluck (whereIn groups 'id' constants.keep) 'id'}}", values: { groups: EXAMPLE_GROUPS, constants: { keep: ["dl", "rule"] } }, result: ["dl", "rule"] },
    fn: (values, key, allowed) => list(values).filter((item) => list(allowed).includes(own(item, key))),
  },
  {
    name: "whereNotIn",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "excluded", type: "list" }],
    returns: "list",
    summary: "The items whose property is none of a list of values.",
    semantics: "The opposite of `whereIn`.",
    example: { template: "{{pluck (whereNotIn groups 'id' constants.skip) 'id'}}", values: { groups: EXAMPLE_GROUPS, constants: { skip: ["dl"] } }, result: ["mailEnabled", "rule"] },
    fn: (values, key, excluded) => list(values).filter((item) => !list(excluded).includes(own(item, key))),
  },
];
