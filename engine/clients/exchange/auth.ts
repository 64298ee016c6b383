import { chooseCredential, type TokenProvider, type TokenProviderOptions } from "../graph/auth";
import { DEFAULT_GRAPH_BASE_URL } from "../graph/client";
import { createCachingTokenProvider } from "../graph/token-cache";
import { EXCHANGE_SERVICE } from "./service";

type Settings = Readonly<Record<string, string | undefined>>;

/** `https://outlook.office365.com/.default`: the app's roles on Exchange (Exchange.ManageAsApp). */
export function exchangeScope(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

/**
 * Tokens for the Exchange resource from the same identity settings as Graph's (managed identity,
 * workload identity, certificate, secret), cached the same way; EXCHANGE_ACCESS_TOKEN is a static
 * token for the sandbox and tests.
 */
export function createExchangeTokenProvider(settings: Settings, baseUrl: string, options: TokenProviderOptions = {}): TokenProvider {
  const token = settings.EXCHANGE_ACCESS_TOKEN?.trim();
  if (token) return { getToken: () => Promise.resolve(token) };
  // The sign-in authority follows the cloud, and the Graph host is what names the cloud.
  const graphBaseUrl = settings.GRAPH_BASE_URL?.trim() || DEFAULT_GRAPH_BASE_URL;
  const chosen = chooseCredential({ ...settings, GRAPH_ACCESS_TOKEN: undefined }, graphBaseUrl, options.credentialOptions);
  return createCachingTokenProvider(chosen.credential!, exchangeScope(baseUrl), {
    credentialName: chosen.kind.replace("-", " "),
    secrets: [settings.AZURE_CLIENT_SECRET, settings.AZURE_CLIENT_CERTIFICATE_PASSWORD],
    service: EXCHANGE_SERVICE,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
