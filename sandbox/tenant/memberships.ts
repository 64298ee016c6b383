/**
 * Who an object is a member of, the way Graph's memberOf and transitiveMemberOf see it: groups
 * (nested groups included) and directory roles (held directly or through a role-assignable group).
 */
import type { DirectoryRoleRecord, GroupRecord, TenantState } from "./types";

export interface Memberships {
  groups: GroupRecord[];
  roles: DirectoryRoleRecord[];
}

/** Groups and roles that list `objectId` itself as a member. */
export function directMemberships(tenant: TenantState, objectId: string): Memberships {
  return {
    groups: tenant.groups.filter((g) => g.members.includes(objectId)),
    roles: tenant.directoryRoles.filter((r) => r.members.includes(objectId)),
  };
}

/** Every group reached by following membership upwards, and every role any of them (or the object) holds. */
export function transitiveMemberships(tenant: TenantState, objectId: string): Memberships {
  const groups = new Map<string, GroupRecord>();
  const pending = [objectId];
  while (pending.length > 0) {
    const member = pending.pop() as string;
    for (const group of tenant.groups) {
      if (group.members.includes(member) && !groups.has(group.id)) {
        groups.set(group.id, group);
        pending.push(group.id); // a cycle ends here: a group is visited once
      }
    }
  }
  const holders = new Set([objectId, ...groups.keys()]);
  return { groups: [...groups.values()], roles: tenant.directoryRoles.filter((r) => r.members.some((m) => holders.has(m))) };
}
