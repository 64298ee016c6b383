/** The settings that point the app at one of the PSA simulators (its own credentials included). */
import type { PsaKind } from "../../../engine/clients/psa";
import type { PsaSandboxes, PsaServer } from "../../../sandbox/psa";

export function psaEnv(psas: PsaSandboxes, kind: PsaKind): Record<string, string> {
  const { connectwise: cw, autotask: at, halopsa: halo } = psas;
  return {
    PSA_KIND: kind,
    CONNECTWISE_BASE_URL: cw.apiBaseUrl, CONNECTWISE_COMPANY_ID: cw.credentials.companyId, CONNECTWISE_PUBLIC_KEY: cw.credentials.publicKey,
    CONNECTWISE_CLIENT_ID: cw.credentials.clientId, CONNECTWISE_PRIVATE_KEY: cw.credentials.privateKey,
    AUTOTASK_USERNAME: at.credentials.userName, AUTOTASK_INTEGRATION_CODE: at.credentials.integrationCode, AUTOTASK_SECRET: at.credentials.secret,
    AUTOTASK_ZONE_LOOKUP_URL: at.zoneLookupUrl,
    HALOPSA_BASE_URL: halo.url, HALOPSA_CLIENT_ID: halo.credentials.clientId, HALOPSA_CLIENT_SECRET: halo.credentials.clientSecret,
  };
}

/** The notes on a ticket as (internal?, state), internal first: retries may land them in either order. */
export function notesOn(psa: PsaServer, ticket: number): Array<{ internal: boolean; state: string | undefined }> {
  return psa.tickets.list(ticket)
    .map((n) => ({ internal: n.internal, state: /\/(\w+)\/(internal|customer)$/.exec(n.text)?.[1] }))
    .sort((a, b) => Number(b.internal) - Number(a.internal) || String(a.state).localeCompare(String(b.state)));
}
