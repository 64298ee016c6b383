/** Each PSA simulator with a connector pointed at it, on one manual clock, for table-driven tests. */
import { createAutotaskConnector, createConnectWiseConnector, createHaloConnector, type PsaConnector, type PsaKind } from "../../../engine/clients/psa";
import { startAutotaskSandbox, startConnectWiseSandbox, startHaloSandbox, type PsaServer } from "../../../sandbox/psa";
import type { ManualClock } from "../../support/manual-clock";

export interface PsaPair {
  kind: PsaKind;
  server: PsaServer;
  connector: PsaConnector;
  /** A connector whose secret is wrong. */
  wrongSecret(): PsaConnector;
  close(): Promise<void>;
}

export const AUTOTASK_PUBLISH_INTERNAL = 2;
export const AUTOTASK_PUBLISH_CUSTOMER = 1;

export async function startPair(kind: PsaKind, clock: ManualClock): Promise<PsaPair> {
  const now = () => clock.now();
  if (kind === "connectwise") {
    const server = await startConnectWiseSandbox({ now });
    const make = (privateKey: string) => createConnectWiseConnector({
      baseUrl: server.apiBaseUrl, companyId: server.credentials.companyId, publicKey: server.credentials.publicKey,
      privateKey: async () => privateKey, clientId: server.credentials.clientId, now,
    });
    return pair(kind, server, make(server.credentials.privateKey), () => make("not-the-key"));
  }
  if (kind === "autotask") {
    const server = await startAutotaskSandbox({ now });
    const make = (secret: string) => createAutotaskConnector({
      userName: server.credentials.userName, secret: async () => secret, integrationCode: server.credentials.integrationCode,
      zoneLookupUrl: server.zoneLookupUrl, noteType: 1, publishInternal: AUTOTASK_PUBLISH_INTERNAL, publishCustomer: AUTOTASK_PUBLISH_CUSTOMER, now,
    });
    return pair(kind, server, make(server.credentials.secret), () => make("not-the-secret"));
  }
  const server = await startHaloSandbox({ now });
  const make = (secret: string) => createHaloConnector({
    baseUrl: server.url, clientId: server.credentials.clientId, clientSecret: async () => secret,
    outcomeInternal: "Private Note", outcomeCustomer: "Public Note", now,
  });
  return pair(kind, server, make(server.credentials.clientSecret), () => make("not-the-secret"));
}

function pair(kind: PsaKind, server: PsaServer, connector: PsaConnector, wrong: () => PsaConnector): PsaPair {
  const extra: PsaConnector[] = [];
  return {
    kind, server, connector,
    wrongSecret: () => {
      const made = wrong();
      extra.push(made);
      return made;
    },
    close: async () => {
      await Promise.all([connector.close(), ...extra.map((c) => c.close())]);
      await server.close();
    },
  };
}
