/**
 * The closed list of Exchange Online cmdlets the engine may run through the admin API
 * (`InvokeCommand`), and the parameters each may receive. `intents lint` refuses any other
 * cmdlet or parameter at file:line:col, the `exchange:cmdlet` kind refuses them again before
 * sending, and the sandbox implements exactly these. So no field value, constant or template can
 * turn a step into `New-InboxRule -ForwardTo` or `Remove-Mailbox`.
 *
 * A new cmdlet is one entry here plus its sandbox handler (sandbox/exchange/cmdlets/); a test
 * keeps the two in step.
 */
import type { ManagementRole } from "./exchange-roles";

/**
 * How a parameter's value travels:
 * - `string`: a non-empty string (identities, addresses);
 * - `nullableString`: a non-empty string, or null to clear the property;
 * - `boolean`: true or false (switches included);
 * - `integer`: a whole number (counts of days);
 * - `stringList`: one string or a list of them, sent as a list;
 * - `multiValuedChange`: `{ add, remove }` of a multi-valued property, sent as Exchange's
 *   `#Exchange.GenericHashTable`; empty entries are dropped, so one step can add or remove.
 */
export type CmdletParameterType = "string" | "nullableString" | "boolean" | "integer" | "stringList" | "multiValuedChange";

export interface CmdletParameterSpec {
  type: CmdletParameterType;
  required?: boolean;
  /** Allowed values (strings, or each item of a list), compared ignoring case as PowerShell does. */
  enum?: readonly string[];
  description: string;
}

export interface CmdletSpec {
  description: string;
  /** Reads only: dry runs may send it. */
  readOnly: boolean;
  /**
   * Sending it twice leaves what sending it once does (the second answers "already so"), so a
   * timeout or a 504 may be resent like a GET.
   */
  idempotent: boolean;
  /** The parameter naming the object the cmdlet acts on (its mailbox is the natural anchor). */
  identity: string;
  /** The built-in management roles holding it: the intent's Exchange role must hold one (lint checks). */
  roles: readonly ManagementRole[];
  parameters: Readonly<Record<string, CmdletParameterSpec>>;
}

const identity = (what: string): CmdletParameterSpec => ({ type: "string", required: true, description: what });

export const EXCHANGE_CMDLETS: Readonly<Record<string, CmdletSpec>> = {
  "Set-Mailbox": {
    description: "Changes a mailbox: type (shared), address-list visibility, SMTP forwarding, Send on Behalf delegates.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The mailbox (UPN, primary SMTP address or object id)."),
      Type: { type: "string", enum: ["Regular", "Shared"], description: "Converts the mailbox: Shared or Regular." },
      HiddenFromAddressListsEnabled: { type: "boolean", description: "Hides the mailbox from the address lists." },
      ForwardingSmtpAddress: { type: "nullableString", description: "Where mail is forwarded; null turns forwarding off." },
      DeliverToMailboxAndForward: { type: "boolean", description: "Keeps a copy in the mailbox while forwarding." },
      GrantSendOnBehalfTo: { type: "multiValuedChange", description: "Adds or removes Send on Behalf delegates." },
    },
  },
  "Add-MailboxPermission": {
    description: "Grants a user Full Access to a mailbox.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The mailbox."),
      User: identity("Who gains the permission."),
      AccessRights: { type: "stringList", required: true, enum: ["FullAccess"], description: "FullAccess." },
      InheritanceType: { type: "string", enum: ["All"], description: "All (the mailbox and its folders)." },
      AutoMapping: { type: "boolean", description: "Adds the mailbox to the user's Outlook." },
    },
  },
  "Remove-MailboxPermission": {
    description: "Takes Full Access to a mailbox away from a user.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The mailbox."),
      User: identity("Who loses the permission."),
      AccessRights: { type: "stringList", required: true, enum: ["FullAccess"], description: "FullAccess." },
      InheritanceType: { type: "string", enum: ["All"], description: "All (the mailbox and its folders)." },
    },
  },
  "Get-MailboxPermission": {
    description: "Lists who holds rights on a mailbox (Full Access holders, and the mailbox's own SELF entry).",
    readOnly: true,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients", "View-Only Recipients"],
    parameters: {
      Identity: identity("The mailbox."),
      User: { type: "string", description: "Only this holder's entries." },
    },
  },
  "Add-RecipientPermission": {
    description: "Grants a user Send As on a mailbox.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The mailbox."),
      Trustee: identity("Who gains the permission."),
      AccessRights: { type: "stringList", required: true, enum: ["SendAs"], description: "SendAs." },
    },
  },
  "Remove-RecipientPermission": {
    description: "Takes Send As on a mailbox away from a user.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The mailbox."),
      Trustee: identity("Who loses the permission."),
      AccessRights: { type: "stringList", required: true, enum: ["SendAs"], description: "SendAs." },
    },
  },
  "Remove-DistributionGroupMember": {
    description: "Removes a member from a distribution list or mail-enabled security group.",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Distribution Groups"],
    parameters: {
      Identity: identity("The group (object id, name or address)."),
      Member: identity("The member to remove."),
      BypassSecurityGroupManagerCheck: { type: "boolean", description: "Acts without being one of the group's managers." },
    },
  },
  "Get-Mailbox": {
    description: "Reads one mailbox, or every mailbox of the types asked for (to act on each).",
    readOnly: true,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients", "View-Only Recipients"],
    parameters: {
      Identity: { type: "string", description: "One mailbox; absent = every mailbox." },
      RecipientTypeDetails: { type: "stringList", enum: ["UserMailbox", "SharedMailbox"], description: "Only mailboxes of these types." },
      ResultSize: { type: "string", enum: ["Unlimited"], description: "Unlimited: every mailbox, not the first 1000." },
    },
  },
  "Get-MobileDevice": {
    description: "Lists the phones and tablets that sync a mailbox.",
    readOnly: true,
    idempotent: true,
    identity: "Mailbox",
    roles: ["Mail Recipients", "View-Only Recipients"],
    parameters: {
      Mailbox: identity("The mailbox whose devices are listed."),
    },
  },
  "Remove-MobileDevice": {
    description: "Removes one device partnership from a mailbox (the device stops syncing; nothing is wiped).",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The partnership, by its Guid from Get-MobileDevice."),
    },
  },
  "Remove-CalendarEvents": {
    description: "Cancels the meetings a mailbox organised in a window of days (attendees receive the cancellation).",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The organiser's mailbox."),
      CancelOrganizedMeetings: { type: "boolean", description: "Cancels the meetings the mailbox organised." },
      QueryWindowInDays: { type: "integer", required: true, description: "How many days from the start date (today by default) to cancel; at most 1825." },
      QueryStartDate: { type: "string", description: "The first day to cancel from (default today)." },
    },
  },
  "Remove-MailboxFolderPermission": {
    description: "Takes a user's rights on another mailbox's folder away (the Calendar: `mailbox:\\Calendar`).",
    readOnly: false,
    idempotent: true,
    identity: "Identity",
    roles: ["Mail Recipients"],
    parameters: {
      Identity: identity("The folder: mailbox:\\Calendar."),
      User: identity("Who loses the rights."),
    },
  },
};

/**
 * Why `value` cannot go into a parameter of this spec, or undefined when it can: one rule for lint
 * (literal values) and for the client (rendered values) alike. A `multiValuedChange` may have an
 * empty side; the client drops it, and refuses the change only when nothing is left.
 */
export function parameterValueProblem(spec: CmdletParameterSpec, value: unknown): string | undefined {
  const text = (item: unknown): item is string => typeof item === "string" && item.trim() !== "";
  const allowed = (item: string): boolean => !spec.enum || spec.enum.some((candidate) => candidate.toLowerCase() === item.trim().toLowerCase());
  const choices = spec.enum ? ` (one of ${spec.enum.join(", ")})` : "";
  switch (spec.type) {
    case "string":
      if (!text(value)) return "must be a non-empty string";
      return allowed(value) ? undefined : `must be one of ${spec.enum!.join(", ")}`;
    case "nullableString":
      return value === null || text(value) ? undefined : "must be a non-empty string, or null to clear it";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : "must be a whole number";
    case "stringList": {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0 || !items.every(text)) return `must be a string or a list of strings${choices}`;
      return items.every((item) => allowed(item as string)) ? undefined : `must be one of ${spec.enum!.join(", ")}`;
    }
    case "multiValuedChange": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be { add, remove }";
      const sides = Object.entries(value);
      if (sides.some(([key]) => key !== "add" && key !== "remove")) return "may only have add and remove";
      const entries = sides.flatMap(([, side]) => (Array.isArray(side) ? side : [side]));
      return entries.every((entry) => entry === null || typeof entry === "string") ? undefined : "must list addresses (strings) under add and remove";
    }
  }
}

/** The cmdlet's contract, by its exact name (the list spells each one canonically). */
export function findCmdlet(name: string): CmdletSpec | undefined {
  return Object.hasOwn(EXCHANGE_CMDLETS, name) ? EXCHANGE_CMDLETS[name] : undefined;
}

export function cmdletNames(): string[] {
  return Object.keys(EXCHANGE_CMDLETS).sort();
}

/** `X-AnchorMailbox` for app-only calls that name no mailbox: the tenant's arbitration mailbox. */
export function systemMailboxAnchor(tenantId: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}`;
}
