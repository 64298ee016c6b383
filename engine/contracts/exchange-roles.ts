/**
 * Which Exchange Online roles let the app run a cmdlet. Exchange RBAC puts every cmdlet in built-in
 * management roles (`Get-ManagementRole -Cmdlet Set-Mailbox` lists them in a tenant); role groups
 * hold management roles; a Microsoft Entra role with Exchange rights stands for a role group
 * (Exchange Administrator and Global Administrator for Organization Management, Exchange Recipient
 * Administrator for Recipient Management, Global Reader for View-Only Organization Management).
 * An intent names role groups or Entra roles under `permissions.exchangeRoles`; the deployment gives
 * them, with `Exchange.ManageAsApp`, to the identity Exchange work runs under.
 */

/** The built-in management roles the listed cmdlets are in. */
export type ManagementRole = "Mail Recipients" | "Distribution Groups" | "View-Only Recipients";

const ORGANIZATION = ["Organization Management", "Exchange Administrator", "Global Administrator"];
const RECIPIENTS = ["Recipient Management", "Exchange Recipient Administrator"];

/** The role groups, and the Entra roles standing for them, that hold each management role. */
const HOLDERS: Readonly<Record<ManagementRole, readonly string[]>> = {
  "Mail Recipients": [...ORGANIZATION, ...RECIPIENTS],
  "Distribution Groups": [...ORGANIZATION, ...RECIPIENTS],
  "View-Only Recipients": [...ORGANIZATION, "View-Only Organization Management", "Help Desk", "Global Reader"],
};

/** Every role an intent may declare that lets it run a cmdlet in any of these management roles, sorted. */
export function rolesHolding(roles: readonly ManagementRole[]): string[] {
  return [...new Set(roles.flatMap((role) => HOLDERS[role]))].sort();
}

/** True when this role group or Entra role is one the table knows (others are not judged). */
export function isKnownExchangeRole(name: string): boolean {
  return Object.values(HOLDERS).some((holders) => holders.includes(name));
}
