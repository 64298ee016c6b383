import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SecretSettings, keyVaultName } from "../../engine/config";
import { RUNS_TABLE, STEPS_TABLE } from "../../engine/host/compose";
import { loadCatalog } from "../../engine/index";
import { CONTINUATION_QUEUE } from "../../engine/store/continuation-queue";
import { objectEntries, readBicep, variableBlock } from "./bicep-reader";

const ROOT = join(__dirname, "..", "..");

/** Setting names a TypeScript module reads from its settings/env record. */
export function settingsReadBy(source: string, record: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(new RegExp(`\\b${record}\\.([A-Za-z_]\\w*)`, "g"))) names.add(m[1] as string);
  for (const m of source.matchAll(new RegExp(`\\b${record}\\[\\s*"([^"]+)"\\s*\\]`, "g"))) names.add(m[1] as string);
  // helpers called as integer(env, "NAME", fallback)
  for (const m of source.matchAll(new RegExp(`\\(\\s*${record}\\s*,\\s*"([A-Za-z_]\\w*)"`, "g"))) names.add(m[1] as string);
  // lists of names, e.g. SECRET_SETTINGS = ["A", "B"] or REQUIRED = ["A", "B"]
  for (const list of source.matchAll(/^(?:export )?const [A-Z_]+ = \[([^\]]*)\] as const/gm)) {
    for (const m of (list[1] as string).matchAll(/"([A-Za-z_]\w*)"/g)) names.add(m[1] as string);
  }
  return [...names].sort();
}

const config = readFileSync(join(ROOT, "engine", "config.ts"), "utf8");
const armSettings = readFileSync(join(ROOT, "engine", "clients", "arm", "settings.ts"), "utf8");
const readByApp = [...new Set([...settingsReadBy(config, "env"), ...settingsReadBy(armSettings, "settings")])].sort();
const readByIntents = [...new Set(loadCatalog().intents.flatMap((i) => i.settings))].sort();
const bicepSettings = objectEntries(variableBlock(readBicep("main.bicep"), "appSettings"));

/** Read by the code but deliberately not set in Azure, each for a stated reason. */
const NOT_SET_IN_AZURE: Record<string, string> = {
  AzureWebJobsStorage: "a connection string holds the account key; identity-based AzureWebJobsStorage__accountName is set instead",
  KEY_VAULT_NAME: "KEY_VAULT_URL is set, which takes precedence",
  AZURE_CLIENT_SECRET: "the managed identity needs no client secret",
  GRAPH_ACCESS_TOKEN: "a static token for the sandbox and tests only",
  ARM_ACCESS_TOKEN: "a static token for the sandbox and tests only",
  INTENT_SHARED_SECRET: "read from Key Vault (KEY_VAULT_URL) by the app itself, so an unresolved reference can never become the secret",
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
  it("finds the settings the code reads (the parser sees config.ts and the Automation settings)", () => {
    expect(readByApp).toEqual(expect.arrayContaining(["GRAPH_BASE_URL", "INTENT_SHARED_SECRET", "KEY_VAULT_URL", "AZURE_SUBSCRIPTION_ID", "AUTOMATION_ACCOUNT_NAME"]));
  });

  it("sets every setting engine/config.ts and the Automation client read", () => {
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
  });

  it("gives a resumed run less time than the host lets a function run", () => {
    const host = JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8")) as { functionTimeout: string };
    const [h, m, sec] = host.functionTimeout.split(":").map(Number) as [number, number, number];
    const budget = Number(/^'(\d+)'$/.exec(bicepSettings.get("CONTINUATION_BUDGET_MS") ?? "")?.[1]);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThan(((h * 60 + m) * 60 + sec) * 1000);
  });

  it("fails closed when the vault has no shared secret, instead of accepting a literal setting", async () => {
    const secrets = new SecretSettings({ KEY_VAULT_URL: "https://kv.example" }, { read: async () => undefined }, 1000);
    await expect(secrets.require("INTENT_SHARED_SECRET")).rejects.toMatchObject({ code: "CONFIG_MISSING" });
  });

  // Known gap, kept visible: engine/config.ts only knows a storage connection string, so in Azure
  // (identity-based storage, no key) it falls back to the development emulator. When the
  // Function App reads AzureWebJobsStorage__accountName this test starts failing: drop `.fails`.
  it.fails("the app reaches its tables and queue with the identity-based setting Bicep provides", () => {
    expect(config).toMatch(/AzureWebJobsStorage__accountName/);
  });
});

describe("storage names: engine ↔ infra/main.bicep", () => {
  const main = readBicep("main.bicep");
  const list = (name: string): string[] => [...(new RegExp(`^var ${name} = \\[([^\\]]*)\\]`, "m").exec(main)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1] as string);

  it("creates exactly the tables and the queue (with its poison queue) the app uses", () => {
    expect(list("tableNames").sort()).toEqual([RUNS_TABLE, STEPS_TABLE].sort());
    expect(list("queueNames").sort()).toEqual([CONTINUATION_QUEUE, `${CONTINUATION_QUEUE}-poison`].sort());
  });
});
