/** Entra's validation rules for user properties, with Graph's messages. */
import { badRequest } from "../graph/errors";
import type { GraphResult } from "../graph/types";
import type { TenantState } from "../tenant/types";

export function invalidValue(property: string): GraphResult {
  return badRequest(`Invalid value specified for property '${property}' of resource 'User'.`);
}

// Entra also applies a banned-password list; these stand in for it.
const BANNED_FRAGMENTS = ["password", "welcome", "qwerty", "letmein", "123456", "contoso"];

/** Entra's rule: 8–256 characters, 3 of 4 character classes, nothing from the banned list. */
export function passwordProblem(password: unknown): GraphResult | undefined {
  const fail = badRequest("The specified password does not comply with password complexity requirements. Please provide a different password.");
  if (typeof password !== "string" || password.length < 8 || password.length > 256) return fail;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return fail;
  const lower = password.toLowerCase();
  return BANNED_FRAGMENTS.some((f) => lower.includes(f)) ? fail : undefined;
}

/** UPN characters allowed by Entra (reference §2), a local part and a domain. */
export function upnProblem(tenant: TenantState, upn: unknown): GraphResult | undefined {
  if (typeof upn !== "string") return invalidValue("userPrincipalName");
  const at = upn.lastIndexOf("@");
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1).toLowerCase();
  if (at <= 0 || !/^[A-Za-z0-9'.\-_!#^~]+$/.test(local) || local.startsWith(".") || local.endsWith(".")) return invalidValue("userPrincipalName");
  const verified = tenant.domains.some((d) => d.isVerified && d.id.toLowerCase() === domain);
  if (!verified) {
    const message = "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.";
    return badRequest(message, { details: [{ code: "InvalidValue", target: "userPrincipalName", message }] });
  }
  return undefined;
}

export function mailNicknameProblem(nickname: unknown): GraphResult | undefined {
  // Exchange aliases: printable ASCII without spaces or the characters Exchange reserves.
  if (typeof nickname !== "string" || nickname.length === 0 || nickname.length > 64 || !/^[!#$%&'*+\-/=?^_`{|}~A-Za-z0-9.]+$/.test(nickname)) {
    return invalidValue("mailNickname");
  }
  return undefined;
}

export function usageLocationProblem(value: unknown): GraphResult | undefined {
  return value === null || (typeof value === "string" && /^[A-Z]{2}$/.test(value)) ? undefined : invalidValue("usageLocation");
}

export function upnConflict(tenant: TenantState, upn: string, exceptId?: string): GraphResult | undefined {
  const taken = tenant.users.some((u) => u.id !== exceptId && u.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!taken) return undefined;
  return badRequest("Another object with the same value for property userPrincipalName already exists.", {
    details: [{ target: "userPrincipalName", code: "ObjectConflict" }],
  });
}
