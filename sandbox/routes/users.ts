/**
 * /users: get (id or UPN, guests' #EXT# included, `$expand=manager` and the manager chain), list,
 * create, update, delete, revokeSignInSessions.
 */
import { randomUUID } from "node:crypto";
import { notFound } from "../graph/errors";
import { applySelect, contextUrl, isResult, pageOf, parseOrFilter, type EqClause } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import type { UserRecord } from "../tenant/types";
import { managerChain, managerExpansionFor, type ManagerExpansion } from "./manager-expand";
import { USER_READ, USER_WRITE } from "./permissions";
import { DEFAULT_USER_PROPERTIES, userJson } from "./serialize";
import { applyUserPatch } from "./user-patch";
import { invalidValue, mailNicknameProblem, passwordProblem, upnConflict, upnProblem, usageLocationProblem } from "./user-rules";

const FILTERABLE = ["userPrincipalName", "mail", "displayName", "mailNickname", "id"];
/** Multi-valued properties a filter reaches with `any`. */
const FILTERABLE_COLLECTIONS = ["proxyAddresses"];

/** Whether a user meets one clause; directory comparisons ignore case. */
function meets(user: UserRecord, clause: EqClause): boolean {
  const value = userJson(user)[clause.property];
  const wanted = clause.value.toLowerCase();
  if (clause.any) return Array.isArray(value) && value.some((item) => String(item).toLowerCase() === wanted);
  return String(value ?? "").toLowerCase() === wanted;
}

function withManager(ctx: RouteContext, user: UserRecord, body: Record<string, unknown>, expansion: ManagerExpansion | undefined): Record<string, unknown> {
  const manager = expansion ? managerChain(ctx.env.tenant, user, expansion) : undefined;
  return manager ? { ...body, manager } : body;
}

function listUsers(ctx: RouteContext): GraphResult {
  const expansion = managerExpansionFor(ctx, true);
  if (isResult(expansion)) return expansion;
  let users = ctx.env.tenant.users;
  const filter = ctx.query.get("$filter");
  if (filter) {
    const parsed = parseOrFilter(filter);
    if (isResult(parsed)) return parsed;
    const clauses: EqClause[] = [];
    for (const clause of parsed) {
      const property = (clause.any ? FILTERABLE_COLLECTIONS : FILTERABLE).find((p) => p.toLowerCase() === clause.property.toLowerCase());
      if (!property) return invalidValue(clause.property);
      clauses.push({ ...clause, property });
    }
    users = users.filter((u) => clauses.some((clause) => meets(u, clause)));
  }
  const select = ctx.query.get("$select");
  return pageOf(ctx, users.map((u) => withManager(ctx, u, applySelect(userJson(u), select, DEFAULT_USER_PROPERTIES), expansion)), contextUrl(ctx, "users"));
}

function getUser(ctx: RouteContext): GraphResult {
  const expansion = managerExpansionFor(ctx, false);
  if (isResult(expansion)) return expansion;
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const body = withManager(ctx, user, applySelect(userJson(user), ctx.query.get("$select"), DEFAULT_USER_PROPERTIES), expansion);
  return { status: 200, body: { "@odata.context": contextUrl(ctx, "users", "/$entity"), ...body } };
}

const REQUIRED_ON_CREATE = ["accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"] as const;

function createUser(ctx: RouteContext): GraphResult {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const tenant = ctx.env.tenant;
  for (const property of REQUIRED_ON_CREATE) if (body[property] === undefined || body[property] === null) return invalidValue(property);
  if (typeof body.accountEnabled !== "boolean") return invalidValue("accountEnabled");
  if (typeof body.displayName !== "string" || body.displayName.trim() === "") return invalidValue("displayName");
  const problem =
    upnProblem(tenant, body.userPrincipalName) ??
    mailNicknameProblem(body.mailNickname) ??
    (body.usageLocation === undefined ? undefined : usageLocationProblem(body.usageLocation)) ??
    passwordProblem((body.passwordProfile as Record<string, unknown>).password) ??
    upnConflict(tenant, body.userPrincipalName as string);
  if (problem) return problem;
  const now = new Date(ctx.env.now()).toISOString();
  const user: UserRecord = {
    id: randomUUID(),
    userPrincipalName: body.userPrincipalName as string,
    displayName: body.displayName,
    mailNickname: body.mailNickname as string,
    accountEnabled: body.accountEnabled,
    userType: "Member",
    createdDateTime: now,
    assignedLicenses: [],
    authenticationMethods: [{ id: "28c10230-6103-485e-b985-444c60001490", type: "password" }],
    passwordProfile: { forceChangePasswordNextSignIn: (body.passwordProfile as Record<string, unknown>).forceChangePasswordNextSignIn !== false, lastChangedDateTime: now },
  };
  // The password itself is checked and then dropped: the sandbox never stores a secret.
  const { passwordProfile: _password, accountEnabled: _a, displayName: _d, mailNickname: _m, userPrincipalName: _u, ...rest } = body;
  const patched = applyUserPatch(tenant, user, rest, ctx.env.now());
  if (patched) return patched;
  tenant.users.push(user);
  ctx.env.onCredential?.({ userPrincipalName: user.userPrincipalName, kind: "password", value: String((body.passwordProfile as Record<string, unknown>).password) });
  return { status: 201, body: { "@odata.context": contextUrl(ctx, "users", "/$entity"), ...applySelect(userJson(user), null, DEFAULT_USER_PROPERTIES) } };
}

function updateUser(ctx: RouteContext): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const problem = applyUserPatch(ctx.env.tenant, user, body, ctx.env.now());
  if (problem) return problem;
  const password = (body.passwordProfile as Record<string, unknown> | undefined)?.password;
  if (typeof password === "string") ctx.env.onCredential?.({ userPrincipalName: user.userPrincipalName, kind: "password", value: password });
  return { status: 204 };
}

function deleteUser(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  tenant.users = tenant.users.filter((u) => u !== user);
  for (const group of tenant.groups) group.members = group.members.filter((id) => id !== user.id);
  for (const other of tenant.users) if (other.managerId === user.id) other.managerId = null;
  return { status: 204 };
}

function revokeSignInSessions(ctx: RouteContext): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  user.signInSessionsValidFromDateTime = new Date(ctx.env.now()).toISOString();
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#Edm.Boolean`, value: true } };
}

/** PATCH needs less than User.ReadWrite.All when it only enables/disables or only resets the password. */
function patchPermissions(ctx: RouteContext): readonly string[] {
  const keys = Object.keys((ctx.body ?? {}) as object);
  if (keys.length > 0 && keys.every((k) => k === "accountEnabled")) return [...USER_WRITE, "User.EnableDisableAccount.All"];
  if (keys.length > 0 && keys.every((k) => k === "passwordProfile")) return [...USER_WRITE, "User-PasswordProfile.ReadWrite.All"];
  return USER_WRITE;
}

export const USER_ROUTES: Route[] = [
  { method: "GET", pattern: "/users", permissions: USER_READ, handler: listUsers },
  { method: "POST", pattern: "/users", permissions: USER_WRITE, handler: createUser },
  { method: "GET", pattern: "/users/:id", permissions: USER_READ, handler: getUser },
  { method: "PATCH", pattern: "/users/:id", permissions: patchPermissions, handler: updateUser },
  { method: "DELETE", pattern: "/users/:id", permissions: USER_WRITE, handler: deleteUser },
  { method: "POST", pattern: "/users/:id/revokeSignInSessions", permissions: USER_WRITE, handler: revokeSignInSessions },
];
