/** /groups: list with `$filter=… eq '…'`, get, members (direct and transitive), and member add/remove through `$ref`. */
import { badRequest, forbidden, graphError, notFound } from "../graph/errors";
import { applySelect, contextUrl, isResult, pageOf, parseEqFilter, referencedId } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findDirectoryObject, findGroup, isGroup } from "../tenant/lookup";
import type { GroupRecord } from "../tenant/types";
import { GROUP_MEMBER_WRITE, GROUP_READ } from "./permissions";
import { groupJson, typedGroupJson, typedUserJson } from "./serialize";

const FILTERABLE = ["displayName", "mailNickname", "mail", "id"];

function listGroups(ctx: RouteContext): GraphResult {
  let groups = ctx.env.tenant.groups;
  const filter = ctx.query.get("$filter");
  if (filter) {
    const eq = parseEqFilter(filter);
    if (isResult(eq)) return eq;
    const property = FILTERABLE.find((p) => p.toLowerCase() === eq.property.toLowerCase());
    if (!property) return graphError(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property '" + eq.property + "' of resource 'Group'.");
    groups = groups.filter((g) => String(groupJson(g)[property] ?? "").toLowerCase() === eq.value.toLowerCase());
  }
  const select = ctx.query.get("$select");
  return pageOf(ctx, groups.map((g) => applySelect(groupJson(g), select)), contextUrl(ctx, "groups"));
}

function getGroup(ctx: RouteContext): GraphResult {
  const group = findGroup(ctx.env.tenant, ctx.params.id as string);
  if (!group) return notFound(ctx.params.id as string);
  return { status: 200, body: { "@odata.context": contextUrl(ctx, "groups", "/$entity"), ...applySelect(groupJson(group), ctx.query.get("$select")) } };
}

function listMembers(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const group = findGroup(tenant, ctx.params.id as string);
  if (!group) return notFound(ctx.params.id as string);
  const select = ctx.query.get("$select");
  const members = group.members.flatMap((id) => {
    const object = findDirectoryObject(tenant, id);
    if (!object) return [];
    const typed = isGroup(object) ? typedGroupJson(object) : typedUserJson(object);
    return [select ? { "@odata.type": typed["@odata.type"], ...applySelect(typed, select) } : typed];
  });
  return pageOf(ctx, members, contextUrl(ctx, "directoryObjects"));
}

/**
 * transitiveMembers: every member reached through nested groups, each once; cast to
 * microsoft.graph.user, only the users (Graph's OData cast on a directoryObject collection).
 */
function listTransitiveMembers(ctx: RouteContext, usersOnly: boolean): GraphResult {
  const tenant = ctx.env.tenant;
  const group = findGroup(tenant, ctx.params.id as string);
  if (!group) return notFound(ctx.params.id as string);
  const seen = new Set<string>([group.id]);
  const found: Array<Record<string, unknown>> = [];
  const pending = [...group.members];
  for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
    const object = findDirectoryObject(tenant, id);
    if (!object || seen.has(object.id)) continue;
    seen.add(object.id);
    if (isGroup(object)) pending.push(...object.members);
    if (isGroup(object) && usersOnly) continue;
    found.push(isGroup(object) ? typedGroupJson(object) : typedUserJson(object));
  }
  const select = ctx.query.get("$select");
  const items = found.map((typed) => (select ? { "@odata.type": typed["@odata.type"], ...applySelect(typed, select) } : typed));
  return pageOf(ctx, items, contextUrl(ctx, usersOnly ? "users" : "directoryObjects"));
}

/** Why Graph refuses to change this group's members, if it does (reference §0.1 and §6). */
function membershipRefusal(group: GroupRecord): GraphResult | undefined {
  if (group.groupTypes.includes("DynamicMembership")) return forbidden();
  if (group.onPremisesSyncEnabled) return badRequest("Unable to update the specified properties for objects that have originated within an external service.");
  const unified = group.groupTypes.includes("Unified");
  if (!unified && group.mailEnabled) return badRequest("Cannot Update a mail-enabled security groups and or distribution list.");
  return undefined;
}

function addMember(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const group = findGroup(tenant, ctx.params.id as string);
  if (!group) return notFound(ctx.params.id as string);
  const memberId = referencedId(ctx.body);
  if (!memberId) return badRequest("Invalid request body: expected {\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/{id}\"}.");
  const refusal = membershipRefusal(group);
  if (refusal) return refusal;
  const member = findDirectoryObject(tenant, memberId);
  if (!member) return notFound(memberId);
  if (group.members.includes(member.id)) return badRequest("One or more added object references already exist for the following modified properties: 'members'.");
  group.members.push(member.id);
  return { status: 204 };
}

function removeMember(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const group = findGroup(tenant, ctx.params.id as string);
  if (!group) return notFound(ctx.params.id as string);
  const refusal = membershipRefusal(group);
  if (refusal) return refusal;
  const memberId = ctx.params.memberId as string;
  const member = findDirectoryObject(tenant, memberId);
  if (!member) return notFound(memberId);
  if (!group.members.includes(member.id)) return badRequest("One or more removed object references do not exist for the following modified properties: 'members'.");
  group.members = group.members.filter((id) => id !== member.id);
  return { status: 204 };
}

export const GROUP_ROUTES: Route[] = [
  { method: "GET", pattern: "/groups", permissions: GROUP_READ, handler: listGroups },
  { method: "GET", pattern: "/groups/:id", permissions: GROUP_READ, handler: getGroup },
  { method: "GET", pattern: "/groups/:id/members", permissions: GROUP_READ, handler: listMembers },
  { method: "GET", pattern: "/groups/:id/transitiveMembers", permissions: GROUP_READ, handler: (ctx) => listTransitiveMembers(ctx, false) },
  { method: "GET", pattern: "/groups/:id/transitiveMembers/microsoft.graph.user", permissions: GROUP_READ, handler: (ctx) => listTransitiveMembers(ctx, true) },
  { method: "POST", pattern: "/groups/:id/members/$ref", permissions: GROUP_MEMBER_WRITE, handler: addMember },
  { method: "DELETE", pattern: "/groups/:id/members/:memberId/$ref", permissions: GROUP_MEMBER_WRITE, handler: removeMember },
];
