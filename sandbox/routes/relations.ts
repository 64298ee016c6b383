/** A user's manager (GET, PUT $ref, DELETE $ref) and memberOf (with the group cast), plus /domains. */
import { badRequest, notFound } from "../graph/errors";
import { applySelect, contextUrl, pageOf, referencedId } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import { DOMAIN_READ, MEMBER_OF_READ, USER_READ, USER_WRITE } from "./permissions";
import { typedGroupJson, typedUserJson } from "./serialize";

function getManager(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const manager = user.managerId ? findUser(tenant, user.managerId) : undefined;
  if (!manager) return notFound("manager");
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#directoryObjects/$entity`, ...applySelect(typedUserJson(manager), ctx.query.get("$select")) } };
}

function setManager(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const managerId = referencedId(ctx.body);
  if (!managerId) return badRequest("Invalid request body: expected {\"@odata.id\": \"https://graph.microsoft.com/v1.0/users/{id}\"}.");
  const manager = findUser(tenant, managerId);
  if (!manager) return notFound(managerId);
  if (manager.id === user.id) return badRequest("A user cannot be their own manager.");
  user.managerId = manager.id;
  return { status: 204 };
}

function removeManager(ctx: RouteContext): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  if (!user.managerId) return notFound("manager");
  user.managerId = null;
  return { status: 204 };
}

function memberOf(ctx: RouteContext, groupsOnly: boolean): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  // The sandbox has no directory roles or administrative units, so the cast changes only the context.
  const select = ctx.query.get("$select");
  const groups = tenant.groups.filter((g) => g.members.includes(user.id)).map((g) => {
    const selected = applySelect(typedGroupJson(g), select);
    return select ? { "@odata.type": "#microsoft.graph.group", ...selected } : selected;
  });
  return pageOf(ctx, groups, contextUrl(ctx, groupsOnly ? "groups" : "directoryObjects"));
}

function listDomains(ctx: RouteContext): GraphResult {
  const value = ctx.env.tenant.domains.map((d) => ({ ...d, supportedServices: ["Email", "OfficeCommunicationsOnline"] }));
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#domains`, value } };
}

export const RELATION_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/manager", permissions: USER_READ, handler: getManager },
  { method: "PUT", pattern: "/users/:id/manager/$ref", permissions: USER_WRITE, handler: setManager },
  { method: "DELETE", pattern: "/users/:id/manager/$ref", permissions: USER_WRITE, handler: removeManager },
  { method: "GET", pattern: "/users/:id/memberOf", permissions: MEMBER_OF_READ, handler: (ctx) => memberOf(ctx, false) },
  { method: "GET", pattern: "/users/:id/memberOf/microsoft.graph.group", permissions: MEMBER_OF_READ, handler: (ctx) => memberOf(ctx, true) },
  { method: "GET", pattern: "/domains", permissions: DOMAIN_READ, handler: listDomains },
];
