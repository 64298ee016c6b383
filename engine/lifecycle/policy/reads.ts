/**
 * The Graph reads requester policy needs, as independent requests that can ride in one `$batch`
 * (with the intent's own first reads): the requester, the target with its manager chain, the
 * target's memberships (groups and directory roles), and the requester's groups when a rule names
 * groups. Every value from the webhook goes into a path segment, percent-encoded, never a filter.
 */
import type { GraphRequest } from "../../clients/graph/types";
import type { PolicyRule } from "../../language/policy/types";

export const PERSON_SELECT = "id,userPrincipalName,mail,proxyAddresses,accountEnabled,userType";
export const MEMBERSHIP_SELECT = "id,displayName,roleTemplateId";
/** Graph's largest page of memberships; a second page is read only for the rare account with more. */
export const MEMBERSHIP_PAGE = "999";

export type ReadName = "requester" | "requesterGroups" | "target" | "targetMemberships" | "roleEligibilities" | "targetScopedRoles";

export interface NamedRead {
  name: ReadName;
  request: GraphRequest;
}

function userPath(value: string, suffix = ""): string {
  return `/users/${encodeURIComponent(value)}${suffix}`;
}

/** Whether a value can name a user in a path at all: an empty or dot segment never resolves. */
export function usableKey(value: string | undefined): value is string {
  const trimmed = value?.trim() ?? "";
  return trimmed !== "" && trimmed !== "." && trimmed !== "..";
}

/** The manager chain to read: the deepest level any manager requester reaches, or 0. */
export function managerLevels(rule: PolicyRule): number {
  return rule.requesters.reduce((deepest, r) => (r.kind === "manager" ? Math.max(deepest, r.levels) : deepest), 0);
}

/**
 * The target with its managers. One level is a plain `$expand=manager`; more is the chain form,
 * which Graph answers only as an advanced query (ConsistencyLevel: eventual and $count=true).
 */
export function targetRead(target: string, levels: number): GraphRequest {
  const query: Record<string, string> = { $select: PERSON_SELECT };
  if (levels === 0) return { method: "GET", path: userPath(target), query };
  if (levels === 1) return { method: "GET", path: userPath(target), query: { ...query, $expand: "manager($select=id)" } };
  const depth = levels === Number.POSITIVE_INFINITY ? "max" : String(levels);
  return {
    method: "GET",
    path: userPath(target),
    query: { ...query, $expand: `manager($levels=${depth};$select=id)`, $count: "true" },
    headers: { ConsistencyLevel: "eventual" },
  };
}

/**
 * A user by an address that is not their UPN: the primary (`mail`) or any other SMTP address their
 * mailbox receives at (`proxyAddresses`, as Exchange resolves an Identity). Only where the address
 * is a value inside a filter literal, quotes doubled; sent as an advanced query, which takes any
 * filter Graph knows.
 */
export function userByAddressRead(address: string): GraphRequest {
  const literal = address.trim().replace(/'/g, "''");
  return {
    method: "GET",
    path: "/users",
    query: { $filter: `mail eq '${literal}' or proxyAddresses/any(a:a eq 'smtp:${literal}')`, $select: PERSON_SELECT, $count: "true" },
    headers: { ConsistencyLevel: "eventual" },
  };
}

/** Every group and directory role the user holds, nesting included. */
export function membershipsRead(user: string): GraphRequest {
  return { method: "GET", path: userPath(user, "/transitiveMemberOf"), query: { $select: MEMBERSHIP_SELECT, $top: MEMBERSHIP_PAGE } };
}

/**
 * Every eligible directory role assignment in the tenant (Privileged Identity Management): a short
 * list, read whole so that it needs nothing read before it and rides in the first `$batch`.
 */
export const ROLE_ELIGIBILITIES_READ: GraphRequest = {
  method: "GET",
  path: "/roleManagement/directory/roleEligibilityScheduleInstances",
  query: { $select: "principalId,roleDefinitionId,directoryScopeId" },
};

/** The directory roles the user holds in administrative units (they do not show in memberOf). */
export function scopedRolesRead(user: string): GraphRequest {
  return { method: "GET", path: userPath(user, "/scopedRoleMemberOf") };
}

/**
 * `protect`: the intent writes, so the target's protection is read too (its memberships are read
 * anyway: they also name its groups): eligible and administrative-unit roles.
 */
export function policyReads(rule: PolicyRule, requesterEmail: string, target: string | undefined, protect = true): NamedRead[] {
  const reads: NamedRead[] = [];
  if (usableKey(requesterEmail)) {
    reads.push({ name: "requester", request: { method: "GET", path: userPath(requesterEmail.trim()), query: { $select: PERSON_SELECT } } });
    if (rule.requesters.some((r) => r.kind === "group")) {
      reads.push({ name: "requesterGroups", request: { method: "GET", path: userPath(requesterEmail.trim(), "/transitiveMemberOf/microsoft.graph.group"), query: { $select: "id", $top: MEMBERSHIP_PAGE } } });
    }
  }
  if (usableKey(target)) {
    reads.push({ name: "target", request: targetRead(target.trim(), managerLevels(rule)) });
    reads.push({ name: "targetMemberships", request: membershipsRead(target.trim()) });
    if (protect) {
      reads.push({ name: "roleEligibilities", request: ROLE_ELIGIBILITIES_READ });
      reads.push({ name: "targetScopedRoles", request: scopedRolesRead(target.trim()) });
    }
  }
  return reads;
}
