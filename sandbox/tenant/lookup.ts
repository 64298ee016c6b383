/** Finding things in the tenant the way Graph does (ids and UPNs compared without case). */
import type { GroupRecord, SkuRecord, TenantState, UserRecord } from "./types";

export function findUser(tenant: TenantState, idOrUpn: string): UserRecord | undefined {
  const key = idOrUpn.toLowerCase();
  return tenant.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
}

export function findGroup(tenant: TenantState, id: string): GroupRecord | undefined {
  const key = id.toLowerCase();
  return tenant.groups.find((g) => g.id.toLowerCase() === key);
}

/** A user or group by object id (directoryObjects). */
export function findDirectoryObject(tenant: TenantState, id: string): UserRecord | GroupRecord | undefined {
  return findUser(tenant, id) ?? findGroup(tenant, id);
}

/** Seats in use: counted from the users' assignments, so they can never drift from the truth. */
export function consumedUnits(tenant: TenantState, sku: SkuRecord): number {
  return tenant.users.filter((u) => u.assignedLicenses.some((l) => l.skuId.toLowerCase() === sku.skuId.toLowerCase())).length;
}

export function findSku(tenant: TenantState, skuId: string): SkuRecord | undefined {
  const key = skuId.toLowerCase();
  return tenant.skus.find((s) => s.skuId.toLowerCase() === key);
}

export function isGroup(object: UserRecord | GroupRecord): object is GroupRecord {
  return Array.isArray((object as GroupRecord).members);
}
