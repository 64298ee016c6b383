/**
 * Grants the tenant-level permissions Bicep cannot: the Graph application permissions and Entra
 * roles the intents declare go to the Function App's managed identity; when an intent uses
 * Exchange, Exchange.ManageAsApp and the Exchange roles the intents declare go to the identity the
 * Exchange route runs under: the Function App's (the admin API, `--exchange-mode api`, the default)
 * or the Automation account's (`--exchange-mode runbook`). Idempotent: what is already granted is
 * left alone, so it runs on every deployment.
 *
 *   npx intents permissions --json > permissions.json
 *   node bin/run-ts.cjs scripts/grant-graph-permissions.ts --permissions permissions.json \
 *     --function-principal-id <id> [--automation-principal-id <id>] [--exchange-mode api|runbook] [--graph-url <url>] [--dry-run]
 *
 * It grants exactly what `intents permissions` printed, so what an operator reviews is what is
 * granted. `--exchange-scoped Mail.Send,MailboxSettings.ReadWrite` leaves those to Exchange RBAC for
 * Applications (scoped to mailboxes; scripts/scope-mail-permissions.ps1): they are not granted in
 * Entra, and an Entra grant of them is revoked, since an unscoped grant would reach every mailbox.
 *
 * The token is the signed-in Azure CLI user's (Privileged Role Administrator or Global
 * Administrator), or GRAPH_ACCESS_TOKEN when set.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PermissionSet } from "../engine/tooling/permissions/permissions";
import { createGraphClient, graphResponseError, type GraphClient } from "../engine/clients/graph";
import { IntentError, ensureIntentError } from "../engine/core/errors";

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

export interface GrantOptions {
  graphUrl: string;
  token: string;
  functionPrincipalId: string;
  automationPrincipalId?: string;
  permissions: PermissionSet;
  /** Which identity runs Exchange work: the Function App (the admin API) or the Automation account. */
  exchangeMode?: "api" | "runbook";
  /**
   * The Exchange identity holds its role through an Exchange role group with a management scope
   * (README: Scoping the Exchange role): only Exchange.ManageAsApp is granted, no Entra Exchange role.
   */
  exchangeRoleInExchange?: boolean;
  /** Graph permissions Exchange RBAC for Applications grants instead, scoped: revoked here, never granted. */
  exchangeScoped?: readonly string[];
  dryRun?: boolean;
  log: (line: string) => void;
}

interface AppRole { id: string; value: string; allowedMemberTypes: string[] }
interface ServicePrincipal { id: string; appRoles: AppRole[] }

const SIGN_IN_FIX = "Sign in (az login) as a Privileged Role Administrator or Global Administrator of the customer's tenant.";

/** A 401 or 403 here is about the operator's sign-in, not the app's credentials or consent. */
function asOperatorError(thrown: unknown): IntentError {
  const error = ensureIntentError(thrown);
  const status = (error.details as { status?: unknown } | undefined)?.status;
  return status === 401 || status === 403 ? new IntentError(error.code, error.message, { fix: SIGN_IN_FIX, details: error.details }) : error;
}

/**
 * The engine's Graph client (throttling retries, the same-origin rule for `@odata.nextLink`,
 * Graph's error text) with the operator's token, answering only what this script needs.
 */
function graphCaller(graph: GraphClient) {
  return {
    async call<T>(method: "GET" | "POST" | "DELETE", path: string, query?: Record<string, string>, body?: unknown): Promise<T> {
      const request = { method, path, ...(query ? { query } : {}), ...(body === undefined ? {} : { body }) };
      const response = await graph.request(request);
      if (response.status < 200 || response.status > 299) throw asOperatorError(graphResponseError(request, response));
      return response.body as T;
    },
    async listAll<T>(path: string, query?: Record<string, string>): Promise<T[]> {
      try {
        return (await graph.getAll({ method: "GET", path, ...(query ? { query } : {}) })).items as T[];
      } catch (thrown) {
        throw asOperatorError(thrown);
      }
    },
  };
}

const quoted = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export interface GrantResult {
  granted: string[];
  present: string[];
  /** Granted earlier but no longer needed by any intent: reported, never revoked automatically. */
  unneeded: string[];
  /** Tenant-wide grants removed because Exchange RBAC for Applications grants them, scoped. */
  revoked: string[];
}

export async function grantPermissions(options: GrantOptions): Promise<GrantResult> {
  const graph = createGraphClient({ baseUrl: options.graphUrl, tokens: { getToken: async () => options.token } });
  try {
    return await grantWith(graphCaller(graph), options);
  } finally {
    await graph.close();
  }
}

async function grantWith({ call, listAll }: ReturnType<typeof graphCaller>, options: GrantOptions): Promise<GrantResult> {
  const granted: string[] = [];
  const present: string[] = [];
  const unneeded: string[] = [];
  const revoked: string[] = [];
  const scoped = new Set(options.exchangeScoped ?? []);

  async function grantAppRoles(principalId: string, resourceAppId: string, values: string[], who: string, scopedElsewhere = new Set<string>()): Promise<void> {
    if (values.length === 0) return;
    const resource = await call<ServicePrincipal>("GET", `/servicePrincipals(appId=${quoted(resourceAppId)})`, { $select: "id,appRoles" });
    const existing = await listAll<{ id: string; appRoleId: string; resourceId: string }>(`/servicePrincipals/${principalId}/appRoleAssignments`);
    for (const value of values.filter((v) => !scopedElsewhere.has(v))) {
      const role = resource.appRoles.find((r) => r.value === value && r.allowedMemberTypes.includes("Application"));
      if (!role) {
        throw new IntentError("GRAPH_ERROR", `There is no application permission named ${value}.`, {
          fix: "Correct the permission's spelling in the intent that declares it (see `npx intents permissions`).",
        });
      }
      const label = `${who}: ${value}`;
      if (existing.some((a) => a.appRoleId === role.id && a.resourceId === resource.id)) {
        present.push(label);
        continue;
      }
      if (!options.dryRun) {
        await call("POST", `/servicePrincipals/${principalId}/appRoleAssignments`, undefined, { principalId, resourceId: resource.id, appRoleId: role.id });
      }
      granted.push(label);
    }
    const needed = new Set(values);
    for (const assignment of existing.filter((a) => a.resourceId === resource.id)) {
      const value = resource.appRoles.find((r) => r.id === assignment.appRoleId)?.value ?? assignment.appRoleId;
      if (scopedElsewhere.has(value)) {
        if (!options.dryRun) await call("DELETE", `/servicePrincipals/${principalId}/appRoleAssignments/${assignment.id}`);
        revoked.push(`${who}: ${value}`);
      } else if (!needed.has(value)) {
        unneeded.push(`${who}: ${value}`);
      }
    }
  }

  async function grantDirectoryRoles(principalId: string, names: string[], who: string): Promise<void> {
    if (names.length === 0) return;
    const assigned = await listAll<{ roleDefinitionId: string; directoryScopeId: string }>("/roleManagement/directory/roleAssignments", {
      $filter: `principalId eq ${quoted(principalId)}`,
    });
    for (const name of names) {
      const found = await call<{ value: Array<{ id: string }> }>("GET", "/roleManagement/directory/roleDefinitions", {
        $filter: `displayName eq ${quoted(name)}`,
        $select: "id,displayName",
      });
      const definition = found.value[0];
      if (!definition) {
        throw new IntentError("GRAPH_ERROR", `There is no Entra role named ${name}.`, {
          fix: "Use the role's display name as the Entra admin center shows it, e.g. User Administrator.",
        });
      }
      const label = `${who}: ${name}`;
      if (assigned.some((a) => a.roleDefinitionId === definition.id && a.directoryScopeId === "/")) {
        present.push(label);
        continue;
      }
      if (!options.dryRun) {
        await call("POST", "/roleManagement/directory/roleAssignments", undefined, { principalId, roleDefinitionId: definition.id, directoryScopeId: "/" });
      }
      granted.push(label);
    }
  }

  const { permissions } = options;
  await grantAppRoles(options.functionPrincipalId, MICROSOFT_GRAPH_APP_ID, permissions.graph.map((r) => r.name), "Function App", scoped);
  await grantDirectoryRoles(options.functionPrincipalId, permissions.entraRoles.map((r) => r.name), "Function App");
  if (permissions.exchangeRoles.length > 0) {
    const exchange = exchangeIdentity(options);
    // Older permission files (before exchangeAppRoles) imply the one app role every Exchange intent needs.
    const exchangeAppRoles = permissions.exchangeAppRoles?.map((r) => r.name) ?? ["Exchange.ManageAsApp"];
    await grantAppRoles(exchange.principalId, EXCHANGE_ONLINE_APP_ID, exchangeAppRoles, exchange.who);
    if (!options.exchangeRoleInExchange) await grantDirectoryRoles(exchange.principalId, permissions.exchangeRoles.map((r) => r.name), exchange.who);
  }
  for (const line of present) options.log(`already granted  ${line}`);
  for (const line of granted) options.log(`${options.dryRun ? "would grant     " : "granted         "} ${line}`);
  for (const line of revoked) options.log(`${options.dryRun ? "would revoke    " : "revoked         "} ${line} (Exchange RBAC for Applications grants it, scoped)`);
  for (const line of unneeded) options.log(`not needed by any intent (revoke it by hand if nothing else uses it)  ${line}`);
  return { granted, present, unneeded, revoked };
}

/** The identity Exchange work runs under, for the route the deployment chose. */
function exchangeIdentity(options: GrantOptions): { principalId: string; who: string } {
  if ((options.exchangeMode ?? "api") === "api") return { principalId: options.functionPrincipalId, who: "Function App" };
  if (!options.automationPrincipalId) {
    throw new IntentError("CONFIG_MISSING", "Intents use Exchange Online runbooks (exchange mode runbook), but no Automation identity was given.", {
      fix: "Pass --automation-principal-id (the deployment output automationPrincipalId).",
    });
  }
  return { principalId: options.automationPrincipalId, who: "Automation" };
}

function azureCliGraphToken(): string {
  try {
    return execFileSync("az", ["account", "get-access-token", "--resource-type", "ms-graph", "--query", "accessToken", "-o", "tsv"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch (cause) {
    throw new IntentError("GRAPH_AUTH", "No Microsoft Graph token: the Azure CLI is not signed in.", { cause, fix: "Run `az login --tenant <customer tenant>` first." });
  }
}

/** The JSON `intents permissions --json` printed; only the names are used. */
export function readPermissionSet(file: string): PermissionSet {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  let parsed: Partial<PermissionSet>;
  try {
    parsed = JSON.parse(text) as Partial<PermissionSet>;
  } catch (cause) {
    throw new IntentError("CONFIG_MISSING", `${file} is not JSON from \`intents permissions --json\`.`, { cause });
  }
  const lists = [parsed.graph, parsed.entraRoles, parsed.exchangeRoles];
  if (!lists.every((list) => Array.isArray(list) && list.every((r) => typeof (r as { name?: unknown }).name === "string"))) {
    throw new IntentError("CONFIG_MISSING", `${file} lacks graph, entraRoles or exchangeRoles lists.`, {
      fix: "Write the file with `npx intents permissions --json`.",
    });
  }
  return parsed as PermissionSet;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "function-principal-id": { type: "string" },
      "automation-principal-id": { type: "string" },
      permissions: { type: "string" },
      "graph-url": { type: "string", default: "https://graph.microsoft.com/v1.0" },
      "exchange-scoped": { type: "string" },
      "exchange-mode": { type: "string", default: "api" },
      "exchange-role-in-exchange": { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const functionPrincipalId = values["function-principal-id"];
  const permissionsFile = values.permissions;
  const exchangeMode = values["exchange-mode"];
  if (!functionPrincipalId || !permissionsFile || (exchangeMode !== "api" && exchangeMode !== "runbook")) {
    process.stderr.write(
      "usage: grant-graph-permissions --permissions <file|-> --function-principal-id <id> [--automation-principal-id <id>] [--exchange-mode api|runbook] [--exchange-role-in-exchange] [--exchange-scoped Mail.Send,…] [--graph-url url] [--dry-run]\n",
    );
    return 2;
  }
  await grantPermissions({
    graphUrl: (values["graph-url"] as string).replace(/\/+$/, ""),
    token: process.env.GRAPH_ACCESS_TOKEN || azureCliGraphToken(),
    functionPrincipalId,
    ...(values["automation-principal-id"] ? { automationPrincipalId: values["automation-principal-id"] } : {}),
    permissions: readPermissionSet(permissionsFile),
    exchangeMode,
    exchangeRoleInExchange: values["exchange-role-in-exchange"] as boolean,
    exchangeScoped: (values["exchange-scoped"] ?? "").split(",").map((name) => name.trim()).filter(Boolean),
    dryRun: values["dry-run"] as boolean,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  return 0;
}

// Run as a script (bin/run-ts.cjs puts this file in argv[1]); imported by tests otherwise.
if (process.argv[1] === __filename) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      const failure = ensureIntentError(error);
      process.stderr.write(`grant-graph-permissions: ${failure.message}${failure.fix ? `\n  fix: ${failure.fix}` : ""}\n`);
      process.exitCode = 1;
    },
  );
}
