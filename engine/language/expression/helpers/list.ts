/** Lists and objects: length, first item, joining, one property of each item, a property by key. */
import type { HelperDefinition } from "./types";
import { own, list } from "./values";

export const LIST_HELPERS: readonly HelperDefinition[] = [
  {
    name: "length",
    group: "list",
    params: [{ name: "value", type: "any" }],
    returns: "number",
    summary: "How many items a list has, or characters a text has.",
    semantics: "Anything else has length 0.",
    example: { template: "{{length response.body.value}}", values: { response: { body: { value: [{ id: "a" }, { id: "b" }] } } }, result: 2 },
    fn: (x) => (typeof x === "string" || Array.isArray(x) ? x.length : 0),
  },
  {
    name: "first",
    group: "list",
    params: [{ name: "values", type: "list" }],
    returns: "any",
    summary: "The first item of a list.",
    semantics: "An empty list, or anything that is not a list, gives null.",
    example: { template: "{{first response.body.value}}", values: { response: { body: { value: [{ id: "a" }, { id: "b" }] } } }, result: { id: "a" } },
    fn: (values) => list(values)[0] ?? null,
  },
  {
    name: "join",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "separator", type: "text", optional: true }],
    returns: "text",
    summary: "The items written as one text, with the separator between them (default `, `).",
    semantics: "Anything that is not a list gives empty text.",
    example: { template: "{{join fields.groups ' and '}}", values: { fields: { groups: ["Sales", "Finance"] } }, result: "Sales and Finance" },
    fn: (values, separator) => list(values).map((v) => String(v)).join(typeof separator === "string" ? separator : ", "),
  },
  {
    name: "pluck",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }],
    returns: "list",
    summary: "The value of one property of each item.",
    semantics: "An item without the property gives null in its place, so the list keeps its length.",
    example: { template: "{{pluck user.assignedLicenses 'skuId'}}", values: { user: { assignedLicenses: [{ skuId: "c42b9cae" }, { skuId: "05e9a617" }] } }, result: ["c42b9cae", "05e9a617"] },
    fn: (values, key) => list(values).map((item) => own(item, key) ?? null),
  },
  {
    name: "lookup",
    group: "list",
    params: [{ name: "object", type: "object" }, { name: "key", type: "key" }],
    returns: "any",
    summary: "One property of an object (or one item of a list, by position) chosen by a value.",
    semantics: "Own properties only; a missing one gives null. Use it when the key is data: `lookup constants.segment fields.method`.",
    example: { template: "{{lookup constants.audience fields.externalAudience}}", values: { constants: { audience: { "Contacts Only": "contactsOnly" } }, fields: { externalAudience: "Contacts Only" } }, result: "contactsOnly" },
    fn: (item, key) => own(item, typeof key === "number" ? String(key) : key) ?? null,
  },
];
