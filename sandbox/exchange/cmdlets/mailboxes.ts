/** Get-Mailbox: one mailbox by Identity, or every mailbox (of the types asked for). */
import { resolveMailbox } from "../recipients";
import type { MailboxRecord, TenantState, UserRecord } from "../../tenant/types";
import { done, type CmdletHandler } from "./types";

function mailboxJson(tenant: TenantState, user: UserRecord, mailbox: MailboxRecord): Record<string, unknown> {
  const name = (holder: string): string => tenant.users.find((u) => u.id === holder || u.userPrincipalName.toLowerCase() === holder.toLowerCase())?.displayName ?? holder;
  return {
    Identity: user.displayName,
    DisplayName: user.displayName,
    Alias: user.mailNickname,
    UserPrincipalName: user.userPrincipalName,
    PrimarySmtpAddress: user.mail ?? user.userPrincipalName,
    ExternalDirectoryObjectId: user.id,
    RecipientTypeDetails: mailbox.type,
    HiddenFromAddressListsEnabled: mailbox.hiddenFromAddressListsEnabled,
    ForwardingSmtpAddress: mailbox.forwardingSmtpAddress === null ? null : `smtp:${mailbox.forwardingSmtpAddress.replace(/^smtp:/i, "")}`,
    DeliverToMailboxAndForward: mailbox.deliverToMailboxAndForward,
    GrantSendOnBehalfTo: mailbox.sendOnBehalf.map(name),
  };
}

export const getMailbox: CmdletHandler = (tenant, p) => {
  if (typeof p.Identity === "string") {
    const found = resolveMailbox(tenant, p.Identity);
    return "error" in found ? found : done([mailboxJson(tenant, found.user, found.mailbox)]);
  }
  const types = Array.isArray(p.RecipientTypeDetails) ? (p.RecipientTypeDetails as string[]).map((type) => type.toLowerCase()) : undefined;
  const mailboxes = tenant.users.filter((user) => user.mailbox && (!types || types.includes(user.mailbox.type.toLowerCase())));
  return done(mailboxes.map((user) => mailboxJson(tenant, user, user.mailbox!)));
};
