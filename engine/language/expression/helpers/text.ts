/** Text: defaults, case, trimming, joining and cutting, OData literals, times, aliases. */
import type { HelperDefinition } from "./types";

export const TEXT_HELPERS: readonly HelperDefinition[] = [
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
];
