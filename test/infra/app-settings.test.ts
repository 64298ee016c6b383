import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_ABANDONED_GRACE_MS, DEFAULT_ABANDONED_MAX_TAKEOVERS, SecretSettings, keyVaultName, loadSettings } from "../../engine/hosts/config";
import { RUNS_TABLE, SNAPSHOT_ITEMS_TABLE, SNAPSHOTS_TABLE, STEPS_TABLE } from "../../engine/hosts/compose/pipeline";
import { loadCatalog } from "../../engine/index";
import { notificationUrlFrom } from "../../engine/hosts/compose/notifications";
import { MEMBER_SNAPSHOTS_TABLE } from "../../engine/inbound/notifications/members/snapshot-store";
import { NOTIFICATION_QUEUE } from "../../engine/inbound/notifications/queue";
import { SUBSCRIPTIONS_TABLE } from "../../engine/inbound/notifications/subscriptions/table-store";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { REPORT_OUTBOX_TABLE, REPORT_QUEUE } from "../../engine/lifecycle/report";
import { RUN_INDEX_TABLE } from "../../engine/lifecycle/store/run-index";
import { KEPT_REQUESTS_TABLE } from "../../engine/lifecycle/store/kept-requests";
import { CONSOLE_ACTIONS_TABLE } from "../../engine/lifecycle/runs/audit";
import { HEALTH_TABLE } from "../../engine/lifecycle/runs/throttling-log";
import { APPROVALS_TABLE } from "../../engine/lifecycle/approval/store";
import { objectEntries, outputs, readBicep, variableBlock } from "./bicep-reader";
import { ROOT, loadedByFunctionApp, settingsReadBy, settingsReaders } from "./settings-scan";
import { builtinKindSpecs } from "../../engine/kinds";

const config = readFileSync(join(ROOT, "engine", "hosts", "config.ts"), "utf8");
const loaded = loadedByFunctionApp();
const readers = settingsReaders();
const inFunctionApp = [...readers].filter(([file]) => loaded.has(file));
const readByApp = [...new Set(inFunctionApp.flatMap(([, names]) => names))].sort();
const readByIntents = [...new Set(loadCatalog(builtinKindSpecs()).intents.flatMap((i) => i.settings))].sort();
const bicepSettings = objectEntries(variableBlock(readBicep("main.bicep"), "appSettings"));

/** Modules that read settings but never run in the Function App (it does not import them), and why. */
const OFF_AZURE: Record<string, string> = {
  "engine/hosts/cli/": "the `intents` CLI on an operator's machine",
  "engine/hosts/local/": "`npm start`: the local server, Azurite, the sandbox tenant and change notifications (poller and timer in-process)",
  "engine/clients/graph/index.ts": "the Graph client factory for the CLI and cases; the Function App builds its client in engine/hosts/compose/from-settings.ts",
};

/** Read by the code but deliberately not set in Azure, each for a stated reason. */
const NOT_SET_IN_AZURE: Record<string, string> = {
  AzureWebJobsStorage: "a connection string holds the account key; identity-based AzureWebJobsStorage__accountName is set instead",
  KEY_VAULT_NAME: "KEY_VAULT_URL is set, which takes precedence",
  POLICY_FILE: "the package's policy.yaml beside intents/ is the deployment's requester policy (npm run package ships it); the setting is for local runs",
  AZURE_CLIENT_SECRET: "the managed identity needs no client secret",
  GRAPH_ACCESS_TOKEN: "a static token for the sandbox and tests only",
  ARM_ACCESS_TOKEN: "a static token for the sandbox and tests only",
  EXCHANGE_ACCESS_TOKEN: "a static token for the sandbox and tests only; in Azure the managed identity's token for the Exchange resource",
  INTENT_SHARED_SECRET: "read from Key Vault (KEY_VAULT_URL) by the app itself, so an unresolved reference can never become the secret",
  AZURE_CLIENT_ID: "unset picks the system-assigned managed identity; set only for a user-assigned one or an app registration",
  AZURE_TENANT_ID: "only for an app registration (certificate, secret, federation); the managed identity knows its tenant",
  AZURE_FEDERATED_TOKEN_FILE: "workload identity federation outside Azure; the Function App has a managed identity",
  AZURE_CLIENT_CERTIFICATE_PATH: "an app registration's certificate; the managed identity needs none",
  AZURE_CLIENT_CERTIFICATE_PASSWORD: "an app registration's certificate; the managed identity needs none",
  AZURE_AUTHORITY_HOST: "derived from GRAPH_BASE_URL's cloud (public, US Government, China)",
  NOTIFICATION_URL: "derived from WEBSITE_HOSTNAME (https://<host>/api/notifications), so it follows the site's real host name",
  WEBSITE_HOSTNAME: "set by the App Service platform to the site's default host name; an app setting cannot override it",
  CONNECTWISE_PRIVATE_KEY: "read from Key Vault (CONNECTWISE-PRIVATE-KEY) by the app itself; no PSA secret is an app setting",
  AUTOTASK_SECRET: "read from Key Vault (AUTOTASK-SECRET) by the app itself",
  HALOPSA_CLIENT_SECRET: "read from Key Vault (HALOPSA-CLIENT-SECRET) by the app itself",
  REPORT_WEBHOOK_SECRET: "read from Key Vault (REPORT-WEBHOOK-SECRET) by the app itself",
  APPROVAL_SIGNING_KEY: "read from Key Vault (APPROVAL-SIGNING-KEY) by the app itself; without it approvals are off and runs that need one are refused",
  APPROVAL_BASE_URL: "derived from WEBSITE_HOSTNAME (https://<host>), so approval links follow the site's real host name; set only behind a custom domain",
  AUTOTASK_ZONE_LOOKUP_URL: "Autotask's own zoneInformation host is the default; only the local PSA simulator moves it",
  WEBSITE_INSTANCE_ID: "set by the App Service platform on every instance: the console trusts App Service Authentication only there",
  WEBSITE_AUTH_ENABLED: "set by the App Service platform when App Service Authentication is on (Bicep's authsettingsV2), never by an app setting",
  CONSOLE_SESSION_HOURS: "the console session's default of 8 hours suits a working day; set it only to change that",
};

/** Set in Azure for the platform, not read by our code. */
const PLATFORM_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage__accountName: "Functions host storage through the managed identity",
  AzureWebJobsStorage__credential: "Functions host storage through the managed identity",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "Functions host telemetry",
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Functions host telemetry with Entra ID (local auth is off)",
  DEFAULT_USAGE_LOCATION: "PRODUCT.md's setting for New User Creation (intents branch), set ahead of that intent",
};

describe("app settings: engine code and intents ↔ infra/main.bicep", () => {
  it("finds the modules that read settings by scanning engine/, and which of them the Function App loads", () => {
    const files = inFunctionApp.map(([file]) => file);
    expect(files).toEqual(expect.arrayContaining([
      "engine/hosts/config.ts", "engine/clients/arm/settings.ts", "engine/clients/graph/auth.ts", "engine/hosts/compose/notifications.ts",
    ]));
    expect(readByApp).toEqual(expect.arrayContaining([
      "GRAPH_BASE_URL", "INTENT_SHARED_SECRET", "KEY_VAULT_URL", "AZURE_SUBSCRIPTION_ID", "AUTOMATION_ACCOUNT_NAME", "AZURE_CLIENT_ID", "NOTIFICATION_URL", "WEBSITE_HOSTNAME",
    ]));
  });

  it("reads settings the way the scanner recognises, and no camelCase property counts as one", () => {
    const sample = [
      "const a = env.FIRST ?? settings?.SECOND; const b = process.env[\"THIRD\"]; integer(env, \"FOURTH\", 1);",
      "const { FIFTH, SIXTH } = process.env; pipeline.settings.sharedSecret(); // env.COMMENTED",
      "const LISTED = [\"SEVENTH\"] as const; LISTED.filter((name) => !settings[name]);",
    ].join("\n");
    expect(settingsReadBy(sample)).toEqual(["FIFTH", "FIRST", "FOURTH", "SECOND", "SEVENTH", "SIXTH", "THIRD"]);
  });

  it("knows why each module that reads settings outside the Function App's imports never runs there", () => {
    const exemptBy = (file: string): string | undefined => Object.keys(OFF_AZURE).find((key) => (key.endsWith("/") ? file.startsWith(key) : file === key));
    const outside = [...readers.keys()].filter((file) => !loaded.has(file));
    expect(outside.filter((file) => exemptBy(file) === undefined), "imported by no Function App entry: say why in OFF_AZURE, or import it").toEqual([]);
    for (const key of Object.keys(OFF_AZURE)) expect(outside.some((file) => exemptBy(file) === key), `stale OFF_AZURE entry ${key}`).toBe(true);
  });

  it("sets every setting a module of the Function App reads", () => {
    const missing = readByApp.filter((name) => !bicepSettings.has(name) && !(name in NOT_SET_IN_AZURE));
    expect(missing, "add these to appSettings in infra/main.bicep").toEqual([]);
  });

  it("sets every setting an intent declares", () => {
    expect(readByIntents.filter((name) => !bicepSettings.has(name)), "add these to appSettings in infra/main.bicep").toEqual([]);
  });

  it("sets nothing that neither the code, the intents nor the platform reads", () => {
    const unread = [...bicepSettings.keys()].filter((name) => !readByApp.includes(name) && !readByIntents.includes(name) && !(name in PLATFORM_SETTINGS));
    expect(unread).toEqual([]);
    for (const name of Object.keys(NOT_SET_IN_AZURE)) expect(bicepSettings.has(name), name).toBe(false);
  });

  it("holds no secret; the app finds the shared secret in the vault under the name Bicep stores it", () => {
    for (const [name, value] of bicepSettings) {
      expect(value, name).not.toMatch(/AccountKey|SharedAccessSignature|listKeys|intentSharedSecret|Password=|ClientSecret|@Microsoft\.KeyVault/i);
    }
    expect(bicepSettings.get("KEY_VAULT_URL")).toBe("keyVault.outputs.vaultUri");
    const stored = /^var sharedSecretName = '([^']+)'$/m.exec(readBicep("main.bicep"))?.[1];
    expect(stored).toBe(keyVaultName("INTENT_SHARED_SECRET"));
    expect(readFileSync(join(ROOT, "scripts", "deploy.sh"), "utf8")).toContain(`secret_name="${stored}"`);
    // Approvals' signing key: the name the app reads it under is the one Bicep stores and deploy.sh generates.
    const approvalKey = /^var approvalKeyName = '([^']+)'$/m.exec(readBicep("main.bicep"))?.[1];
    expect(approvalKey).toBe(keyVaultName("APPROVAL_SIGNING_KEY"));
    expect(readFileSync(join(ROOT, "scripts", "deploy.sh"), "utf8")).toContain(`approval_key_name="${approvalKey}"`);
  });

  it("gives a resumed run less time than the host lets a function run", () => {
    const host = JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8")) as { functionTimeout: string };
    const [h, m, sec] = host.functionTimeout.split(":").map(Number) as [number, number, number];
    const budget = Number(/^'(\d+)'$/.exec(bicepSettings.get("CONTINUATION_BUDGET_MS") ?? "")?.[1]);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThan(((h * 60 + m) * 60 + sec) * 1000);
  });

  it("sweeps abandoned runs only once a stopped run's own continuation is overdue, from a timer the Function App registers", () => {
    const host = JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8")) as { extensions: { queues: { visibilityTimeout: string; maxDequeueCount: number } } };
    const [h, m, sec] = host.extensions.queues.visibilityTimeout.split(":").map(Number) as [number, number, number];
    const ms = (name: string) => Number(/^'(\d+)'$/.exec(bicepSettings.get(name) ?? "")?.[1]);
    const grace = ms("ABANDONED_RUN_GRACE_MS");
    expect(grace).toBe(DEFAULT_ABANDONED_GRACE_MS);
    // A run that stopped queues its continuation a lease later; a failing message comes back each visibility timeout.
    expect(grace).toBeGreaterThan(ms("RUN_LEASE_MS") + ((h * 60 + m) * 60 + sec) * 1000 * host.extensions.queues.maxDequeueCount);
    const timers = [...loaded].filter((f) => f.startsWith("engine/hosts/functions/")).flatMap((f) =>
      [...readFileSync(join(ROOT, f), "utf8").matchAll(/app\.timer\("(\w+)"/g)].map((match) => match[1] as string));
    expect(timers).toContain("sweepAbandonedRuns");
  });

  it("caps how often a run whose instance stops under it is taken over, in Bicep and the local sample alike", () => {
    const sample = JSON.parse(readFileSync(join(ROOT, "local.settings.sample.json"), "utf8")) as { Values: Record<string, string> };
    expect(bicepSettings.get("ABANDONED_RUN_MAX_TAKEOVERS")).toBe(`'${DEFAULT_ABANDONED_MAX_TAKEOVERS}'`);
    expect(sample.Values.ABANDONED_RUN_MAX_TAKEOVERS).toBe(String(DEFAULT_ABANDONED_MAX_TAKEOVERS));
    expect(sample.Values.ABANDONED_RUN_GRACE_MS).toBe(String(DEFAULT_ABANDONED_GRACE_MS));
    expect(loadSettings({}).abandonedMaxTakeovers).toBe(DEFAULT_ABANDONED_MAX_TAKEOVERS);
  });

  it("fails closed when the vault has no shared secret, instead of accepting a literal setting", async () => {
    const secrets = new SecretSettings({ KEY_VAULT_URL: "https://kv.example" }, { read: async () => undefined }, 1000);
    await expect(secrets.require("INTENT_SHARED_SECRET")).rejects.toMatchObject({ code: "CONFIG_MISSING" });
  });

  it("the app reaches its tables and queue with the identity-based setting Bicep provides", () => {
    expect(config).toMatch(/AzureWebJobsStorage__accountName/);
  });
});

describe("storage names: engine ↔ infra/main.bicep", () => {
  const main = readBicep("main.bicep");
  const list = (name: string): string[] => [...(new RegExp(`^var ${name} = \\[([^\\]]*)\\]`, "m").exec(main)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1] as string);

  it("creates exactly the tables and the queues (each with its poison queue) the app uses, notifications included", () => {
    expect(list("tableNames").sort()).toEqual([
      RUNS_TABLE, STEPS_TABLE, SUBSCRIPTIONS_TABLE, MEMBER_SNAPSHOTS_TABLE, REPORT_OUTBOX_TABLE, RUN_INDEX_TABLE, KEPT_REQUESTS_TABLE, CONSOLE_ACTIONS_TABLE, HEALTH_TABLE, APPROVALS_TABLE, SNAPSHOTS_TABLE, SNAPSHOT_ITEMS_TABLE,
    ].sort());
    const queues = [CONTINUATION_QUEUE, NOTIFICATION_QUEUE, REPORT_QUEUE];
    expect(list("queueNames").sort()).toEqual([...queues, ...queues.map((q) => `${q}-poison`)].sort());
  });

  it("every queue a Functions trigger listens on is one of those constants", () => {
    const triggers = [...loaded].filter((f) => f.startsWith("engine/hosts/functions/")).flatMap((f) =>
      [...readFileSync(join(ROOT, f), "utf8").matchAll(/app\.storageQueue\("\w+", \{ queueName: (\w+)/g)].map((m) => m[1] as string));
    expect(triggers.sort()).toEqual(["CONTINUATION_QUEUE", "NOTIFICATION_QUEUE", "REPORT_QUEUE"]);
  });
});

describe("notification URL: engine ↔ platform ↔ infra/main.bicep", () => {
  it("derives from WEBSITE_HOSTNAME the URL Bicep outputs and the notifications function serves", () => {
    const host = "contoso-func-abc123.azurewebsites.net";
    const derived = notificationUrlFrom({ WEBSITE_HOSTNAME: host });
    const output = outputs(readBicep("main.bicep")).find((o) => o.name === "notificationUrl")?.value ?? "";
    expect(output).toBe("'https://${functionApp.outputs.defaultHostName}/api/notifications'");
    expect(derived).toBe(output.slice(1, -1).replace("${functionApp.outputs.defaultHostName}", host));
    const route = /app\.http\("notifications", \{[^}]*route: "([^"]+)"/.exec(readFileSync(join(ROOT, "engine", "hosts", "functions", "notifications.ts"), "utf8"))?.[1];
    const prefix = (JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8")) as { extensions: { http: { routePrefix: string } } }).extensions.http.routePrefix;
    expect(derived).toBe(`https://${host}/${prefix}/${route}`);
  });

  it("is not an app setting, so a renamed or custom-domain site cannot keep a stale one", () => {
    expect(bicepSettings.has("NOTIFICATION_URL")).toBe(false);
    expect(notificationUrlFrom({})).toBeUndefined();
  });
});
