import { describe, expect, it } from "vitest";
import { isCredentialSetting } from "../../engine/core/credentials";
import { intentSecretReader, keyVaultName, loadSettings, SecretSettings } from "../../engine/hosts/config";
import { IntentError } from "../../engine/core/errors";
import { createManualClock } from "../support/manual-clock";

describe("loadSettings", () => {
  it("reads defaults and overrides, and keeps secrets out of the plain settings", () => {
    const settings = loadSettings({ RUN_BUDGET_MS: "1500", INTENT_SHARED_SECRET: "s", HELPDESK_EMAIL: "hd@contoso.com", KEY_VAULT_NAME: "kv1" });
    expect(settings.runBudgetMs).toBe(1500);
    expect(settings.leaseMs).toBe(60_000);
    expect(settings.graphBaseUrl).toBe("https://graph.microsoft.com/v1.0");
    expect(settings.storage).toEqual({ kind: "connection-string", connectionString: "UseDevelopmentStorage=true" });
    expect(settings.keyVaultUrl).toBe("https://kv1.vault.azure.net");
    expect(settings.plain.HELPDESK_EMAIL).toBe("hd@contoso.com");
    expect(settings.plain.INTENT_SHARED_SECRET).toBeUndefined();
  });

  it("refuses a malformed number with CONFIG_MISSING naming the setting", () => {
    expect(() => loadSettings({ RUN_LEASE_MS: "soon" })).toThrow(IntentError);
    expect(() => loadSettings({ RUN_LEASE_MS: "soon" })).toThrow(/RUN_LEASE_MS/);
  });
});

describe("SecretSettings", () => {
  it("prefers the environment, caches Key Vault reads, and re-reads after expiry or refresh", async () => {
    const clock = createManualClock(0);
    const reads: string[] = [];
    let value = "v1";
    const secrets = new SecretSettings({ AZURE_CLIENT_SECRET: "from-env" }, { read: async (name) => { reads.push(name); return value; } }, 1_000, () => clock.now());
    expect(await secrets.get("AZURE_CLIENT_SECRET")).toBe("from-env");
    expect(await secrets.get("INTENT_SHARED_SECRET")).toBe("v1");
    value = "v2";
    expect(await secrets.get("INTENT_SHARED_SECRET")).toBe("v1");
    clock.advance(1_001);
    expect(await secrets.get("INTENT_SHARED_SECRET")).toBe("v2");
    value = "v3";
    secrets.refresh();
    expect(await secrets.get("INTENT_SHARED_SECRET")).toBe("v3");
    expect(reads).toEqual(["INTENT-SHARED-SECRET", "INTENT-SHARED-SECRET", "INTENT-SHARED-SECRET"]);
  });

  it("reports a missing or unreadable secret by name, never by value", async () => {
    const missing = new SecretSettings({}, undefined, 1_000);
    await expect(missing.require("INTENT_SHARED_SECRET")).rejects.toMatchObject({ code: "CONFIG_MISSING" });
    const broken = new SecretSettings({}, { read: async () => { throw new Error("403 Forbidden"); } }, 1_000);
    await expect(broken.get("AZURE_CLIENT_SECRET")).rejects.toMatchObject({ code: "CONFIG_MISSING", retryable: true });
    expect(keyVaultName("ARM_ACCESS_TOKEN")).toBe("ARM-ACCESS-TOKEN");
  });
});

describe("intentSecretReader", () => {
  it("reads an intent's secret setting NAME only as INTENT_SECRET_NAME (environment, then Key Vault), and never a credential", async () => {
    const reads: string[] = [];
    const vault = { read: async (name: string) => (reads.push(name), name === "INTENT-SECRET-PARTNER-API-KEY" ? "from-vault-1234" : undefined) };
    const secrets = new SecretSettings({ INTENT_SECRET_LOCAL_API_KEY: "from-env-12345", INTENT_SHARED_SECRET: "shared-secret-1" }, vault, 1_000);
    const reader = intentSecretReader(secrets);
    expect(await reader.get("PARTNER_API_KEY")).toBe("from-vault-1234");
    expect(await reader.get("LOCAL_API_KEY")).toBe("from-env-12345");
    expect(await reader.get("UNSET_API_KEY")).toBeUndefined();
    expect(reads).toEqual(["INTENT-SECRET-PARTNER-API-KEY", "INTENT-SECRET-UNSET-API-KEY"]);
    for (const credential of ["INTENT_SHARED_SECRET", "AZURE_CLIENT_SECRET", "GRAPH_ACCESS_TOKEN", "ARM_ACCESS_TOKEN", "AUTOTASK_INTEGRATION_CODE"]) {
      await expect(reader.get(credential)).rejects.toMatchObject({ code: "SPEC_SECRET_NOT_ALLOWED" });
    }
    expect(reads).toHaveLength(2);
    expect(reader.whereSet?.("PARTNER_API_KEY")).toBe("PARTNER_API_KEY as the app setting INTENT_SECRET_PARTNER_API_KEY or the Key Vault secret INTENT-SECRET-PARTNER-API-KEY");
  });

  it("reaches no variable of the platform or the engine, whatever name an intent declares", async () => {
    // What an Azure Function App's environment and its Key Vault hold beside the intents' own secrets.
    const platform: Record<string, string> = {
      WEBSITE_AUTH_ENCRYPTION_KEY: "platform-auth-key-1",
      CONTAINER_ENCRYPTION_KEY: "platform-container-key",
      WEBSITE_CONTENTAZUREFILECONNECTIONSTRING: "DefaultEndpointsProtocol=https;AccountKey=abc",
      DOCKER_REGISTRY_SERVER_PASSWORD: "registry-password-1",
      APPSETTING_INTENT_SHARED_SECRET: "shared-secret-copy",
      INTENT_SHARED_SECRET: "shared-secret-1",
    };
    const vaultSecrets: Record<string, string> = { "INTENT-SHARED-SECRET": "vault-shared-secret", "OTHER-APP-PASSWORD": "other-app-password", "AZURE-CLIENT-SECRET": "client-secret-value" };
    const reads: string[] = [];
    const vault = { read: async (name: string) => (reads.push(name), vaultSecrets[name]) };
    const reader = intentSecretReader(new SecretSettings(platform, vault, 1_000));
    const names = [...Object.keys(platform), ...Object.keys(vaultSecrets).map((name) => name.replace(/-/g, "_"))].filter((name) => !isCredentialSetting(name));
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) expect(await reader.get(name), name).toBeUndefined();
    expect(reads.every((name) => name.startsWith("INTENT-SECRET-"))).toBe(true);
  });
});
