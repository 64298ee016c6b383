/**
 * A user's OneDrive: the drive, its root folder's permissions, and `invite` on the root (how a
 * manager is given the leaver's files). A drive not provisioned yet answers as Graph does for a
 * user whose OneDrive was never opened: 404 "User's mysite not found."
 */
import { createHash } from "node:crypto";
import { graphError, notFound } from "../graph/errors";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import type { DrivePermissionRecord, DriveRecord, TenantState, UserRecord } from "../tenant/types";
import { FILES_READ, FILES_WRITE } from "./permissions";

const ROLES = ["read", "write"];

function driveOf(ctx: RouteContext): { user: UserRecord; drive: DriveRecord } | GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  return user.drive ? { user, drive: user.drive } : graphError(404, "ResourceNotFound", "User's mysite not found.");
}

function identity(tenant: TenantState, userId: string): Record<string, unknown> {
  const user = findUser(tenant, userId);
  return { user: { id: userId, displayName: user?.displayName ?? null, email: user?.mail ?? user?.userPrincipalName ?? null } };
}

function permissionJson(tenant: TenantState, permission: DrivePermissionRecord): Record<string, unknown> {
  const grantee = identity(tenant, permission.userId);
  return { id: permission.id, roles: [...permission.roles], grantedTo: grantee, grantedToV2: grantee };
}

function getDrive(ctx: RouteContext): GraphResult {
  const found = driveOf(ctx);
  if ("status" in found) return found;
  const { user, drive } = found;
  return {
    status: 200,
    body: {
      "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#drives/$entity`,
      id: drive.id,
      driveType: "business",
      name: "OneDrive",
      webUrl: drive.webUrl,
      owner: { user: { id: user.id, displayName: user.displayName, email: user.mail ?? user.userPrincipalName } },
    },
  };
}

function listRootPermissions(ctx: RouteContext): GraphResult {
  const found = driveOf(ctx);
  if ("status" in found) return found;
  const value = found.drive.rootPermissions.map((permission) => permissionJson(ctx.env.tenant, permission));
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#Collection(microsoft.graph.permission)`, value } };
}

function invalidRequest(message: string): GraphResult {
  return graphError(400, "invalidRequest", message);
}

/** Stable per drive and grantee, as SharePoint keeps one permission per user on an item. */
function permissionId(drive: DriveRecord, userId: string): string {
  return createHash("sha256").update(`${drive.id}/${userId}`).digest("base64url").slice(0, 27);
}

/**
 * Grants each recipient the role asked for; a recipient who already holds it keeps the same
 * permission (the answer repeats it), one holding less is raised, one holding more keeps it.
 */
function invite(ctx: RouteContext): GraphResult {
  const found = driveOf(ctx);
  if ("status" in found) return found;
  const { drive } = found;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const recipients = body.recipients;
  const roles = body.roles;
  if (!Array.isArray(recipients) || recipients.length === 0) return invalidRequest("Invalid request: recipients must name at least one recipient.");
  if (!Array.isArray(roles) || roles.length !== 1 || !ROLES.includes(String(roles[0]))) return invalidRequest("Invalid request: roles must be [\"read\"] or [\"write\"].");
  const role = String(roles[0]);
  const grantees: UserRecord[] = [];
  for (const recipient of recipients) {
    const address = (recipient as { email?: unknown; objectId?: unknown } | null)?.email ?? (recipient as { objectId?: unknown } | null)?.objectId;
    const user = typeof address === "string" ? ctx.env.tenant.users.find((u) => [u.id, u.userPrincipalName, u.mail].some((key) => key?.toLowerCase() === address.toLowerCase())) : undefined;
    if (!user) return invalidRequest(`One or more users could not be resolved: ${String(address)}.`);
    grantees.push(user);
  }
  const granted = grantees.map((user) => {
    let permission = drive.rootPermissions.find((candidate) => candidate.userId === user.id);
    if (!permission) {
      permission = { id: permissionId(drive, user.id), roles: [role], userId: user.id };
      drive.rootPermissions.push(permission);
    } else if (role === "write" && permission.roles.includes("read") && !permission.roles.includes("write")) {
      permission.roles = ["write"];
    }
    return permissionJson(ctx.env.tenant, permission);
  });
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#Collection(microsoft.graph.permission)`, value: granted } };
}

export const DRIVE_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/drive", permissions: FILES_READ, handler: getDrive },
  { method: "GET", pattern: "/users/:id/drive/root/permissions", permissions: FILES_READ, handler: listRootPermissions },
  { method: "POST", pattern: "/users/:id/drive/root/invite", permissions: FILES_WRITE, handler: invite },
];
