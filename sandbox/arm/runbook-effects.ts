import type { RunbookResult } from "../../engine/contracts/runbook-result";
import type { TenantState } from "../tenant/types";
import { resolveMailbox, resolveUser } from "./recipients";

/**
 * What each runbook in runbooks/ does to the sandbox tenant, with the same idempotent semantics
 * and the same result line as the PowerShell. Parameters arrive validated against the manifest.
 */
export type RunbookEffect = (tenant: TenantState, parameters: Readonly<Record<string, string>>) => RunbookResult;

const failed = (reason: string, detail: Record<string, unknown> = {}): RunbookResult => ({ status: "failed", reason, ...detail });

const convertToShared: RunbookEffect = (tenant, { UserPrincipalName: upn = "" }) => {
  const found = resolveMailbox(tenant, upn);
  if ("error" in found) return failed(found.error, { mailbox: upn });
  const detail = { mailbox: upn, recipientTypeDetails: "SharedMailbox" };
  if (found.mailbox.type === "SharedMailbox") return { status: "ok", reason: `${upn} is already a shared mailbox.`, ...detail };
  found.mailbox.type = "SharedMailbox";
  return { status: "changed", reason: `${upn} was converted to a shared mailbox.`, ...detail };
};

const hideFromGal: RunbookEffect = (tenant, { UserPrincipalName: upn = "", Hidden = "true" }) => {
  const found = resolveMailbox(tenant, upn);
  if ("error" in found) return failed(found.error, { mailbox: upn });
  const hidden = Hidden.toLowerCase() === "true";
  const word = hidden ? "hidden from" : "shown in";
  const detail = { mailbox: upn, hidden };
  if (found.mailbox.hiddenFromAddressListsEnabled === hidden) return { status: "ok", reason: `${upn} is already ${word} the address lists.`, ...detail };
  found.mailbox.hiddenFromAddressListsEnabled = hidden;
  return { status: "changed", reason: `${upn} is now ${word} the address lists.`, ...detail };
};

const setForwarding: RunbookEffect = (tenant, { UserPrincipalName: upn = "", ForwardingAddress = "", DeliverToMailboxAndForward = "true" }) => {
  const found = resolveMailbox(tenant, upn);
  if ("error" in found) return failed(found.error, { mailbox: upn });
  const { mailbox } = found;
  const wanted = ForwardingAddress.trim() || null;
  const keepCopy = DeliverToMailboxAndForward.toLowerCase() === "true";
  const detail = { mailbox: upn, forwardingSmtpAddress: wanted, deliverToMailboxAndForward: keepCopy };
  const current = mailbox.forwardingSmtpAddress?.replace(/^smtp:/i, "") ?? null;
  const sameTarget = (wanted ?? "").toLowerCase() === (current ?? "").toLowerCase();
  if (sameTarget && (wanted === null || mailbox.deliverToMailboxAndForward === keepCopy)) {
    return { status: "ok", reason: `${upn} ${wanted ? `already forwards to ${wanted}` : "already has no forwarding"}.`, ...detail };
  }
  mailbox.forwardingSmtpAddress = wanted;
  mailbox.deliverToMailboxAndForward = wanted === null ? false : keepCopy;
  return { status: "changed", reason: wanted ? `${upn} now forwards to ${wanted}.` : `Forwarding was removed from ${upn}.`, ...detail };
};

const PERMISSION_LISTS = { FullAccess: "fullAccess", SendAs: "sendAs", SendOnBehalf: "sendOnBehalf" } as const;

const setMailboxPermission: RunbookEffect = (tenant, parameters) => {
  const { SharedMailboxEmail: mailboxId = "", UserEmail: userId = "", PermissionType = "", Action = "" } = parameters;
  const permission = (Object.keys(PERMISSION_LISTS) as Array<keyof typeof PERMISSION_LISTS>).find((name) => name.toLowerCase() === PermissionType.toLowerCase())!;
  const grant = Action.toLowerCase() === "grant";
  const detail = { mailbox: mailboxId, user: userId, permission, action: grant ? "Grant" : "Revoke" };
  const found = resolveMailbox(tenant, mailboxId);
  if ("error" in found) return failed(found.error, detail);
  const trustee = resolveUser(tenant, userId);
  if (!trustee) return failed(`The operation couldn't be performed because object '${userId}' couldn't be found.`, detail);
  const listName = PERMISSION_LISTS[permission];
  const holders = found.mailbox[listName];
  const isTrustee = (holder: string) => resolveUser(tenant, holder)?.id === trustee.id;
  if (holders.some(isTrustee) === grant) {
    return { status: "ok", reason: `${userId} ${grant ? "already has" : "does not have"} ${permission} on ${mailboxId}.`, ...detail };
  }
  found.mailbox[listName] = grant ? [...holders, trustee.userPrincipalName] : holders.filter((holder) => !isTrustee(holder));
  return { status: "changed", reason: `${userId} ${grant ? "was granted" : "no longer has"} ${permission} on ${mailboxId}.`, ...detail };
};

const removeDistributionMembership: RunbookEffect = (tenant, { UserPrincipalName: upn = "" }) => {
  const user = resolveUser(tenant, upn);
  if (!user) return failed(`The operation couldn't be performed because object '${upn}' couldn't be found.`, { user: upn, removed: [] });
  const removed: string[] = [];
  const skipped: string[] = [];
  // Exchange-managed groups with listed members: distribution lists and mail-enabled security
  // groups, not Microsoft 365 groups, and not dynamic groups (a rule decides their members).
  const exchangeGroups = tenant.groups.filter(
    (group) =>
      group.mailEnabled &&
      !group.groupTypes.includes("Unified") &&
      !group.groupTypes.includes("DynamicMembership") &&
      group.members.includes(user.id),
  );
  for (const group of exchangeGroups) {
    if (group.onPremisesSyncEnabled) {
      skipped.push(`${group.displayName} (synced from on-premises)`);
      continue;
    }
    group.members = group.members.filter((member) => member !== user.id);
    removed.push(group.displayName);
  }
  const detail = { user: upn, removed, skipped, errors: [] };
  if (removed.length === 0) {
    return { status: "ok", reason: `${upn} is in no distribution list or mail-enabled security group that can change.`, ...detail };
  }
  return { status: "changed", reason: `${upn} was removed from ${removed.length} distribution or mail-enabled security group(s).`, ...detail };
};

/** One entry per runbook in runbooks/runbooks.json (a test keeps the two in step). */
export const RUNBOOK_EFFECTS: Readonly<Record<string, RunbookEffect>> = {
  "Convert-ToSharedMailbox": convertToShared,
  "Set-MailboxHiddenFromGal": hideFromGal,
  "Set-MailboxForwarding": setForwarding,
  "Set-SharedMailboxPermission": setMailboxPermission,
  "Remove-DistributionGroupMembership": removeDistributionMembership,
};
