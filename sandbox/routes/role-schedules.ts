/**
 * Directory roles held other than as an activated role's member: eligible assignments
 * (Privileged Identity Management, `/roleManagement/directory/roleEligibilityScheduleInstances`)
 * and roles scoped to an administrative unit (`/users/{id}/scopedRoleMemberOf`). A tenant without
 * the P2 licence PIM needs answers the eligibility list 400 AadPremiumLicenseRequired.
 */
import { graphError, notFound } from "../graph/errors";
import { applySelect, contextUrl, pageOf } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { ENTRA_ROLES } from "../../engine/contracts/directory-roles";
import { findUser } from "../tenant/lookup";

export const ROLE_ELIGIBILITY_READ = ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
export const ROLE_DEFINITION_READ = ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"];
export const SCOPED_ROLE_READ = ["RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"];

function listEligibilityInstances(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  if (tenant.pimLicensed === false) return graphError(400, "AadPremiumLicenseRequired", "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.");
  const select = ctx.query.get("$select");
  const items = (tenant.roleEligibilities ?? []).map((eligibility, i) => applySelect({
    id: `${eligibility.principalId}-${eligibility.roleTemplateId}-${i}`,
    principalId: eligibility.principalId,
    roleDefinitionId: eligibility.roleTemplateId,
    directoryScopeId: eligibility.directoryScopeId ?? "/",
    appScopeId: null,
    memberType: "Direct",
    startDateTime: "2026-01-01T00:00:00Z",
    endDateTime: null,
    roleEligibilityScheduleId: `${eligibility.principalId}-${i}`,
  }, select));
  return pageOf(ctx, items, contextUrl(ctx, "roleManagement/directory/roleEligibilityScheduleInstances"));
}

function listScopedRoles(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const items = (tenant.scopedRoleMemberships ?? []).filter((m) => m.userId.toLowerCase() === user.id.toLowerCase()).map((m) => ({
    id: `${m.roleId}-${m.administrativeUnitId}-${user.id}`,
    roleId: m.roleId,
    administrativeUnitId: m.administrativeUnitId,
    roleMemberInfo: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName },
  }));
  return pageOf(ctx, items, contextUrl(ctx, "scopedRoleMemberships"));
}

/** A built-in role definition by its template id: its display name (the tenant's activated role's, else Microsoft's). */
function getRoleDefinition(ctx: RouteContext): GraphResult {
  const id = (ctx.params.id as string).toLowerCase();
  const activated = ctx.env.tenant.directoryRoles.find((role) => role.roleTemplateId.toLowerCase() === id);
  const name = activated?.displayName ?? [...ENTRA_ROLES].find(([, templateId]) => templateId === id)?.[0];
  if (!name) return notFound(ctx.params.id as string);
  return { status: 200, body: { "@odata.context": contextUrl(ctx, "roleManagement/directory/roleDefinitions", "/$entity"), ...applySelect({ id, displayName: name, isBuiltIn: true, isEnabled: true, templateId: id }, ctx.query.get("$select")) } };
}

export const ROLE_SCHEDULE_ROUTES: Route[] = [
  { method: "GET", pattern: "/roleManagement/directory/roleDefinitions/:id", permissions: ROLE_DEFINITION_READ, handler: getRoleDefinition },
  { method: "GET", pattern: "/roleManagement/directory/roleEligibilityScheduleInstances", permissions: ROLE_ELIGIBILITY_READ, handler: listEligibilityInstances },
  { method: "GET", pattern: "/users/:id/scopedRoleMemberOf", permissions: SCOPED_ROLE_READ, handler: listScopedRoles },
];
