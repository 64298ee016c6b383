/** Set-Mailbox: type, address-list visibility, forwarding and Send on Behalf, in one call. */
import {
  onMailbox,
  setDeliverToMailboxAndForward,
  setForwardingAddress,
  setHiddenFromAddressLists,
  setMailboxRight,
  setMailboxType,
  type Change,
} from "../changes";
import type { MailboxRecord, TenantState } from "../../tenant/types";
import { done, type CmdletHandler } from "./types";

type Setter = (tenant: TenantState, mailbox: MailboxRecord, value: unknown) => Change;

/** The properties this sandbox's Set-Mailbox changes, in the order Exchange applies them. */
const SETTERS: Readonly<Record<string, Setter>> = {
  Type: (_tenant, mailbox, value) => setMailboxType(mailbox, String(value).toLowerCase() === "shared" ? "SharedMailbox" : "UserMailbox"),
  HiddenFromAddressListsEnabled: (_tenant, mailbox, value) => setHiddenFromAddressLists(mailbox, value === true),
  ForwardingSmtpAddress: (_tenant, mailbox, value) => setForwardingAddress(mailbox, typeof value === "string" ? value : null),
  DeliverToMailboxAndForward: (_tenant, mailbox, value) => setDeliverToMailboxAndForward(mailbox, value === true),
  GrantSendOnBehalfTo: (tenant, mailbox, value) => {
    const { add = [], remove = [] } = value as { add?: string[]; remove?: string[] };
    const changes = [...add.map((who) => setMailboxRight(tenant, mailbox, "sendOnBehalf", who, true)), ...remove.map((who) => setMailboxRight(tenant, mailbox, "sendOnBehalf", who, false))];
    return changes.find((change) => typeof change === "object") ?? (changes.includes("changed") ? "changed" : "unchanged");
  },
};

export const setMailbox: CmdletHandler = (tenant, parameters) => {
  const identity = String(parameters.Identity);
  const change = onMailbox(tenant, identity, (mailbox) => {
    let changed = false;
    for (const [name, setter] of Object.entries(SETTERS)) {
      if (!(name in parameters)) continue;
      const result = setter(tenant, mailbox, parameters[name]);
      if (typeof result === "object") return result;
      changed ||= result === "changed";
    }
    return changed ? "changed" : "unchanged";
  });
  if (typeof change === "object") return change;
  // Set-* cmdlets write no objects; Exchange says so when nothing was different.
  return change === "changed" ? done() : done([], [`The command completed successfully but no settings of '${identity}' have been modified.`]);
};
