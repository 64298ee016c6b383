import type { RunbookResult } from "../../engine/contracts/runbook-result";
import {
  isExchangeManaged,
  onMailbox,
  removeGroupMember,
  setDeliverToMailboxAndForward,
  setForwardingAddress,
  setHiddenFromAddressLists,
  setMailboxRight,
  setMailboxType,
  type Change,
  type MailboxRight,
} from "../exchange/changes";
import { notFoundError } from "../exchange/errors";
import { resolveUser } from "../exchange/recipients";
import type { TenantState } from "../tenant/types";

/**
 * What each runbook in runbooks/ does to the sandbox tenant, with the same idempotent semantics
 * and the same result line as the PowerShell. The changes themselves are the ones the admin API's
 * cmdlets make (sandbox/exchange/changes.ts): one mailbox model, two routes. Parameters arrive
 * validated against the manifest.
 */
export type RunbookEffect = (tenant: TenantState, parameters: Readonly<Record<string, string>>) => RunbookResult;

const failed = (reason: string, detail: Record<string, unknown> = {}): RunbookResult => ({ status: "failed", reason, ...detail });

/** The runbook's verdict on a change: its own words for changed and ok, Exchange's for an error. */
function verdict(change: Change, words: { changed: string; ok: string }, detail: Record<string, unknown>): RunbookResult {
  if (typeof change === "object") return failed(change.error.text, detail);
  return { status: change === "changed" ? "changed" : "ok", reason: change === "changed" ? words.changed : words.ok, ...detail };
}

const convertToShared: RunbookEffect = (tenant, { UserPrincipalName: upn = "" }) =>
  verdict(
    onMailbox(tenant, upn, (mailbox) => setMailboxType(mailbox, "SharedMailbox")),
    { changed: `${upn} was converted to a shared mailbox.`, ok: `${upn} is already a shared mailbox.` },
    { mailbox: upn, recipientTypeDetails: "SharedMailbox" },
  );

const hideFromGal: RunbookEffect = (tenant, { UserPrincipalName: upn = "", Hidden = "true" }) => {
  const hidden = Hidden.toLowerCase() === "true";
  const word = hidden ? "hidden from" : "shown in";
  return verdict(
    onMailbox(tenant, upn, (mailbox) => setHiddenFromAddressLists(mailbox, hidden)),
    { changed: `${upn} is now ${word} the address lists.`, ok: `${upn} is already ${word} the address lists.` },
    { mailbox: upn, hidden },
  );
};

const setForwarding: RunbookEffect = (tenant, { UserPrincipalName: upn = "", ForwardingAddress = "", DeliverToMailboxAndForward = "true" }) => {
  const wanted = ForwardingAddress.trim() || null;
  // Like the PowerShell: clearing forwarding also stops keeping copies.
  const keepCopy = wanted === null ? false : DeliverToMailboxAndForward.toLowerCase() === "true";
  const change = onMailbox(tenant, upn, (mailbox) => {
    const address = setForwardingAddress(mailbox, wanted);
    const copy = setDeliverToMailboxAndForward(mailbox, keepCopy);
    return address === "changed" || copy === "changed" ? "changed" : "unchanged";
  });
  return verdict(
    change,
    {
      changed: wanted ? `${upn} now forwards to ${wanted}.` : `Forwarding was removed from ${upn}.`,
      ok: `${upn} ${wanted ? `already forwards to ${wanted}` : "already has no forwarding"}.`,
    },
    { mailbox: upn, forwardingSmtpAddress: wanted, deliverToMailboxAndForward: keepCopy },
  );
};

const RIGHTS: Readonly<Record<string, MailboxRight>> = { fullaccess: "fullAccess", sendas: "sendAs", sendonbehalf: "sendOnBehalf" };
const RIGHT_NAMES: Readonly<Record<MailboxRight, string>> = { fullAccess: "FullAccess", sendAs: "SendAs", sendOnBehalf: "SendOnBehalf" };

const setMailboxPermission: RunbookEffect = (tenant, parameters) => {
  const { SharedMailboxEmail: mailboxId = "", UserEmail: userId = "", PermissionType = "", Action = "" } = parameters;
  const right = RIGHTS[PermissionType.toLowerCase()]!;
  const grant = Action.toLowerCase() === "grant";
  const permission = RIGHT_NAMES[right];
  return verdict(
    onMailbox(tenant, mailboxId, (mailbox) => setMailboxRight(tenant, mailbox, right, userId, grant)),
    {
      changed: `${userId} ${grant ? "was granted" : "no longer has"} ${permission} on ${mailboxId}.`,
      ok: `${userId} ${grant ? "already has" : "does not have"} ${permission} on ${mailboxId}.`,
    },
    { mailbox: mailboxId, user: userId, permission, action: grant ? "Grant" : "Revoke" },
  );
};

const removeDistributionMembership: RunbookEffect = (tenant, { UserPrincipalName: upn = "" }) => {
  const user = resolveUser(tenant, upn);
  if (!user) return failed(notFoundError(upn).text, { user: upn, removed: [] });
  const removed: string[] = [];
  const skipped: string[] = [];
  // Like the PowerShell's Get-Recipient filter: every Exchange-managed group the user is in.
  for (const group of tenant.groups.filter((g) => isExchangeManaged(g) && g.members.includes(user.id))) {
    if (group.onPremisesSyncEnabled) {
      skipped.push(`${group.displayName} (synced from on-premises)`);
      continue;
    }
    if (removeGroupMember(tenant, group.id, user.id) === "changed") removed.push(group.displayName);
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
