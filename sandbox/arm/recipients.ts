import type { MailboxRecord, TenantState, UserRecord } from "../tenant/types";

/** The sandbox's stand-in for Exchange's "couldn't be found" error text. */
export function notFound(identity: string): string {
  return `The operation couldn't be performed because object '${identity}' couldn't be found on 'SANDBOX01A001.PROD.OUTLOOK.COM'.`;
}

/**
 * Resolves an identity the way Get-Recipient does: object id, UPN or primary SMTP address,
 * ignoring case. Permission lists hold UPNs or ids, so holders are compared by the resolved user.
 */
export function resolveUser(tenant: TenantState, identity: string): UserRecord | undefined {
  const wanted = identity.trim().toLowerCase();
  if (!wanted) return undefined;
  return tenant.users.find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted || user.mail?.toLowerCase() === wanted,
  );
}

/** A user that has a mailbox, or the Exchange-style reason why there is none. */
export function resolveMailbox(tenant: TenantState, identity: string): { user: UserRecord; mailbox: MailboxRecord } | { error: string } {
  const user = resolveUser(tenant, identity);
  if (!user?.mailbox) return { error: notFound(identity) };
  return { user, mailbox: user.mailbox };
}
