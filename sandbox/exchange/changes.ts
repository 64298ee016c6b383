/**
 * Every change Exchange work makes to the sandbox tenant, in one place: the admin API's cmdlets
 * (./cmdlets) and the runbooks' effects (sandbox/arm/runbook-effects.ts) both call these, so the
 * two routes cannot drift apart. Each change says whether it changed anything; wording the answer
 * (a warning, a runbook reason) is the caller's.
 *
 * New mailbox areas (inbox rules, mobile devices, calendar and folder permissions) belong here as
 * further functions over optional MailboxRecord fields, one group of functions per area.
 */
import type { GroupRecord, MailboxRecord, TenantState } from "../tenant/types";
import { memberNotFoundError, notFoundError, recipientTaskError, type CmdletError } from "./errors";
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

/** Grants (or revokes) a right; holders are compared by the user they resolve to. */
export function setMailboxRight(tenant: TenantState, mailbox: MailboxRecord, right: MailboxRight, trusteeIdentity: string, grant: boolean): Change {
  const trustee = resolveUser(tenant, trusteeIdentity);
  if (!trustee) return { error: notFoundError(trusteeIdentity) };
  const holders = mailbox[right];
  const isTrustee = (holder: string): boolean => resolveUser(tenant, holder)?.id === trustee.id;
  if (holders.some(isTrustee) === grant) return "unchanged";
  mailbox[right] = grant ? [...holders, trustee.userPrincipalName] : holders.filter((holder) => !isTrustee(holder));
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
