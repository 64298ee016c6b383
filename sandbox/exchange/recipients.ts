/**
 * Finding recipients the way Exchange's Identity parameters do: by object id, UPN or any of their
 * SMTP addresses (the primary and every proxy address), ignoring case (groups also by name). Mailbox permission lists hold UPNs or ids, so
 * holders are compared by the user they resolve to.
 */
import type { GroupRecord, MailboxRecord, TenantState, UserRecord } from "../tenant/types";
import { notFoundError, type CmdletError } from "./errors";

export function resolveUser(tenant: TenantState, identity: string): UserRecord | undefined {
  const wanted = identity.trim().toLowerCase();
  if (!wanted) return undefined;
  return tenant.users.find(
    (user) =>
      user.id.toLowerCase() === wanted ||
      user.userPrincipalName.toLowerCase() === wanted ||
      user.mail?.toLowerCase() === wanted ||
      (user.proxyAddresses ?? []).some((address) => address.toLowerCase() === `smtp:${wanted}`),
  );
}

/** A user that has a mailbox, or Exchange's "couldn't be found" when there is none. */
export function resolveMailbox(tenant: TenantState, identity: string): { user: UserRecord; mailbox: MailboxRecord } | { error: CmdletError } {
  const user = resolveUser(tenant, identity);
  if (!user?.mailbox) return { error: notFoundError(identity) };
  return { user, mailbox: user.mailbox };
}

/** Mail-enabled groups are Exchange recipients; other Entra groups do not exist for Exchange. */
export function resolveGroup(tenant: TenantState, identity: string): GroupRecord | undefined {
  const wanted = identity.trim().toLowerCase();
  if (!wanted) return undefined;
  return tenant.groups.find(
    (group) =>
      group.mailEnabled &&
      (group.id.toLowerCase() === wanted ||
        group.mail?.toLowerCase() === wanted ||
        group.mailNickname.toLowerCase() === wanted ||
        group.displayName.toLowerCase() === wanted),
  );
}
