import type * as AzureIdentity from "@azure/identity";
import type { TokenCredential, TokenCredentialOptions } from "@azure/identity";
import { IntentError } from "../../core/errors";
import type { Clock } from "../../core/clock";
import { createCachingTokenProvider } from "./token-cache";
import type { TokenProvider } from "./types";

export type { TokenProvider };

/**
 * @azure/identity on first use: a quarter of a second of a cold start, which a static token (the
 * sandbox) never needs.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const identity = (): typeof AzureIdentity => require("@azure/identity") as typeof AzureIdentity;

type Settings = Readonly<Record<string, string | undefined>>;

export type CredentialKind = "static-token" | "workload-identity" | "client-certificate" | "client-secret" | "managed-identity";

export interface TokenProviderOptions {
  clock?: Clock;
  /** Extra options for @azure/identity credentials (a test's loopback authority, an httpClient). */
  credentialOptions?: TokenCredentialOptions & { disableInstanceDiscovery?: boolean };
}

/** Sovereign clouds sign in at their own authority; the Graph host tells which cloud we are in. */
const AUTHORITY_BY_GRAPH_HOST: Record<string, string> = {
  "graph.microsoft.us": "https://login.microsoftonline.us",
  "dod-graph.microsoft.us": "https://login.microsoftonline.us",
  "microsoftgraph.chinacloudapi.cn": "https://login.chinacloudapi.cn",
};

/** The `.default` scope of the Graph host in use: `https://graph.microsoft.us/.default` for GCC High. */
export function graphScope(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

/** AZURE_AUTHORITY_HOST when set, else the authority of the Graph host's cloud (undefined = public). */
export function authorityHostFor(settings: Settings, baseUrl: string): string | undefined {
  return present(settings.AZURE_AUTHORITY_HOST) ?? AUTHORITY_BY_GRAPH_HOST[new URL(baseUrl).hostname];
}

/**
 * Picks the credential the settings describe, most explicit first: a static token (sandbox,
 * tests), workload identity federation (no secret at all), a certificate, a client secret, and
 * otherwise the managed identity Azure gives the Function App.
 */
export function chooseCredential(settings: Settings, baseUrl: string, extra: TokenProviderOptions["credentialOptions"] = {}): { kind: CredentialKind; credential?: TokenCredential } {
  if (present(settings.GRAPH_ACCESS_TOKEN) !== undefined) return { kind: "static-token" };
  const authorityHost = authorityHostFor(settings, baseUrl);
  const options = { ...(authorityHost === undefined ? {} : { authorityHost }), ...extra };
  const clientId = present(settings.AZURE_CLIENT_ID);
  const federatedTokenFile = present(settings.AZURE_FEDERATED_TOKEN_FILE);
  const certificatePath = present(settings.AZURE_CLIENT_CERTIFICATE_PATH);
  const clientSecret = present(settings.AZURE_CLIENT_SECRET);

  if (federatedTokenFile !== undefined) {
    const { tenant, client } = tenantAndClient(settings, "workload identity federation");
    return { kind: "workload-identity", credential: new (identity().WorkloadIdentityCredential)({ ...options, tenantId: tenant, clientId: client, tokenFilePath: federatedTokenFile }) };
  }
  if (certificatePath !== undefined) {
    const { tenant, client } = tenantAndClient(settings, "a client certificate");
    const certificatePassword = present(settings.AZURE_CLIENT_CERTIFICATE_PASSWORD);
    const certificate = certificatePassword === undefined ? { certificatePath } : { certificatePath, certificatePassword };
    return { kind: "client-certificate", credential: new (identity().ClientCertificateCredential)(tenant, client, certificate, options) };
  }
  if (clientSecret !== undefined) {
    const { tenant, client } = tenantAndClient(settings, "a client secret");
    return { kind: "client-secret", credential: new (identity().ClientSecretCredential)(tenant, client, clientSecret, options) };
  }
  // A client id alone picks a user-assigned managed identity; none means the system-assigned one.
  return {
    kind: "managed-identity",
    credential: clientId === undefined ? new (identity().ManagedIdentityCredential)(options) : new (identity().ManagedIdentityCredential)({ ...options, clientId }),
  };
}

/** The token source for a Graph client built from the Function App's settings. */
export function createTokenProvider(settings: Settings, baseUrl: string, options: TokenProviderOptions = {}): TokenProvider {
  const chosen = chooseCredential(settings, baseUrl, options.credentialOptions);
  if (chosen.credential === undefined) {
    const token = present(settings.GRAPH_ACCESS_TOKEN) ?? "";
    return { getToken: () => Promise.resolve(token) };
  }
  return createCachingTokenProvider(chosen.credential, graphScope(baseUrl), {
    credentialName: chosen.kind.replace("-", " "),
    secrets: [settings.AZURE_CLIENT_SECRET, settings.AZURE_CLIENT_CERTIFICATE_PASSWORD],
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** An app registration credential needs both ids; say which one is missing. */
function tenantAndClient(settings: Settings, what: string): { tenant: string; client: string } {
  const tenant = present(settings.AZURE_TENANT_ID);
  const client = present(settings.AZURE_CLIENT_ID);
  if (tenant !== undefined && client !== undefined) return { tenant, client };
  const missing = [tenant === undefined ? "AZURE_TENANT_ID" : undefined, client === undefined ? "AZURE_CLIENT_ID" : undefined].filter((name) => name !== undefined);
  throw new IntentError("CONFIG_MISSING", `Signing in to Microsoft Graph with ${what} needs ${missing.join(" and ")}.`, {
    fix: `Set ${missing.join(" and ")} in the Function App's settings.`,
    details: { missing },
  });
}
