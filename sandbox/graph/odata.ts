/** The small part of OData query handling the sandbox needs: $select, $filter eq, $top paging. */
import { badRequest, graphError } from "./errors";
import type { GraphResult, RouteContext } from "./types";

/** Keeps only the selected properties (or `defaults` without $select); unknown selections read as null. */
export function applySelect(full: Record<string, unknown>, select: string | null, defaults?: readonly string[]): Record<string, unknown> {
  const names = select ? select.split(",").map((s) => s.trim()).filter(Boolean) : defaults;
  if (!names) return full;
  const out: Record<string, unknown> = {};
  const byLower = new Map(Object.keys(full).map((k) => [k.toLowerCase(), k]));
  for (const name of names) {
    const key = byLower.get(name.toLowerCase());
    out[key ?? name] = key === undefined ? null : full[key];
  }
  return out;
}

/** `…/$metadata#users/$entity` or `…/$metadata#users(displayName,id)/$entity`. */
export function contextUrl(ctx: RouteContext, entitySet: string, suffix = ""): string {
  const select = ctx.query.get("$select");
  return `${ctx.env.graphBaseUrl}/$metadata#${entitySet}${select ? `(${select})` : ""}${suffix}`;
}

export type EqFilter = { property: string; value: string };

/** Parses `prop eq 'literal'` ('' inside the literal is one quote), the filter form Graph supports everywhere. */
export function parseEqFilter(filter: string): EqFilter | GraphResult {
  const match = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!match) return badRequest(`Invalid filter clause: the sandbox supports only "property eq 'value'" (got: ${filter}).`);
  return { property: match[1] as string, value: (match[2] as string).replace(/''/g, "'") };
}

/** One clause of an `or` filter: `prop eq 'literal'`, or `prop/any(x:x eq 'literal')` on a collection. */
export type EqClause = EqFilter & { any: boolean };

const CLAUSE = /^\s*(?:(\w+)\s+eq\s+'((?:[^']|'')*)'|(\w+)\/any\((\w+):\s*\4\s+eq\s+'((?:[^']|'')*)'\))\s*/i;

/** Parses `clause or clause …`, each clause as in EqClause (the forms directory objects take). */
export function parseOrFilter(filter: string): EqClause[] | GraphResult {
  const clauses: EqClause[] = [];
  let rest = filter;
  for (;;) {
    const match = CLAUSE.exec(rest);
    if (!match) return badRequest(`Invalid filter clause: the sandbox supports "property eq 'value'" and "collection/any(x:x eq 'value')", joined by or (got: ${filter}).`);
    const any = match[3] !== undefined;
    clauses.push({ property: (any ? match[3] : match[1]) as string, value: ((any ? match[5] : match[2]) as string).replace(/''/g, "'"), any });
    rest = rest.slice(match[0].length);
    if (rest === "") return clauses;
    const or = /^or\s+/i.exec(rest);
    if (!or) return badRequest(`Invalid filter clause: the sandbox supports only "or" between clauses (got: ${filter}).`);
    rest = rest.slice(or[0].length);
  }
}

export function isResult(value: unknown): value is GraphResult {
  return typeof value === "object" && value !== null && typeof (value as GraphResult).status === "number";
}

const MAX_TOP = 999;

/**
 * A page of a collection: `$top` items from the `$skiptoken` offset, with `@odata.nextLink`
 * pointing back at the sandbox while more remain.
 */
export function pageOf(ctx: RouteContext, items: unknown[], context: string, defaultTop = 100): GraphResult {
  const topText = ctx.query.get("$top");
  const top = topText === null ? defaultTop : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return graphError(400, "Request_BadRequest", `Invalid page size specified: '${topText}'. Must be between 1 and ${MAX_TOP} inclusive.`);
  }
  const skip = Number(ctx.query.get("$skiptoken") ?? "0");
  const offset = Number.isInteger(skip) && skip > 0 ? skip : 0;
  const body: Record<string, unknown> = { "@odata.context": context, value: items.slice(offset, offset + top) };
  if (offset + top < items.length) {
    const query = new URLSearchParams(ctx.query);
    query.set("$skiptoken", String(offset + top));
    body["@odata.nextLink"] = `${ctx.env.graphBaseUrl}${ctx.path}?${query.toString()}`;
  }
  return { status: 200, body };
}

/** The object id at the end of an `@odata.id` reference URL, or undefined. */
export function referencedId(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const ref = (body as Record<string, unknown>)["@odata.id"];
  if (typeof ref !== "string") return undefined;
  const last = ref.replace(/\/+$/, "").split("/").pop() ?? "";
  const keyed = /\('?([^')]+)'?\)$/.exec(last);
  const id = keyed ? keyed[1] : last;
  if (!id) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return undefined; // a malformed escape names no object: the caller answers Graph's 400
  }
}
