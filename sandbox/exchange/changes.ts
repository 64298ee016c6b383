/**
 * Every change Exchange work makes to the sandbox tenant, in one place: the admin API's cmdlets
 * (./cmdlets) and the runbooks' effects (sandbox/arm/runbook-effects.ts) both call these, so the
 * two routes cannot drift apart. Each change says whether it changed anything; wording the answer
 * (a warning, a runbook reason) is the caller's.
 *
 * Each mailbox area (type and visibility, forwarding, permissions, groups, mobile devices, calendar)
 * is one group of functions over MailboxRecord fields.
 */
import type { GroupRecord, MailboxRecord, TenantState } from "../tenant/types";
import { memberNotFoundError, noPermissionEntryError, notFoundError, recipientTaskError, type CmdletError } from "./errors";
import { resolveGroup, resolveMailbox, resolveUser } from "./recipients";

export type Change = "changed" | "unchanged" | { error: CmdletError };

/** Applies `apply` to the mailbox named by `identity`, or answers Exchange's not-found. */
export function onMailbox(tenant: TenantState, identity: string, apply: (mailbox: MailboxRecord) => Change): Change {
  const found = resolveMailbox(tenant, identity);
  return "error" in found ? { error: found.error } : apply(found.mailbox);
}

export function setMailboxType(mailbox: MailboxRecord, type: MailboxRecord["type"]): Change {
  if (mailbox.type === type) return "unchanged";
  mailbox.type = type;
  return "changed";
}

export function setHiddenFromAddressLists(mailbox: MailboxRecord, hidden: boolean): Change {
  if (mailbox.hiddenFromAddressListsEnabled === hidden) return "unchanged";
  mailbox.hiddenFromAddressListsEnabled = hidden;
  return "changed";
}

/** The forwarding address (stored without Exchange's `smtp:` prefix); null turns forwarding off. */
export function setForwardingAddress(mailbox: MailboxRecord, address: string | null): Change {
  const current = mailbox.forwardingSmtpAddress?.replace(/^smtp:/i, "") ?? null;
  const wanted = address?.replace(/^smtp:/i, "").trim() || null;
  if ((current ?? "").toLowerCase() === (wanted ?? "").toLowerCase()) return "unchanged";
  mailbox.forwardingSmtpAddress = wanted;
  return "changed";
}

export function setDeliverToMailboxAndForward(mailbox: MailboxRecord, keepCopy: boolean): Change {
  if (mailbox.deliverToMailboxAndForward === keepCopy) return "unchanged";
  mailbox.deliverToMailboxAndForward = keepCopy;
  return "changed";
}

/** Which list of the mailbox holds a permission's trustees. */
export type MailboxRight = "fullAccess" | "sendAs" | "sendOnBehalf";

/**
 * Grants (or revokes) a right; holders are compared by the user they resolve to. Full Access is
 * automapped when granted unless `autoMapping` is false; an existing grant keeps its mapping, as
 * Exchange does (only removing and granting again changes it).
 */
export function setMailboxRight(tenant: TenantState, mailbox: MailboxRecord, right: MailboxRight, trusteeIdentity: string, grant: boolean, autoMapping = true): Change {
  const trustee = resolveUser(tenant, trusteeIdentity);
  if (!trustee) return { error: notFoundError(trusteeIdentity) };
  const holders = mailbox[right];
  const isTrustee = (holder: string): boolean => resolveUser(tenant, holder)?.id === trustee.id;
  if (holders.some(isTrustee) === grant) return "unchanged";
  mailbox[right] = grant ? [...holders, trustee.userPrincipalName] : holders.filter((holder) => !isTrustee(holder));
  if (right === "fullAccess") {
    const mapped = (mailbox.automapped ?? []).filter((holder) => !isTrustee(holder));
    mailbox.automapped = grant && autoMapping ? [...mapped, trustee.userPrincipalName] : mapped;
  }
  return "changed";
}

/** Distribution lists and mail-enabled security groups: the groups Exchange changes members of. */
export function isExchangeManaged(group: GroupRecord): boolean {
  return group.mailEnabled && !group.groupTypes.includes("Unified") && !group.groupTypes.includes("DynamicMembership");
}

export function removeGroupMember(tenant: TenantState, groupIdentity: string, memberIdentity: string): Change {
  const group = resolveGroup(tenant, groupIdentity);
  if (!group || group.groupTypes.includes("DynamicMembership")) return { error: notFoundError(groupIdentity) };
  if (group.groupTypes.includes("Unified")) {
    return { error: recipientTaskError(`'${group.displayName}' is a Microsoft 365 group; its members change through Remove-UnifiedGroupLinks.`) };
  }
  if (group.onPremisesSyncEnabled) {
    return {
      error: recipientTaskError(
        `The action 'Remove-DistributionGroupMember', 'Members', can't be performed on the object '${group.displayName}' because the object is being synchronized from your on-premises organization. This action should be performed on the object in your on-premises organization.`,
      ),
    };
  }
  const member = resolveUser(tenant, memberIdentity);
  if (!member) return { error: notFoundError(memberIdentity) };
  if (!group.members.includes(member.id)) return { error: memberNotFoundError(memberIdentity, group.displayName) };
  group.members = group.members.filter((id) => id !== member.id);
  return "changed";
}

// Mobile devices: partnerships a phone or tablet holds with the mailbox.

/** Removes one device partnership, found by its Guid in any mailbox; Exchange's not-found otherwise. */
export function removeMobileDevice(tenant: TenantState, identity: string): Change {
  const wanted = identity.trim().toLowerCase();
  for (const user of tenant.users) {
    const devices = user.mailbox?.mobileDevices ?? [];
    const device = devices.find((candidate) => candidate.guid.toLowerCase() === wanted || deviceIdentity(user.userPrincipalName, candidate.deviceType, candidate.deviceId).toLowerCase() === wanted);
    if (!device) continue;
    user.mailbox!.mobileDevices = devices.filter((candidate) => candidate !== device);
    return "changed";
  }
  return { error: notFoundError(identity) };
}

/** Exchange's path-like identity of a device partnership. */
export function deviceIdentity(owner: string, deviceType: string, deviceId: string): string {
  return `${owner}\\ExchangeActiveSyncDevices\\${deviceType}§${deviceId}`;
}

// Calendar: meetings the mailbox organised, and who may open its Calendar folder.

const DAY_MS = 86_400_000;

/**
 * Cancels the meetings the mailbox organised that start inside the window (from `startMs`, for
 * `days` days) and have at least one attendee or resource; appointments without attendees stay,
 * as Exchange leaves them.
 */
export function cancelOrganizedMeetings(mailbox: MailboxRecord, startMs: number, days: number): Change {
  const endMs = startMs + days * DAY_MS;
  let change: Change = "unchanged";
  for (const event of mailbox.calendarEvents ?? []) {
    const start = Date.parse(event.start);
    if (!event.isOrganizer || event.isCancelled || event.attendees.length === 0 || start < startMs || start >= endMs) continue;
    event.isCancelled = true;
    change = "changed";
  }
  return change;
}

/** Removes a user's entry from the mailbox's Calendar folder, or Exchange's "no existing permission entry". */
export function removeCalendarPermission(tenant: TenantState, mailbox: MailboxRecord, userIdentity: string): Change {
  const user = resolveUser(tenant, userIdentity);
  if (!user) return { error: notFoundError(userIdentity) };
  const entries = mailbox.calendarPermissions ?? [];
  const held = (entry: { user: string }): boolean => resolveUser(tenant, entry.user)?.id === user.id;
  if (!entries.some(held)) return { error: noPermissionEntryError(user.displayName) };
  mailbox.calendarPermissions = entries.filter((entry) => !held(entry));
  return "changed";
}

// What one runbook does in one go that the admin API does cmdlet by cmdlet.

/** Removes every device partnership of the mailbox. */
export function removeAllMobileDevices(mailbox: MailboxRecord): { change: Change; removed: string[] } {
  const removed = (mailbox.mobileDevices ?? []).map((device) => device.friendlyName);
  mailbox.mobileDevices = [];
  return { change: removed.length > 0 ? "changed" : "unchanged", removed };
}

/**
 * Takes every right the user holds on other mailboxes away: Full Access, Send As, Send on Behalf
 * and their Calendar folder. Says which mailboxes changed.
 */
export function removeAccessElsewhere(tenant: TenantState, userId: string): string[] {
  const changed: string[] = [];
  for (const owner of tenant.users) {
    const mailbox = owner.mailbox;
    if (!mailbox || owner.id === userId) continue;
    const rights = (["fullAccess", "sendAs", "sendOnBehalf"] as const).map((right) => setMailboxRight(tenant, mailbox, right, userId, false));
    const calendar = removeCalendarPermission(tenant, mailbox, userId);
    if (rights.includes("changed") || calendar === "changed") changed.push(owner.userPrincipalName);
  }
  return changed;
}
