import type { AccessToken, TokenCredential } from "@azure/identity";
import { IntentError } from "../../core/errors";
import { systemClock, type Clock } from "../../core/clock";
import type { TokenProvider } from "./types";
import { redact } from "./redact";
import { GRAPH_SERVICE, type ServiceNames } from "../http/service";

export interface TokenCacheOptions {
  clock?: Clock;
  /** Refresh this long before expiry, so no request leaves with a token about to lapse. */
  refreshBeforeMs?: number;
  /** Names the credential in error messages (e.g. "client secret"). */
  credentialName: string;
  /** Values that must never appear in an error message (the secret, a static token). */
  secrets?: ReadonlyArray<string | undefined>;
  /** The service the token is for, as error messages name it; Microsoft Graph unless said otherwise. */
  service?: ServiceNames;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Wraps a TokenCredential with a cache: one token until shortly before it expires, one refresh
 * shared by every concurrent caller, and the old token kept when a refresh fails while it is
 * still valid (a brief identity outage then costs nothing).
 */
export function createCachingTokenProvider(credential: TokenCredential, scope: string, options: TokenCacheOptions): TokenProvider {
  const clock = options.clock ?? systemClock;
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  let cached: AccessToken | undefined;
  let refreshing: Promise<AccessToken> | undefined;

  const refreshAt = (token: AccessToken): number =>
    Math.min(token.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY, token.expiresOnTimestamp - refreshBeforeMs);

  const refresh = async (): Promise<AccessToken> => {
    let token: AccessToken | null;
    try {
      token = await credential.getToken(scope);
    } catch (error) {
      throw authError(options, error);
    }
    if (token === null) throw authError(options, undefined);
    cached = token;
    return token;
  };

  return {
    invalidate(token: string): void {
      // Only the token that was rejected: a newer one fetched meanwhile is kept.
      if (cached?.token === token) cached = undefined;
    },
    async getToken(): Promise<string> {
      const now = clock.now();
      if (cached !== undefined && now < refreshAt(cached)) return cached.token;
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      try {
        return (await refreshing).token;
      } catch (error) {
        if (cached !== undefined && clock.now() < cached.expiresOnTimestamp) return cached.token;
        throw error;
      }
    },
  };
}

function authError(options: TokenCacheOptions, cause: unknown): IntentError {
  const reason = cause instanceof Error ? `: ${redact(firstLine(cause.message), options.secrets ?? [])}` : ": the credential returned no token";
  const service = options.service ?? GRAPH_SERVICE;
  return new IntentError(service.auth, `No access token for ${service.name} from the ${options.credentialName} credential${reason}`, {
    fix: "Check the deployment's identity settings (AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret, certificate, federated token file or managed identity).",
    retryable: true,
  });
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
