/**
 * The closed set of template helpers. Each one is pure and data-only: no helper can reach the
 * file system, the network or an object's prototype.
 */
type Helper = (...args: unknown[]) => unknown;

function own(item: unknown, key: unknown): unknown {
  if (item === null || typeof item !== "object" || typeof key !== "string") return undefined;
  return Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Empty arrays count as false, unlike JavaScript, so `when: "{{steps.x.output.items}}"` reads naturally. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function matches(item: unknown, key: unknown, value: unknown): boolean {
  const field = own(item, key);
  return Array.isArray(field) ? field.includes(value) : field === value;
}

const HELPERS: Record<string, Helper> = {
  eq: (a, b) => a === b,
  /** Numbers only: anything else compares false, so a missing count never passes a check. */
  lt: (a, b) => typeof a === "number" && typeof b === "number" && a < b,
  gt: (a, b) => typeof a === "number" && typeof b === "number" && a > b,
  ne: (a, b) => a !== b,
  not: (a) => !truthy(a),
  and: (...args) => args.every(truthy),
  or: (...args) => args.some(truthy),
  in: (value, values) => list(values).includes(value),
  contains: (haystack, needle) =>
    typeof haystack === "string"
      ? haystack.toLowerCase().includes(String(needle).toLowerCase())
      : list(haystack).includes(needle),
  lower: (s) => String(s ?? "").toLowerCase(),
  upper: (s) => String(s ?? "").toUpperCase(),
  trim: (s) => String(s ?? "").trim(),
  length: (x) => (typeof x === "string" || Array.isArray(x) ? x.length : 0),
  default: (value, fallback) => (value === undefined || value === null || value === "" ? fallback : value),
  /** The only way to put a value into an OData expression: a quoted string literal, quotes doubled. */
  odata: (value) => `'${String(value ?? "").replace(/'/g, "''")}'`,
  join: (values, separator) => list(values).map((v) => String(v)).join(typeof separator === "string" ? separator : ", "),
  where: (values, key, value) => list(values).filter((item) => matches(item, key, value)),
  whereNot: (values, key, value) => list(values).filter((item) => !matches(item, key, value)),
  /** Items whose `key` is one of `allowed` (a list): keeps only what an intent knows how to handle. */
  whereIn: (values, key, allowed) => list(values).filter((item) => list(allowed).includes(own(item, key))),
  whereNotIn: (values, key, excluded) => list(values).filter((item) => !list(excluded).includes(own(item, key))),
  pluck: (values, key) => list(values).map((item) => own(item, key) ?? null),
  concat: (...args) => args.map((a) => (a === undefined || a === null ? "" : String(a))).join(""),
  first: (values) => list(values)[0] ?? null,
  split: (s, separator) => (typeof s === "string" && typeof separator === "string" && separator !== "" ? s.split(separator) : []),
  /**
   * An Exchange alias from any text: ASCII letters, digits and . - _ only, no leading/trailing
   * or doubled dots, at most 64 characters (accents are folded first: José → Jose).
   */
  mailNickname: (s) =>
    String(s ?? "")
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9._-]/g, "")
      .replace(/\.{2,}/g, ".")
      .replace(/^\.+|\.+$/g, "")
      .slice(0, 64)
      .replace(/\.+$/, ""),
  /** Replaces Handlebars' built-in: own properties only, so no template reaches a prototype. */
  lookup: (item, key) => own(item, typeof key === "number" ? String(key) : key) ?? null,
};

/** Helper names a template may call; `if` and `unless` are Handlebars built-ins we keep. */
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPERS));
export const BLOCK_HELPER_NAMES: ReadonlySet<string> = new Set(["if", "unless"]);

/** The helper itself, for templates rendered without Handlebars (engine/language/template/fast-path.ts). */
export function findHelper(name: string): Helper | undefined {
  return Object.hasOwn(HELPERS, name) ? HELPERS[name] : undefined;
}

/** Handlebars passes its `options` object last; our helpers never see it. */
export function handlebarsHelpers(): Record<string, Helper> {
  const wrapped: Record<string, Helper> = {};
  for (const [name, fn] of Object.entries(HELPERS)) wrapped[name] = (...args) => fn(...args.slice(0, -1));
  return wrapped;
}
