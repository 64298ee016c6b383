/** Full Access (Get/Add/Remove-MailboxPermission) and Send As (Add/Remove-RecipientPermission). */
import { onMailbox, setMailboxRight, type MailboxRight } from "../changes";
import { resolveMailbox, resolveUser } from "../recipients";
import { done, type CmdletHandler, type CmdletResult } from "./types";
import type { Change } from "../changes";
import type { TenantState } from "../../tenant/types";

function change(tenant: TenantState, mailboxId: string, trusteeId: string, right: MailboxRight, grant: boolean, autoMapping = true): Change {
  return onMailbox(tenant, mailboxId, (mailbox) => setMailboxRight(tenant, mailbox, right, trusteeId, grant, autoMapping));
}

function answer(result: Change, output: unknown, unchangedWarning: string): CmdletResult {
  if (typeof result === "object") return result;
  return result === "changed" ? done(output === undefined ? [] : [output]) : done([], [unchangedWarning]);
}

export const addMailboxPermission: CmdletHandler = (tenant, p) => {
  const [mailbox, user] = [String(p.Identity), String(p.User)];
  const ace = { Identity: mailbox, User: user, AccessRights: ["FullAccess"], IsInherited: false, Deny: false, InheritanceType: p.InheritanceType ?? "All" };
  return answer(change(tenant, mailbox, user, "fullAccess", true, p.AutoMapping !== false), ace, `An existing permission entry was found for user: ${user}.`);
};

/** The mailbox's explicit entries as Exchange lists them: its own SELF entry first, then each Full Access holder by UPN. */
export const getMailboxPermission: CmdletHandler = (tenant, p) => {
  const found = resolveMailbox(tenant, String(p.Identity));
  if ("error" in found) return found;
  const identity = found.user.displayName;
  const entry = (user: string, rights: string[]) => ({ Identity: identity, User: user, AccessRights: rights, IsInherited: false, Deny: false, InheritanceType: "All" });
  const holders = found.mailbox.fullAccess.map((holder) => resolveUser(tenant, holder)?.userPrincipalName ?? holder);
  const entries = [entry("NT AUTHORITY\\SELF", ["FullAccess", "ReadPermission"]), ...holders.map((upn) => entry(upn, ["FullAccess"]))];
  const only = typeof p.User === "string" ? resolveUser(tenant, p.User)?.userPrincipalName ?? p.User : undefined;
  return done(only === undefined ? entries : entries.filter((e) => e.User.toLowerCase() === only.toLowerCase()));
};

export const removeMailboxPermission: CmdletHandler = (tenant, p) => {
  const [mailbox, user] = [String(p.Identity), String(p.User)];
  return answer(
    change(tenant, mailbox, user, "fullAccess", false),
    undefined,
    `Can't remove the access control entry on the object "${mailbox}" for account "${user}" because the ACE doesn't exist on the object.`,
  );
};

export const addRecipientPermission: CmdletHandler = (tenant, p) => {
  const [mailbox, trustee] = [String(p.Identity), String(p.Trustee)];
  const ace = { Identity: mailbox, Trustee: trustee, AccessControlType: "Allow", AccessRights: ["SendAs"], IsInherited: false, InheritanceType: "None" };
  return answer(
    change(tenant, mailbox, trustee, "sendAs", true),
    ace,
    `The appropriate access control entry is already present on the object "${mailbox}" for account "${trustee}".`,
  );
};

export const removeRecipientPermission: CmdletHandler = (tenant, p) => {
  const [mailbox, trustee] = [String(p.Identity), String(p.Trustee)];
  return answer(
    change(tenant, mailbox, trustee, "sendAs", false),
    undefined,
    `Can't remove the access control entry on the object "${mailbox}" for account "${trustee}" because the ACE isn't present.`,
  );
};
