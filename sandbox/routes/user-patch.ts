/**
 * Applies a PATCH body to a user after checking every value, so a refused PATCH changes nothing.
 * Properties the metadata allows but the sandbox does not model are accepted and ignored.
 */
import { badRequest } from "../graph/errors";
import type { GraphResult } from "../graph/types";
import type { TenantState, UserRecord } from "../tenant/types";
import { invalidValue, mailNicknameProblem, passwordProblem, upnConflict, upnProblem, usageLocationProblem } from "./user-rules";

const NULLABLE_STRINGS = ["givenName", "surname", "jobTitle", "department", "mail", "mobilePhone", "officeLocation", "preferredLanguage"] as const;

function check(tenant: TenantState, user: UserRecord, body: Record<string, unknown>): GraphResult | undefined {
  if ("accountEnabled" in body && typeof body.accountEnabled !== "boolean") return invalidValue("accountEnabled");
  if ("displayName" in body && (typeof body.displayName !== "string" || body.displayName.trim() === "")) return invalidValue("displayName");
  for (const key of NULLABLE_STRINGS) if (key in body && body[key] !== null && typeof body[key] !== "string") return invalidValue(key);
  if ("businessPhones" in body && !(Array.isArray(body.businessPhones) && body.businessPhones.every((p) => typeof p === "string"))) return invalidValue("businessPhones");
  if ("usageLocation" in body) {
    const problem = usageLocationProblem(body.usageLocation);
    if (problem) return problem;
  }
  if ("employeeHireDate" in body && body.employeeHireDate !== null && (typeof body.employeeHireDate !== "string" || Number.isNaN(Date.parse(body.employeeHireDate)))) {
    return badRequest(`Cannot convert the literal '${String(body.employeeHireDate)}' to the expected type 'Edm.DateTimeOffset'.`);
  }
  if ("mailNickname" in body) {
    const problem = mailNicknameProblem(body.mailNickname);
    if (problem) return problem;
  }
  if ("userPrincipalName" in body) {
    const problem = upnProblem(tenant, body.userPrincipalName) ?? upnConflict(tenant, body.userPrincipalName as string, user.id);
    if (problem) return problem;
  }
  if ("passwordProfile" in body) {
    const profile = body.passwordProfile;
    if (typeof profile !== "object" || profile === null) return invalidValue("passwordProfile");
    const problem = passwordProblem((profile as Record<string, unknown>).password);
    if (problem) return problem;
  }
  return undefined;
}

/** Returns the refusal, or undefined after changing the user. */
export function applyUserPatch(tenant: TenantState, user: UserRecord, body: Record<string, unknown>, now: number): GraphResult | undefined {
  const problem = check(tenant, user, body);
  if (problem) return problem;
  if (typeof body.accountEnabled === "boolean") user.accountEnabled = body.accountEnabled;
  if (typeof body.displayName === "string") user.displayName = body.displayName;
  if (typeof body.mailNickname === "string") user.mailNickname = body.mailNickname;
  if (typeof body.userPrincipalName === "string") user.userPrincipalName = body.userPrincipalName;
  if ("usageLocation" in body) user.usageLocation = body.usageLocation as string | null;
  if ("employeeHireDate" in body) user.employeeHireDate = body.employeeHireDate === null ? null : new Date(body.employeeHireDate as string).toISOString().replace(".000Z", "Z");
  if (Array.isArray(body.businessPhones)) user.businessPhones = [...(body.businessPhones as string[])];
  for (const key of NULLABLE_STRINGS) if (key in body) user[key] = body[key] as string | null;
  if (body.passwordProfile) {
    const profile = body.passwordProfile as Record<string, unknown>;
    // Only the fact of the change is kept; the password is never stored.
    user.passwordProfile = { forceChangePasswordNextSignIn: profile.forceChangePasswordNextSignIn !== false, lastChangedDateTime: new Date(now).toISOString() };
  }
  return undefined;
}
