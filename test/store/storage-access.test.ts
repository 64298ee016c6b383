import type * as AzureIdentity from "@azure/identity";
import { describe, expect, it } from "vitest";
import { loadSettings, type StorageSettings } from "../../engine/hosts/config";
import { queueClient, storageCredential, tableClient } from "../../engine/lifecycle/store/tables";

// The CommonJS build the engine loads on first use (the ES module build's classes are other objects).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultAzureCredential, ManagedIdentityCredential } = require("@azure/identity") as typeof AzureIdentity;

/** The identity-based settings infra/main.bicep gives the Function App (no key anywhere). */
const AZURE = { AzureWebJobsStorage__accountName: "stintents01", AzureWebJobsStorage__credential: "managedidentity" };

function identity(env: Record<string, string>): Extract<StorageSettings, { kind: "identity" }> {
  const storage = loadSettings(env).storage;
  if (storage.kind !== "identity") throw new Error(`expected identity-based storage, got ${storage.kind}`);
  return storage;
}

describe("storage settings: connection string for Azurite, managed identity in Azure", () => {
  it("derives the account's table and queue endpoints from AzureWebJobsStorage__accountName", () => {
    expect(loadSettings(AZURE).storage).toEqual({
      kind: "identity",
      tableServiceUri: "https://stintents01.table.core.windows.net",
      queueServiceUri: "https://stintents01.queue.core.windows.net",
      credential: "managedidentity",
      clientId: undefined,
    });
  });

  it("builds the clients on those endpoints with a managed-identity token, never a key", () => {
    const storage = identity(AZURE);
    const table = tableClient(storage, "intentruns");
    const queue = queueClient(storage, "intent-runs");
    expect(table.url).toBe("https://stintents01.table.core.windows.net");
    expect(table.tableName).toBe("intentruns");
    expect(queue.url).toBe("https://stintents01.queue.core.windows.net/intent-runs");
    expect(queue.accountName).toBe("stintents01");
    expect(storageCredential(storage)).toBeInstanceOf(ManagedIdentityCredential);
    expect(`${table.url} ${queue.url}`).not.toMatch(/AccountKey|sig=|SharedAccessSignature/i);
  });

  it("honours a user-assigned identity's client id and explicit service URIs", () => {
    const storage = identity({
      AzureWebJobsStorage__credential: "managedidentity",
      AzureWebJobsStorage__clientId: "11111111-2222-3333-4444-555555555555",
      AzureWebJobsStorage__tableServiceUri: "https://tables.contoso.example",
      AzureWebJobsStorage__queueServiceUri: "https://queues.contoso.example/",
    });
    expect(storage.clientId).toBe("11111111-2222-3333-4444-555555555555");
    expect(tableClient(storage, "intentruns").url).toBe("https://tables.contoso.example");
    expect(queueClient(storage, "intent-runs").url).toBe("https://queues.contoso.example/intent-runs");
    // ManagedIdentityCredential keeps the client id it was given; a system-assigned one has none.
    const assigned = storageCredential(storage) as unknown as { clientId?: string };
    expect(JSON.stringify(assigned)).toContain("11111111-2222-3333-4444-555555555555");
    expect(JSON.stringify(storageCredential(identity(AZURE)))).not.toContain("11111111");
  });

  it("uses the default credential chain when __credential is not set (developer sign-in, then managed identity)", () => {
    expect(storageCredential(identity({ AzureWebJobsStorage__accountName: "stdev" }))).toBeInstanceOf(DefaultAzureCredential);
  });

  it("prefers a connection string when one is set, and falls back to the development emulator", () => {
    const connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
    expect(loadSettings({ ...AZURE, AzureWebJobsStorage: connectionString }).storage).toEqual({ kind: "connection-string", connectionString });
    expect(loadSettings({}).storage).toEqual({ kind: "connection-string", connectionString: "UseDevelopmentStorage=true" });
  });

  it("refuses half an identity-based setup or an unknown credential with CONFIG_MISSING", () => {
    expect(() => loadSettings({ AzureWebJobsStorage__tableServiceUri: "https://t.example" })).toThrow(/queue endpoint/);
    expect(() => loadSettings({ AzureWebJobsStorage__accountName: "st", AzureWebJobsStorage__credential: "accountkey" }))
      .toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
  });
});
