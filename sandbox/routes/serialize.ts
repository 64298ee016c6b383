/** Tenant records as Graph shows them. */
import type { DirectoryRoleRecord, GroupRecord, UserRecord } from "../tenant/types";

/** Returned by GET /users/{id} without $select (reference §1). */
export const DEFAULT_USER_PROPERTIES = [
  "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone",
  "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
] as const;

/** Graph's proxyAddresses: as the fixture has them, else the primary SMTP address alone. */
export function proxyAddressesOf(user: UserRecord): string[] {
  if (user.proxyAddresses) return [...user.proxyAddresses];
  return user.mail ? [`SMTP:${user.mail}`] : [];
}

/** Every user property the sandbox knows. passwordProfile reads as null, as in Graph. */
export function userJson(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    businessPhones: user.businessPhones ?? [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail ?? null,
    proxyAddresses: proxyAddressesOf(user),
    mobilePhone: user.mobilePhone ?? null,
    officeLocation: user.officeLocation ?? null,
    preferredLanguage: user.preferredLanguage ?? null,
    surname: user.surname ?? null,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    usageLocation: user.usageLocation ?? null,
    assignedLicenses: user.assignedLicenses.map((l) => ({ disabledPlans: [...l.disabledPlans], skuId: l.skuId })),
    mailNickname: user.mailNickname,
    userType: user.userType,
    department: user.department ?? null,
    employeeHireDate: user.employeeHireDate ?? null,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? null,
    createdDateTime: user.createdDateTime ?? null,
    signInSessionsValidFromDateTime: user.signInSessionsValidFromDateTime ?? null,
    passwordProfile: null,
  };
}

export function groupJson(group: GroupRecord): Record<string, unknown> {
  const dynamic = group.groupTypes.includes("DynamicMembership");
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description ?? null,
    groupTypes: [...group.groupTypes],
    mail: group.mail ?? null,
    mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname,
    securityEnabled: group.securityEnabled,
    membershipRule: group.membershipRule ?? null,
    membershipRuleProcessingState: dynamic ? "On" : null,
    onPremisesSyncEnabled: group.onPremisesSyncEnabled ?? null,
    isAssignableToRole: group.isAssignableToRole ?? null,
  };
}

/** A directoryObject in a mixed collection (memberOf, members) carries its @odata.type. */
export function typedGroupJson(group: GroupRecord): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.group", ...groupJson(group) };
}

export function typedUserJson(user: UserRecord): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.user", ...userJson(user) };
}

export function typedDirectoryRoleJson(role: DirectoryRoleRecord): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.directoryRole",
    id: role.id,
    deletedDateTime: null,
    description: role.description ?? null,
    displayName: role.displayName,
    roleTemplateId: role.roleTemplateId,
  };
}
