/**
 * The closed set of helpers. Each is pure and data-only (no helper reaches the file system, the
 * network or an object's prototype) and carries its own documentation: signature, semantics and an
 * example that a test evaluates, so docs/intent-language.md (generated from here) cannot drift.
 */

export type ParamType = "any" | "list" | "text" | "number" | "key" | "object" | "predicate";

export interface HelperParam {
  name: string;
  type: ParamType;
  /** May be left out (the last parameters only). */
  optional?: boolean;
  /** Takes any number of values (the last parameter only). */
  variadic?: boolean;
}

export interface HelperExample {
  /** A whole template, as an intent would write it. */
  template: string;
  /** What the template reads (fields, steps, …). */
  values: Record<string, unknown>;
  /** What it renders to. */
  result: unknown;
}

export interface HelperDefinition {
  name: string;
  group: "compare" | "logic" | "text" | "list";
  params: readonly HelperParam[];
  returns: "boolean" | "text" | "number" | "list" | "any";
  summary: string;
  /** What it does with edge cases: missing values, wrong types, empty lists. */
  semantics: string;
  example: HelperExample;
  /** Predicate parameters arrive as functions of one item. */
  fn: (...args: any[]) => unknown;
}

type Predicate = (item: unknown) => boolean;

function own(item: unknown, key: unknown): unknown {
  if (item === null || typeof item !== "object" || typeof key !== "string") return undefined;
  return Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Empty lists count as false, unlike JavaScript, so `when: "{{steps.x.output.items}}"` reads naturally. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function matches(item: unknown, key: unknown, value: unknown): boolean {
  const field = own(item, key);
  return Array.isArray(field) ? field.includes(value) : field === value;
}

const groups = [
  { id: "mailEnabled", groupTypes: ["Unified"] },
  { id: "dl", groupTypes: [] },
  { id: "rule", groupTypes: ["DynamicMembership"] },
];

export const HELPER_DEFINITIONS: readonly HelperDefinition[] = [
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
  {
    name: "default",
    group: "text",
    params: [{ name: "value", type: "any" }, { name: "fallback", type: "any" }],
    returns: "any",
    summary: "The value, or the fallback when the value is missing, null or empty text.",
    semantics: "`false`, `0` and empty lists are values, not missing.",
    example: { template: "{{default fields.usageLocation settings.DEFAULT_USAGE_LOCATION}}", values: { fields: { usageLocation: null }, settings: { DEFAULT_USAGE_LOCATION: "US" } }, result: "US" },
    fn: (value, fallback) => (value === undefined || value === null || value === "" ? fallback : value),
  },
  {
    name: "lower",
    group: "text",
    params: [{ name: "text", type: "text" }],
    returns: "text",
    summary: "The text in lower case.",
    semantics: "A missing value gives empty text; a number is written as text first.",
    example: { template: "{{lower fields.sku}}", values: { fields: { sku: "SPE_E3" } }, result: "spe_e3" },
    fn: (s) => String(s ?? "").toLowerCase(),
  },
  {
    name: "upper",
    group: "text",
    params: [{ name: "text", type: "text" }],
    returns: "text",
    summary: "The text in upper case.",
    semantics: "A missing value gives empty text.",
    example: { template: "{{upper fields.usageLocation}}", values: { fields: { usageLocation: "gb" } }, result: "GB" },
    fn: (s) => String(s ?? "").toUpperCase(),
  },
  {
    name: "trim",
    group: "text",
    params: [{ name: "text", type: "text" }],
    returns: "text",
    summary: "The text without leading and trailing spaces.",
    semantics: "A missing value gives empty text.",
    example: { template: "{{trim fields.name}}", values: { fields: { name: "  Ada " } }, result: "Ada" },
    fn: (s) => String(s ?? "").trim(),
  },
  {
    name: "concat",
    group: "text",
    params: [{ name: "values", type: "any", variadic: true }],
    returns: "text",
    summary: "The values written one after another as one text.",
    semantics: "Missing values and null add nothing.",
    example: { template: "{{concat fields.first '.' fields.last}}", values: { fields: { first: "ada", last: "lovelace" } }, result: "ada.lovelace" },
    fn: (...values) => values.map((a) => (a === undefined || a === null ? "" : String(a))).join(""),
  },
  {
    name: "split",
    group: "text",
    params: [{ name: "text", type: "text" }, { name: "separator", type: "text" }],
    returns: "list",
    summary: "The text cut at each separator, as a list.",
    semantics: "Anything that is not text, or an empty separator, gives an empty list.",
    example: { template: "{{split fields.upn '@'}}", values: { fields: { upn: "ada@contoso.com" } }, result: ["ada", "contoso.com"] },
    fn: (s, separator) => (typeof s === "string" && typeof separator === "string" && separator !== "" ? s.split(separator) : []),
  },
  {
    name: "odata",
    group: "text",
    params: [{ name: "value", type: "text" }],
    returns: "text",
    summary: "The value as an OData string literal: quoted, with its quotes doubled.",
    semantics: "The only way a value may enter `$filter` or `$search`; a missing value gives `''`.",
    example: { template: "displayName eq {{odata fields.groupName}}", values: { fields: { groupName: "O'Brien's team" } }, result: "displayName eq 'O''Brien''s team'" },
    fn: (value) => `'${String(value ?? "").replace(/'/g, "''")}'`,
  },
  {
    name: "time",
    group: "text",
    params: [{ name: "text", type: "text" }],
    returns: "number",
    summary: "An ISO 8601 date-time as epoch milliseconds, to compare two with `lt`/`gt` or `<`/`>`.",
    semantics: "Only text starting `YYYY-MM-DDT` is read; anything else (a missing value, a bare date, a number) is null, which no comparison passes.",
    example: { template: "{{lt (time response.body.createdDateTime) (time run.startedAt)}}", values: { response: { body: { createdDateTime: "2026-01-05T09:00:00Z" } }, run: { startedAt: "2026-01-05T09:00:01.000Z" } }, result: true },
    fn: (s) => {
      const at = typeof s === "string" && /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
      return Number.isNaN(at) ? null : at;
    },
  },
  {
    name: "mailNickname",
    group: "text",
    params: [{ name: "text", type: "text" }],
    returns: "text",
    summary: "An Exchange alias made from any text.",
    semantics: "Accents folded (José → Jose), then only ASCII letters, digits and `. - _` kept, no leading, trailing or doubled dots, at most 64 characters.",
    example: { template: "{{mailNickname fields.name}}", values: { fields: { name: "José O'Neil" } }, result: "JoseONeil" },
    fn: (s) =>
      String(s ?? "")
        .normalize("NFKD")
        .replace(/[^A-Za-z0-9._-]/g, "")
        .replace(/\.{2,}/g, ".")
        .replace(/^\.+|\.+$/g, "")
        .slice(0, 64)
        .replace(/\.+$/, ""),
  },
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
  {
    name: "filter",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "list",
    summary: "The items that pass a test: a named predicate, or an expression over `item`.",
    semantics: "Keeps the items' order. Anything that is not a list gives an empty list.",
    example: { template: "{{groups | filter (item.id != 'dl') | pluck 'id'}}", values: { groups }, result: ["mailEnabled", "rule"] },
    fn: (values, test: Predicate) => list(values).filter((item) => test(item)),
  },
  {
    name: "reject",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "list",
    summary: "The items that fail a test: the opposite of `filter`.",
    semantics: "Keeps the items' order. Anything that is not a list gives an empty list.",
    example: { template: "{{groups | reject ('DynamicMembership' in item.groupTypes) | pluck 'id'}}", values: { groups }, result: ["mailEnabled", "dl"] },
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
    example: { template: "{{groups | any ('Unified' in item.groupTypes)}}", values: { groups }, result: true },
    fn: (values, test: Predicate) => list(values).some((item) => test(item)),
  },
  {
    name: "all",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "test", type: "predicate" }],
    returns: "boolean",
    summary: "True when every item passes a test.",
    semantics: "True for an empty list (nothing fails).",
    example: { template: "{{groups | all (item.id != '')}}", values: { groups }, result: true },
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
  {
    name: "where",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "value", type: "any" }],
    returns: "list",
    summary: "The items whose property equals a value (or, for a list property, holds it).",
    semantics: "Compares like `eq`. `filter` with a named predicate usually reads better.",
    example: { template: "{{pluck (where groups 'groupTypes' 'Unified') 'id'}}", values: { groups }, result: ["mailEnabled"] },
    fn: (values, key, value) => list(values).filter((item) => matches(item, key, value)),
  },
  {
    name: "whereNot",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "value", type: "any" }],
    returns: "list",
    summary: "The items whose property does not equal a value (nor, for a list property, hold it).",
    semantics: "The opposite of `where`.",
    example: { template: "{{pluck (whereNot groups 'groupTypes' 'Unified') 'id'}}", values: { groups }, result: ["dl", "rule"] },
    fn: (values, key, value) => list(values).filter((item) => !matches(item, key, value)),
  },
  {
    name: "whereIn",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "allowed", type: "list" }],
    returns: "list",
    summary: "The items whose property is one of a list of values.",
    semantics: "Keeps only what an intent knows how to handle, e.g. the method types it may delete.",
    example: { template: "{{pluck (whereIn groups 'id' constants.keep) 'id'}}", values: { groups, constants: { keep: ["dl", "rule"] } }, result: ["dl", "rule"] },
    fn: (values, key, allowed) => list(values).filter((item) => list(allowed).includes(own(item, key))),
  },
  {
    name: "whereNotIn",
    group: "list",
    params: [{ name: "values", type: "list" }, { name: "key", type: "key" }, { name: "excluded", type: "list" }],
    returns: "list",
    summary: "The items whose property is none of a list of values.",
    semantics: "The opposite of `whereIn`.",
    example: { template: "{{pluck (whereNotIn groups 'id' constants.skip) 'id'}}", values: { groups, constants: { skip: ["dl"] } }, result: ["mailEnabled", "rule"] },
    fn: (values, key, excluded) => list(values).filter((item) => !list(excluded).includes(own(item, key))),
  },
];

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
