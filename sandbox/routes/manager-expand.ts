/**
 * `$expand=manager` on users, with the manager-chain form
 * `$expand=manager($levels=max|n;$select=…)` (Doc user-list-manager). As in Graph, `$levels` is
 * answered only on a single user and only as an advanced query (`ConsistencyLevel: eventual`
 * plus `$count=true`); without them the request is refused, never silently cut to one level.
 */
import { badRequest, graphError } from "../graph/errors";
import { applySelect, isResult } from "../graph/odata";
import type { GraphResult, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import type { TenantState, UserRecord } from "../tenant/types";
import { DEFAULT_USER_PROPERTIES, typedUserJson } from "./serialize";

const MAX_LEVELS = 1000;

export interface ManagerExpansion {
  /** How many managers up the chain; 1 without `$levels`. */
  levels: number;
  /** True when `$levels` was given (it needs the advanced-query headers). */
  chained: boolean;
  select: string | null;
}

function unsupported(message: string): GraphResult {
  return graphError(400, "Request_UnsupportedQuery", message);
}

/** Parses `$expand`; undefined when it is absent. Only `manager` is expandable here. */
export function parseManagerExpand(ctx: RouteContext): ManagerExpansion | GraphResult | undefined {
  const expand = ctx.query.get("$expand");
  if (expand === null) return undefined;
  const match = /^\s*manager\s*(?:\((.*)\))?\s*$/i.exec(expand);
  if (!match) {
    const name = expand.split(/[(,]/)[0]?.trim() ?? expand;
    return graphError(501, "NotImplemented", `The sandbox tenant does not implement $expand=${name} on users.`);
  }
  const options = new Map<string, string>();
  for (const part of (match[1] ?? "").split(";").map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at < 0) return badRequest(`Invalid $expand option '${part}'.`);
    options.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  for (const name of options.keys()) {
    if (name !== "$levels" && name !== "$select") return badRequest(`Query option '${name}' is not allowed in $expand=manager.`);
  }
  const levelsText = options.get("$levels");
  let levels = 1;
  if (levelsText !== undefined) {
    levels = levelsText.toLowerCase() === "max" ? Number.POSITIVE_INFINITY : Number(levelsText);
    if (!(levels === Number.POSITIVE_INFINITY || (Number.isInteger(levels) && levels >= 1 && levels <= MAX_LEVELS))) {
      return badRequest(`The value of $levels must be 'max' or a number between 1 and ${MAX_LEVELS}, not '${levelsText}'.`);
    }
  }
  return { levels, chained: levelsText !== undefined, select: options.get("$select") ?? null };
}

/** Refuses `$levels` where Graph does: on a collection, or without the advanced-query opt-in. */
export function checkManagerExpansion(ctx: RouteContext, expansion: ManagerExpansion, collection: boolean): GraphResult | undefined {
  if (!expansion.chained) return undefined;
  if (collection) return unsupported("$levels in $expand=manager is supported only on a single user, not on a list of users.");
  const eventual = ctx.headers.consistencylevel?.toLowerCase() === "eventual";
  if (!eventual || ctx.query.get("$count") !== "true") {
    return unsupported("$expand=manager with $levels is an advanced query: send the ConsistencyLevel: eventual header and $count=true.");
  }
  return undefined;
}

/** The user's manager, and theirs, up to `levels`, nested as Graph nests them; absent when there is none. */
export function managerChain(tenant: TenantState, user: UserRecord, expansion: ManagerExpansion): Record<string, unknown> | undefined {
  const seen = new Set([user.id]);
  const chain: UserRecord[] = [];
  let current = user;
  while (chain.length < expansion.levels && current.managerId) {
    const manager = findUser(tenant, current.managerId);
    if (!manager || seen.has(manager.id)) break; // a cycle in the fixture ends the chain
    seen.add(manager.id);
    chain.push(manager);
    current = manager;
  }
  let nested: Record<string, unknown> | undefined;
  for (const manager of chain.reverse()) {
    const typed = typedUserJson(manager);
    const json = { "@odata.type": typed["@odata.type"], ...applySelect(typed, expansion.select, DEFAULT_USER_PROPERTIES) };
    nested = nested ? { ...json, manager: nested } : json;
  }
  return nested;
}

/** Reads `$expand` for a route; a GraphResult is the refusal to answer with. */
export function managerExpansionFor(ctx: RouteContext, collection: boolean): ManagerExpansion | GraphResult | undefined {
  const expansion = parseManagerExpand(ctx);
  if (expansion === undefined || isResult(expansion)) return expansion;
  return checkManagerExpansion(ctx, expansion, collection) ?? expansion;
}
