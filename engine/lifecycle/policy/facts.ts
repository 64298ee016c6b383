/**
 * Graph's answers to the policy reads, as facts the decision compares: object ids (lower-cased),
 * never the strings the webhook sent. A 404 means "not in the tenant"; any other failure means the
 * request cannot be judged, and nothing runs.
 */
import type { GraphResponse } from "../../clients/graph/types";
import { IntentError } from "../../core/errors";

export interface Person {
  id: string;
  userPrincipalName: string;
  mail?: string;
  /** Every SMTP address of the user (proxyAddresses without their prefix), lower-cased. */
  addresses: readonly string[];
  enabled: boolean;
  guest: boolean;
}

export interface DirectoryRoleFact {
  id: string;
  displayName: string;
  roleTemplateId: string;
}

export interface Memberships {
  /** Group ids, lower-cased, direct and through nesting. */
  groups: ReadonlySet<string>;
  groupNames: ReadonlyMap<string, string>;
  roles: readonly DirectoryRoleFact[];
}

/** A directory role beyond an activated role's membership: eligible (PIM) or held in an administrative unit. */
export interface OtherRoleFact {
  kind: "eligible" | "scoped";
  /** The role definition (template) id of an eligibility; the directoryRole id of a scoped role. */
  roleId: string;
  /** Read only for the one a refusal names. */
  name?: string;
}

export interface TargetFacts {
  value: string;
  person?: Person;
  /** Read for intents that write; absent = none. */
  otherRoles?: readonly OtherRoleFact[];
  /** Managers' ids, lower-cased, nearest first, as far as the reads went. */
  managers: readonly string[];
  memberships: Memberships;
}

export interface RequesterFacts {
  email: string;
  person?: Person;
  /** Read only when a rule names groups. */
  groups: ReadonlySet<string>;
}

const NO_MEMBERSHIPS: Memberships = { groups: new Set(), groupNames: new Map(), roles: [] };

function lookupFailed(what: string, response: GraphResponse | undefined, permission = "User.Read.All"): IntentError {
  const status = response?.status ?? 0;
  const code = (response?.body as { error?: { code?: unknown } } | null | undefined)?.error?.code;
  return new IntentError("POLICY_LOOKUP_FAILED", `Reading the ${what} from Microsoft Graph failed with ${status}${typeof code === "string" ? ` ${code}` : ""}.`, {
    retryable: status === 429 || status >= 500 || status === 404,
    fix: status === 403 ? `Grant the app ${permission} (requester policy reads users, their managers, memberships and directory roles).` : "Send the request again; nothing was changed.",
  });
}

/** True for a success, false for 404 (not in the tenant); any other answer means the run cannot be judged. */
export function found(what: string, response: GraphResponse | undefined): boolean {
  if (response === undefined) return false;
  if (response.status === 404) return false;
  if (response.status >= 200 && response.status < 300) return true;
  throw lookupFailed(what, response);
}

/** A read that must succeed (the memberships of a target that exists): anything else means the run cannot be judged. */
export function required(what: string, response: GraphResponse, permission?: string): GraphResponse {
  if (response.status >= 200 && response.status < 300) return response;
  throw lookupFailed(what, response, permission);
}

/** Graph's answer to the eligibility list in a tenant without the licence PIM needs: nobody there is eligible. */
export function withoutPim(response: GraphResponse): boolean {
  const code = (response.body as { error?: { code?: unknown } } | null | undefined)?.error?.code;
  return response.status === 400 && code === "AadPremiumLicenseRequired";
}

/** The eligibilities whose principal is the user or one of their groups (a role-assignable group's eligibility is its members'). */
export function eligibilitiesFor(items: readonly unknown[], principals: ReadonlySet<string>): OtherRoleFact[] {
  return items.flatMap((item) => {
    const eligibility = item as { principalId?: unknown; roleDefinitionId?: unknown } | null;
    if (typeof eligibility?.principalId !== "string" || typeof eligibility.roleDefinitionId !== "string") return [];
    return principals.has(eligibility.principalId.toLowerCase()) ? [{ kind: "eligible" as const, roleId: eligibility.roleDefinitionId.toLowerCase() }] : [];
  });
}

/** scopedRoleMemberships, as facts. */
export function scopedRolesFrom(items: readonly unknown[]): OtherRoleFact[] {
  return items.flatMap((item) => {
    const membership = item as { roleId?: unknown } | null;
    return typeof membership?.roleId === "string" ? [{ kind: "scoped" as const, roleId: membership.roleId.toLowerCase() }] : [];
  });
}

/** "SMTP:a@x" and "smtp:b@x" → a@x, b@x; other address types (X500:, SIP:) are not mail addresses. */
function smtpAddresses(proxyAddresses: unknown): string[] {
  if (!Array.isArray(proxyAddresses)) return [];
  return proxyAddresses.flatMap((address) => (typeof address === "string" && /^smtp:/i.test(address) ? [address.slice(5).trim().toLowerCase()] : []));
}

/** Every name a person goes by in the tenant: object id, UPN, mail and SMTP addresses, lower-cased. */
export function namesOf(person: Person): string[] {
  return [person.id, person.userPrincipalName, ...(person.mail ? [person.mail] : []), ...person.addresses];
}

export function personFrom(body: unknown): Person | undefined {
  const user = body as { id?: unknown; userPrincipalName?: unknown; mail?: unknown; proxyAddresses?: unknown; accountEnabled?: unknown; userType?: unknown } | null;
  if (typeof user?.id !== "string" || typeof user.userPrincipalName !== "string") return undefined;
  return {
    id: user.id.toLowerCase(),
    userPrincipalName: user.userPrincipalName.toLowerCase(),
    ...(typeof user.mail === "string" ? { mail: user.mail.toLowerCase() } : {}),
    addresses: smtpAddresses(user.proxyAddresses),
    // Graph omits accountEnabled only when not selected; absent must not read as enabled.
    enabled: user.accountEnabled === true,
    guest: user.userType === "Guest",
  };
}

/** The nested `manager` objects of `$expand=manager(…)`, nearest first. */
export function managerChainFrom(body: unknown): string[] {
  const chain: string[] = [];
  let manager = (body as { manager?: unknown } | null)?.manager as { id?: unknown; manager?: unknown } | undefined;
  while (manager && typeof manager.id === "string" && chain.length < 1000) {
    chain.push(manager.id.toLowerCase());
    manager = manager.manager as typeof manager | undefined;
  }
  return chain;
}

/** Groups and directory roles from transitiveMemberOf items (administrative units are not memberships that protect). */
export function membershipsFrom(items: readonly unknown[]): Memberships {
  const groups = new Set<string>();
  const groupNames = new Map<string, string>();
  const roles: DirectoryRoleFact[] = [];
  for (const item of items) {
    const object = item as { "@odata.type"?: unknown; id?: unknown; displayName?: unknown; roleTemplateId?: unknown } | null;
    if (typeof object?.id !== "string") continue;
    const id = object.id.toLowerCase();
    const name = typeof object.displayName === "string" ? object.displayName : id;
    if (object["@odata.type"] === "#microsoft.graph.directoryRole") {
      roles.push({ id, displayName: name, roleTemplateId: typeof object.roleTemplateId === "string" ? object.roleTemplateId.toLowerCase() : "" });
    } else if (object["@odata.type"] === "#microsoft.graph.group" || object["@odata.type"] === undefined) {
      groups.add(id);
      groupNames.set(id, name);
    }
  }
  return { groups, groupNames, roles };
}

export function noMemberships(): Memberships {
  return NO_MEMBERSHIPS;
}

/** `value` and `@odata.nextLink` of a collection page. */
export function pageOf(body: unknown): { items: unknown[]; next?: string } {
  const page = body as { value?: unknown; "@odata.nextLink"?: unknown } | null;
  return { items: Array.isArray(page?.value) ? page.value : [], ...(typeof page?.["@odata.nextLink"] === "string" ? { next: page["@odata.nextLink"] } : {}) };
}
