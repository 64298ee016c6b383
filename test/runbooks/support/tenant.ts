import type { GroupRecord, MailboxRecord, TenantState, UserRecord } from "../../../sandbox/tenant/types";

function mailbox(overrides: Partial<MailboxRecord> = {}): MailboxRecord {
  return {
    type: "UserMailbox",
    hiddenFromAddressListsEnabled: false,
    forwardingSmtpAddress: null,
    deliverToMailboxAndForward: false,
    fullAccess: [],
    sendAs: [],
    sendOnBehalf: [],
    automaticReplies: { status: "disabled", externalAudience: "none", internalReplyMessage: "", externalReplyMessage: "" },
    ...overrides,
  };
}

function user(id: string, upn: string, box: MailboxRecord | null): UserRecord {
  const nickname = upn.split("@")[0]!;
  return {
    id,
    userPrincipalName: upn,
    displayName: nickname,
    mailNickname: nickname,
    mail: upn,
    accountEnabled: true,
    userType: "Member",
    assignedLicenses: [],
    authenticationMethods: [],
    mailbox: box,
  };
}

function group(id: string, displayName: string, kind: Partial<GroupRecord>, members: string[]): GroupRecord {
  return { id, displayName, groupTypes: [], mailEnabled: true, securityEnabled: false, mailNickname: id, members, ...kind };
}

/** A small tenant for runbook tests: a leaver, a shared mailbox with delegates, groups of every kind. */
export function runbookTenant(): TenantState {
  return {
    tenantId: "00000000-0000-4000-8000-000000000001",
    domains: [{ id: "contoso.com", isVerified: true, isDefault: true, isInitial: false, authenticationType: "Managed" }],
    users: [
      user("u-alex", "alex@contoso.com", mailbox()),
      user("u-bea", "bea@contoso.com", mailbox()),
      // Delegates stored as an object id, as Exchange prints identities rather than SMTP addresses.
      user("u-sales", "sales@contoso.com", mailbox({ type: "SharedMailbox", sendOnBehalf: ["u-bea"], fullAccess: ["BEA@contoso.com"] })),
      user("u-nomail", "nomail@contoso.com", null),
    ],
    groups: [
      group("g-dl", "All Staff", {}, ["u-alex", "u-bea"]),
      group("g-mesg", "Finance Approvers", { securityEnabled: true }, ["u-alex"]),
      group("g-synced", "Legacy DL", { onPremisesSyncEnabled: true }, ["u-alex"]),
      group("g-m365", "Project X", { groupTypes: ["Unified"] }, ["u-alex"]),
      group("g-sec", "VPN Users", { mailEnabled: false, securityEnabled: true }, ["u-alex"]),
    ],
    directoryRoles: [],
    skus: [],
    sentMail: [],
  };
}
