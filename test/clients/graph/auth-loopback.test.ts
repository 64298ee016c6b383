import { describe, expect, it } from "vitest";
import { createTokenProvider } from "../../../engine/clients/graph/auth";
import { createManualClock } from "../../support/manual-clock";
import { loopbackHttpClient } from "./loopback-identity";
import { serve } from "./helpers";
import type { ScriptedServer } from "./scripted-server";

let server: ScriptedServer | undefined;

const AUTHORITY = "https://login.microsoftonline.us";

describe("client secret sign-in against a loopback authority", () => {
  it("asks the national cloud's authority for the Graph host's scope, and caches the token", async () => {
    server = await serve((request) => {
      if (request.path.endsWith("/openid-configuration")) {
        return {
          status: 200,
          body: {
            token_endpoint: `${AUTHORITY}/tenant-1/oauth2/v2.0/token`,
            authorization_endpoint: `${AUTHORITY}/tenant-1/oauth2/v2.0/authorize`,
            end_session_endpoint: `${AUTHORITY}/tenant-1/oauth2/v2.0/logout`,
            issuer: `${AUTHORITY}/tenant-1/v2.0`,
            jwks_uri: `${AUTHORITY}/tenant-1/discovery/v2.0/keys`,
          },
        };
      }
      return { status: 200, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: "loopback-access-token" } };
    });
    const settings = { AZURE_TENANT_ID: "tenant-1", AZURE_CLIENT_ID: "client-1", AZURE_CLIENT_SECRET: "loopback-secret" };
    const httpClient = loopbackHttpClient(server.origin);
    const tokens = createTokenProvider(settings, "https://graph.microsoft.us/v1.0", {
      clock: createManualClock(Date.now()),
      credentialOptions: { httpClient, disableInstanceDiscovery: true },
    });
    expect(await tokens.getToken()).toBe("loopback-access-token");
    expect(await tokens.getToken()).toBe("loopback-access-token");

    expect(httpClient.urls.map((url) => new URL(url).origin)).toContain(AUTHORITY);
    expect(httpClient.urls.every((url) => url.startsWith(`${AUTHORITY}/tenant-1/`))).toBe(true);
    const tokenCalls = server.requests.filter((r) => r.path === "/tenant-1/oauth2/v2.0/token");
    expect(tokenCalls).toHaveLength(1);
    const form = new URLSearchParams(String(tokenCalls[0]!.body ?? ""));
    expect(form.get("scope")).toContain("https://graph.microsoft.us/.default");
    expect(form.get("client_id")).toBe("client-1");
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_secret")).toBe("loopback-secret");
  });
});
