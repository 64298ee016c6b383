import type * as AzureIdentity from "@azure/identity";
import type { AccessToken, TokenCredential } from "@azure/identity";

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
  // @azure/identity is loaded only when the managed identity is used (not for a static token).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return accessToken ? staticTokenCredential(accessToken) : new (require("@azure/identity") as typeof AzureIdentity).ManagedIdentityCredential();
}
