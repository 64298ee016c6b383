/** The human-readable form of `intents permissions`: what to grant, to which identity, and why. */
import type { PermissionSet, Requirement } from "./permissions";

/** The intents, then the engine's features, that need a permission. */
function neededBy(req: { intents: string[]; features?: string[] }): string {
  return [req.intents.join(", "), ...(req.features ?? [])].filter((part) => part !== "").join("; ");
}

function section(title: string, requirements: Requirement[], lines: string[]): void {
  lines.push(title);
  if (requirements.length === 0) {
    lines.push("  (none)");
    return;
  }
  const width = Math.max(...requirements.map((r) => r.name.length)) + 2;
  for (const req of requirements) {
    lines.push(`  ${req.name.padEnd(width)}${neededBy(req)}`);
    for (const covered of req.covers) {
      lines.push(`    covers ${covered.name} (${neededBy(covered)})`);
    }
  }
}

function list(values: string[]): string {
  return values.length === 0 ? "-" : values.join(", ");
}

export function formatPermissionsText(set: PermissionSet): string {
  const lines: string[] = [];
  section("Microsoft Graph application permissions (Function App managed identity):", set.graph, lines);
  lines.push("");
  section("Entra directory roles (Function App managed identity):", set.entraRoles, lines);
  lines.push("");
  // Exchange work runs under one identity, chosen by the deployment's route (EXCHANGE_MODE).
  const exchangeIdentity = "Function App managed identity on the admin API, the default; Automation account identity with EXCHANGE_MODE=runbook";
  section(`Office 365 Exchange Online application permissions (${exchangeIdentity}):`, set.exchangeAppRoles, lines);
  lines.push("");
  section("Exchange roles, granted as Entra roles to that same identity:", set.exchangeRoles, lines);
  lines.push("", "By intent:");
  for (const entry of set.byIntent) {
    lines.push(
      `  ${entry.intent} [${entry.risk}]: graph ${list(entry.graph)}; entra ${list(entry.entraRoles)}; exchange ${list(entry.exchangeRoles)}`,
    );
  }
  lines.push(
    "",
    "scripts/deploy.sh grants these; by hand: npx intents permissions --json > permissions.json &&",
    "  node bin/run-ts.cjs scripts/grant-graph-permissions.ts --permissions permissions.json --function-principal-id <id> --automation-principal-id <id> --exchange-mode api|runbook",
  );
  return lines.join("\n") + "\n";
}
