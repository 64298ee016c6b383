/** /directoryRoles: the activated roles, and each role's members (users and role-assignable groups). */
import { notFound } from "../graph/errors";
import { applySelect, contextUrl, pageOf } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findDirectoryObject, isGroup } from "../tenant/lookup";
import { ROLE_READ } from "./permissions";
import { typedDirectoryRoleJson, typedGroupJson, typedUserJson } from "./serialize";

function listRoles(ctx: RouteContext): GraphResult {
  const select = ctx.query.get("$select");
  const roles = ctx.env.tenant.directoryRoles.map((role) => {
    const { "@odata.type": _omit, ...json } = typedDirectoryRoleJson(role);
    return applySelect(json, select);
  });
  return pageOf(ctx, roles, contextUrl(ctx, "directoryRoles"));
}

function listRoleMembers(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const key = (ctx.params.id as string).toLowerCase();
  const role = tenant.directoryRoles.find((r) => r.id.toLowerCase() === key || r.roleTemplateId.toLowerCase() === key);
  if (!role) return notFound(ctx.params.id as string);
  const select = ctx.query.get("$select");
  const members = role.members.flatMap((id) => {
    const object = findDirectoryObject(tenant, id);
    if (!object) return [];
    const typed = isGroup(object) ? typedGroupJson(object) : typedUserJson(object);
    return [select ? { "@odata.type": typed["@odata.type"], ...applySelect(typed, select) } : typed];
  });
  return pageOf(ctx, members, contextUrl(ctx, "directoryObjects"));
}

export const DIRECTORY_ROLE_ROUTES: Route[] = [
  { method: "GET", pattern: "/directoryRoles", permissions: ROLE_READ, handler: listRoles },
  { method: "GET", pattern: "/directoryRoles/:id/members", permissions: ROLE_READ, handler: listRoleMembers },
];
