/**
 * Least privilege for Exchange, as lint derives Graph's from the requests: the app runs a cmdlet
 * only with `Exchange.ManageAsApp` and an Exchange role holding it, and `intents permissions` grants
 * both from the roles an intent declares. An intent whose declared roles hold none of a cmdlet's
 * management roles would pass review and fail on its first run with EXCHANGE_PERMISSION_DENIED.
 */
import type { CmdletSpec } from "../../contracts/exchange-cmdlets";
import { isKnownExchangeRole, rolesHolding } from "../../contracts/exchange-roles";
import type { ReportDiagnostic, StaticStep } from "../../core/step-kind";

/** Reports at `cmdlet` when no declared Exchange role holds it; silent where the roles cannot be judged. */
export function checkCmdletRole(step: StaticStep, cmdlet: string, spec: CmdletSpec, report: ReportDiagnostic): void {
  // Deployment checks belong to `intents lint` and CI, like the Graph permission reference's.
  if (step.referenceChecks === false || !step.permissions) return;
  const declared = step.permissions.exchangeRoles;
  // A name the table does not know is misspelt (reported as such) or custom (not judged).
  if (declared.some((name) => !isKnownExchangeRole(name))) return;
  const holders = rolesHolding(spec.roles);
  if (declared.some((name) => holders.includes(name))) return;
  const has = declared.length > 0 ? `; it declares ${declared.join(", ")}` : "; it declares none (permissions.exchangeRoles)";
  report(
    "SPEC_PERMISSION_MISSING",
    `${cmdlet} needs an Exchange role holding ${spec.roles.join(" or ")} (${holders.join(", ")}), granted with Exchange.ManageAsApp${has}`,
    ["cmdlet"],
  );
}
