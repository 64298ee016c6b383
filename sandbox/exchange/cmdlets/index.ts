/**
 * The cmdlets the sandbox's Exchange answers: exactly the engine's allowed list
 * (engine/contracts/exchange-cmdlets.ts; a test keeps the two in step). Names and parameters bind
 * ignoring case, as PowerShell binds them; a value of the wrong type is a binding error.
 */
import { EXCHANGE_CMDLETS, type CmdletParameterSpec } from "../../../engine/contracts/exchange-cmdlets";
import { parameterNotFoundError, parameterValueError, type CmdletError } from "../errors";
import { removeCalendarEvents, removeMailboxFolderPermission } from "./calendar";
import { getMobileDevice, removeMobileDevice } from "./devices";
import { removeDistributionGroupMember } from "./groups";
import { setMailbox } from "./mailbox";
import { getMailbox } from "./mailboxes";
import { addMailboxPermission, addRecipientPermission, getMailboxPermission, removeMailboxPermission, removeRecipientPermission } from "./permissions";
import type { CmdletHandler } from "./types";

export type { CmdletContext, CmdletHandler, CmdletResult } from "./types";

export const CMDLET_HANDLERS: Readonly<Record<string, CmdletHandler>> = {
  "Set-Mailbox": setMailbox,
  "Add-MailboxPermission": addMailboxPermission,
  "Remove-MailboxPermission": removeMailboxPermission,
  "Get-MailboxPermission": getMailboxPermission,
  "Add-RecipientPermission": addRecipientPermission,
  "Remove-RecipientPermission": removeRecipientPermission,
  "Remove-DistributionGroupMember": removeDistributionGroupMember,
  "Get-Mailbox": getMailbox,
  "Get-MobileDevice": getMobileDevice,
  "Remove-MobileDevice": removeMobileDevice,
  "Remove-CalendarEvents": removeCalendarEvents,
  "Remove-MailboxFolderPermission": removeMailboxFolderPermission,
};

/** The handler and canonical name of a cmdlet, matched ignoring case; undefined = not available. */
export function findHandler(name: string): { cmdlet: string; handler: CmdletHandler } | undefined {
  const cmdlet = Object.keys(CMDLET_HANDLERS).find((known) => known.toLowerCase() === name.toLowerCase());
  return cmdlet === undefined ? undefined : { cmdlet, handler: CMDLET_HANDLERS[cmdlet]! };
}

/** Binds `Parameters` to the cmdlet's own: canonical names, checked value types, mandatory ones present. */
export function bindParameters(cmdlet: string, given: Readonly<Record<string, unknown>>): { parameters: Record<string, unknown> } | { error: CmdletError } {
  const specs = EXCHANGE_CMDLETS[cmdlet]?.parameters ?? {};
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const canonical = Object.keys(specs).find((known) => known.toLowerCase() === name.toLowerCase());
    if (canonical === undefined) return { error: parameterNotFoundError(cmdlet, name) };
    const problem = valueProblem(specs[canonical]!, value);
    if (problem) return { error: parameterValueError(cmdlet, canonical, problem) };
    bound[canonical] = normalise(specs[canonical]!, value);
  }
  const missing = Object.entries(specs).filter(([name, spec]) => spec.required && !(name in bound)).map(([name]) => name);
  if (missing.length > 0) {
    return { error: parameterValueError(cmdlet, missing[0]!, `Cannot process command because of one or more missing mandatory parameters: ${missing.join(" ")}.`) };
  }
  return { parameters: bound };
}

function valueProblem(spec: CmdletParameterSpec, value: unknown): string | undefined {
  const strings = (list: unknown): boolean => (Array.isArray(list) ? list : [list]).every((item) => typeof item === "string");
  switch (spec.type) {
    case "string":
      return typeof value === "string" && value !== "" ? enumProblem(spec, [value]) : "a non-empty string is required.";
    case "nullableString":
      return value === null || (typeof value === "string" && value !== "") ? undefined : "a non-empty string or null is required.";
    case "boolean":
      return typeof value === "boolean" ? undefined : "true or false is required.";
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : "a whole number is required.";
    case "stringList":
      return strings(value) ? enumProblem(spec, Array.isArray(value) ? value : [value]) : "a string or a list of strings is required.";
    case "multiValuedChange": {
      const table = value as Record<string, unknown> | null;
      if (typeof table !== "object" || table === null || Array.isArray(table)) return "a hashtable @{add=…; remove=…} is required.";
      const keys = Object.keys(table).filter((key) => key !== "@odata.type");
      return keys.every((key) => (key === "add" || key === "remove") && strings(table[key])) ? undefined : "only add and remove entries of addresses are allowed.";
    }
  }
}

function enumProblem(spec: CmdletParameterSpec, values: unknown[]): string | undefined {
  if (!spec.enum) return undefined;
  const bad = values.find((value) => !spec.enum!.some((allowed) => allowed.toLowerCase() === String(value).toLowerCase()));
  return bad === undefined ? undefined : `'${String(bad)}' is not one of ${spec.enum.join(", ")}.`;
}

function normalise(spec: CmdletParameterSpec, value: unknown): unknown {
  if (spec.type === "stringList") return Array.isArray(value) ? value : [value];
  if (spec.type !== "multiValuedChange") return value;
  const table = value as Record<string, unknown>;
  const list = (entry: unknown): string[] => (entry === undefined ? [] : Array.isArray(entry) ? (entry as string[]) : [entry as string]);
  return { add: list(table.add), remove: list(table.remove) };
}
