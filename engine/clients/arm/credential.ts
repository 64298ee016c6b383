import { ManagedIdentityCredential, type AccessToken, type TokenCredential } from "@azure/identity";

const STATIC_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** A fixed bearer token (the sandbox); it never refreshes, so it is re-stamped on every call. */
function staticTokenCredential(token: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + STATIC_TOKEN_LIFETIME_MS };
    },
  };
}

/** The static token when one is configured, otherwise the Function App's managed identity. */
export function armCredential(accessToken: string | undefined): TokenCredential {
  return accessToken ? staticTokenCredential(accessToken) : new ManagedIdentityCredential();
}
