/**
 * A user's manager (GET, PUT $ref, DELETE $ref), memberOf and transitiveMemberOf (groups and
 * directory roles, with the group and directoryRole casts), plus /domains.
 */
import { badRequest, notFound } from "../graph/errors";
import { applySelect, contextUrl, pageOf, referencedId } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import { directMemberships, transitiveMemberships } from "../tenant/memberships";
import { DOMAIN_READ, MEMBER_OF_READ, USER_READ, USER_WRITE } from "./permissions";
import { typedDirectoryRoleJson, typedGroupJson, typedUserJson } from "./serialize";

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

type MembershipCast = "group" | "directoryRole" | undefined;

/**
 * memberOf (direct) or transitiveMemberOf: groups and directory roles in one directoryObject
 * collection, each with its @odata.type; a cast segment keeps one type (and names the context).
 */
function membershipsOf(ctx: RouteContext, transitive: boolean, cast: MembershipCast): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const { groups, roles } = transitive ? transitiveMemberships(tenant, user.id) : directMemberships(tenant, user.id);
  const select = ctx.query.get("$select");
  const typed = [
    ...(cast === "directoryRole" ? [] : groups.map(typedGroupJson)),
    ...(cast === "group" ? [] : roles.map(typedDirectoryRoleJson)),
  ].map((object) => (select ? { "@odata.type": object["@odata.type"], ...applySelect(object, select) } : object));
  const entitySet = cast === "group" ? "groups" : cast === "directoryRole" ? "directoryRoles" : "directoryObjects";
  return pageOf(ctx, typed, contextUrl(ctx, entitySet));
}

function listDomains(ctx: RouteContext): GraphResult {
  const value = ctx.env.tenant.domains.map((d) => ({ ...d, supportedServices: ["Email", "OfficeCommunicationsOnline"] }));
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#domains`, value } };
}

export const RELATION_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/manager", permissions: USER_READ, handler: getManager },
  { method: "PUT", pattern: "/users/:id/manager/$ref", permissions: USER_WRITE, handler: setManager },
  { method: "DELETE", pattern: "/users/:id/manager/$ref", permissions: USER_WRITE, handler: removeManager },
  ...(["memberOf", "transitiveMemberOf"] as const).flatMap((relation): Route[] => {
    const transitive = relation === "transitiveMemberOf";
    return [
      { method: "GET", pattern: `/users/:id/${relation}`, permissions: MEMBER_OF_READ, handler: (ctx) => membershipsOf(ctx, transitive, undefined) },
      { method: "GET", pattern: `/users/:id/${relation}/microsoft.graph.group`, permissions: MEMBER_OF_READ, handler: (ctx) => membershipsOf(ctx, transitive, "group") },
      { method: "GET", pattern: `/users/:id/${relation}/microsoft.graph.directoryRole`, permissions: MEMBER_OF_READ, handler: (ctx) => membershipsOf(ctx, transitive, "directoryRole") },
    ];
  }),
  { method: "GET", pattern: "/domains", permissions: DOMAIN_READ, handler: listDomains },
];
