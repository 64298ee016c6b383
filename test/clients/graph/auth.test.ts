import type * as AzureIdentity from "@azure/identity";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { authorityHostFor, chooseCredential, createTokenProvider, graphScope } from "../../../engine/clients/graph/auth";
import { createCachingTokenProvider } from "../../../engine/clients/graph/token-cache";
import { IntentError } from "../../../engine/core/errors";

// The CommonJS build the engine loads on first use (the ES module build's classes are other objects).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, WorkloadIdentityCredential } = require("@azure/identity") as typeof AzureIdentity;
import { createManualClock } from "../../support/manual-clock";

const HOUR = 3_600_000;

/** A TokenCredential that counts calls and answers as the test says. */
function fakeCredential(answer: (call: number, scope: string) => Promise<AccessToken | null>) {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: (scope) => {
      const requested = Array.isArray(scope) ? scope.join(" ") : scope;
      scopes.push(requested);
      return answer(scopes.length, requested);
    },
  };
  return { credential, scopes };
}

describe("token cache", () => {
  it("serves one token until a few minutes before it expires, then refreshes", async () => {
    const clock = createManualClock(0);
    const { credential, scopes } = fakeCredential((call) => Promise.resolve({ token: `t${call}`, expiresOnTimestamp: clock.now() + HOUR }));
    const tokens = createCachingTokenProvider(credential, "https://graph.microsoft.com/.default", { clock, credentialName: "fake" });
    expect(await tokens.getToken()).toBe("t1");
    clock.advance(HOUR - 6 * 60_000);
    expect(await tokens.getToken()).toBe("t1");
    clock.advance(2 * 60_000);
    expect(await tokens.getToken()).toBe("t2");
    expect(scopes).toEqual(["https://graph.microsoft.com/.default", "https://graph.microsoft.com/.default"]);
  });

  it("honours the credential's own refreshAfter hint", async () => {
    const clock = createManualClock(0);
    const { credential } = fakeCredential((call) => Promise.resolve({ token: `t${call}`, expiresOnTimestamp: HOUR * 24, refreshAfterTimestamp: 1_000 }));
    const tokens = createCachingTokenProvider(credential, "s", { clock, credentialName: "fake" });
    expect(await tokens.getToken()).toBe("t1");
    clock.advance(1_000);
    expect(await tokens.getToken()).toBe("t2");
  });

  it("shares one refresh among concurrent callers", async () => {
    let release: (token: AccessToken) => void = () => undefined;
    const { credential, scopes } = fakeCredential(() => new Promise<AccessToken>((resolve) => (release = resolve)));
    const tokens = createCachingTokenProvider(credential, "s", { clock: createManualClock(0), credentialName: "fake" });
    const callers = Array.from({ length: 5 }, () => tokens.getToken());
    await new Promise((resolve) => setImmediate(resolve));
    release({ token: "shared", expiresOnTimestamp: HOUR });
    expect(await Promise.all(callers)).toEqual(Array(5).fill("shared"));
    expect(scopes).toHaveLength(1);
  });

  it("keeps a still-valid token when a refresh fails, and fails with GRAPH_AUTH without the secret once it has expired", async () => {
    const clock = createManualClock(0);
    const { credential } = fakeCredential((call) =>
      call === 1
        ? Promise.resolve({ token: "t1", expiresOnTimestamp: HOUR })
        : Promise.reject(new Error("AADSTS7000215: Invalid client secret provided: hunter2-secret. Bearer eyJabc.def.ghi\nstack")),
    );
    // A secret that holds another is masked whole, whatever order they are given in.
    const tokens = createCachingTokenProvider(credential, "s", { clock, credentialName: "client secret", secrets: ["hunter2", "hunter2-secret"] });
    await tokens.getToken();
    clock.advance(HOUR - 60_000);
    expect(await tokens.getToken()).toBe("t1");
    clock.advance(60_000);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntentError);
    expect((error as IntentError).code).toBe("GRAPH_AUTH");
    expect((error as IntentError).message).toBe(
      "No access token for Microsoft Graph from the client secret credential: AADSTS7000215: Invalid client secret provided: ***. ***",
    );
  });

  it("fetches a new token after the current one is invalidated, but ignores a stale invalidation", async () => {
    const { credential } = fakeCredential((call) => Promise.resolve({ token: `t${call}`, expiresOnTimestamp: HOUR }));
    const tokens = createCachingTokenProvider(credential, "s", { clock: createManualClock(0), credentialName: "fake" });
    expect(await tokens.getToken()).toBe("t1");
    tokens.invalidate?.("t1");
    expect(await tokens.getToken()).toBe("t2");
    tokens.invalidate?.("t1");
    expect(await tokens.getToken()).toBe("t2");
  });

  it("treats a credential that returns no token as a GRAPH_AUTH failure", async () => {
    const { credential } = fakeCredential(() => Promise.resolve(null));
    const tokens = createCachingTokenProvider(credential, "s", { credentialName: "managed identity" });
    await expect(tokens.getToken()).rejects.toMatchObject({ code: "GRAPH_AUTH" });
  });
});

describe("credential choice", () => {
  const base = "https://graph.microsoft.com/v1.0";
  const app = { AZURE_TENANT_ID: "tenant-1", AZURE_CLIENT_ID: "client-1" };

  it("picks the most explicit credential the settings describe", () => {
    const cases: Array<[Record<string, string>, string, unknown]> = [
      [{ ...app, AZURE_FEDERATED_TOKEN_FILE: "/var/run/token", AZURE_CLIENT_SECRET: "s" }, "workload-identity", WorkloadIdentityCredential],
      [{ ...app, AZURE_CLIENT_CERTIFICATE_PATH: "/certs/app.pem", AZURE_CLIENT_SECRET: "s" }, "client-certificate", ClientCertificateCredential],
      [{ ...app, AZURE_CLIENT_SECRET: "s" }, "client-secret", ClientSecretCredential],
      [{ AZURE_CLIENT_ID: "user-assigned" }, "managed-identity", ManagedIdentityCredential],
      [{}, "managed-identity", ManagedIdentityCredential],
    ];
    for (const [settings, kind, type] of cases) {
      const chosen = chooseCredential(settings, base);
      expect(chosen.kind).toBe(kind);
      expect(chosen.credential).toBeInstanceOf(type as new (...args: never[]) => unknown);
    }
  });

  it("uses a static GRAPH_ACCESS_TOKEN before anything else", async () => {
    const settings = { ...app, AZURE_CLIENT_SECRET: "s", GRAPH_ACCESS_TOKEN: "sandbox-token" };
    expect(chooseCredential(settings, base).kind).toBe("static-token");
    expect(await createTokenProvider(settings, base).getToken()).toBe("sandbox-token");
  });

  it("names the missing setting when an app credential lacks its tenant or client id", () => {
    const attempt = () => chooseCredential({ AZURE_CLIENT_ID: "client-1", AZURE_CLIENT_SECRET: "s3cr3t-value" }, base);
    expect(attempt).toThrow(IntentError);
    expect(attempt).toThrow("Signing in to Microsoft Graph with a client secret needs AZURE_TENANT_ID.");
    expect(attempt).not.toThrow(/s3cr3t/);
  });

  it("derives the token scope and authority from the Graph host, national clouds included", () => {
    expect(graphScope("https://graph.microsoft.com/v1.0")).toBe("https://graph.microsoft.com/.default");
    expect(graphScope("https://graph.microsoft.us/v1.0")).toBe("https://graph.microsoft.us/.default");
    expect(graphScope("https://microsoftgraph.chinacloudapi.cn/v1.0")).toBe("https://microsoftgraph.chinacloudapi.cn/.default");
    expect(authorityHostFor({}, "https://graph.microsoft.us/v1.0")).toBe("https://login.microsoftonline.us");
    expect(authorityHostFor({}, "https://graph.microsoft.com/v1.0")).toBeUndefined();
    expect(authorityHostFor({ AZURE_AUTHORITY_HOST: "https://login.example" }, "https://graph.microsoft.us/v1.0")).toBe("https://login.example");
  });
});
